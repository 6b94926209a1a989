package io.snapkeep.catalog.jdbi;

import io.snapkeep.core.port.out.ExecutionCatalog;
import io.snapkeep.core.port.out.ExecutionCatalogContract;
import org.junit.jupiter.api.AfterEach;

/** The execution contract on a real PostgreSQL server. */
class PostgresExecutionCatalogTest extends ExecutionCatalogContract {
    private JdbiCatalog database;

    @Override
    protected ExecutionCatalog newCatalog() {
        database = TestDatabases.openPostgres();
        return database.executions();
    }

    @AfterEach
    void closeDatabase() {
        database.close();
    }
}
