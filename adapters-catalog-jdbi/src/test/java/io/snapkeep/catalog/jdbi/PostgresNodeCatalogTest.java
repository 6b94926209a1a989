package io.snapkeep.catalog.jdbi;

import io.snapkeep.core.port.out.NodeCatalog;
import io.snapkeep.core.port.out.NodeCatalogContract;
import org.junit.jupiter.api.AfterEach;

/** The node contract on a real PostgreSQL server. */
class PostgresNodeCatalogTest extends NodeCatalogContract {
    private JdbiCatalog database;

    @Override
    protected NodeCatalog newCatalog() {
        database = TestDatabases.openPostgres();
        return database.nodes();
    }

    @AfterEach
    void closeDatabase() {
        database.close();
    }
}
