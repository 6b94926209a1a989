package io.snapkeep.catalog.jdbi;

import io.snapkeep.core.port.out.PolicyCatalog;
import io.snapkeep.core.port.out.PolicyCatalogContract;
import org.junit.jupiter.api.AfterEach;

/** The policy contract on a real PostgreSQL server. */
class PostgresPolicyCatalogTest extends PolicyCatalogContract {
    private JdbiCatalog database;

    @Override
    protected PolicyCatalog newCatalog() {
        database = TestDatabases.openPostgres();
        return database.policies();
    }

    @AfterEach
    void closeDatabase() {
        database.close();
    }
}
