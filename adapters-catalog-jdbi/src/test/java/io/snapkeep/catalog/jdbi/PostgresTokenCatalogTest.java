package io.snapkeep.catalog.jdbi;

import io.snapkeep.core.port.out.TokenCatalog;
import io.snapkeep.core.port.out.TokenCatalogContract;
import org.junit.jupiter.api.AfterEach;

/** The token contract on a real PostgreSQL server. */
class PostgresTokenCatalogTest extends TokenCatalogContract {
    private JdbiCatalog database;

    @Override
    protected TokenCatalog newCatalog() {
        database = TestDatabases.openPostgres();
        return database.tokens();
    }

    @AfterEach
    void closeDatabase() {
        database.close();
    }
}
