package io.snapkeep.catalog.jdbi;

import io.snapkeep.core.port.out.SnapshotCatalog;
import io.snapkeep.core.port.out.SnapshotCatalogContract;
import org.junit.jupiter.api.AfterEach;

/** The snapshot contract on a real PostgreSQL server. */
class PostgresSnapshotCatalogTest extends SnapshotCatalogContract {
    private JdbiCatalog database;

    @Override
    protected SnapshotCatalog newCatalog() {
        database = TestDatabases.openPostgres();
        return database.snapshots();
    }

    @AfterEach
    void closeDatabase() {
        database.close();
    }
}
