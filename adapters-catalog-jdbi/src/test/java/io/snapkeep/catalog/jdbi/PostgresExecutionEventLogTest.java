package io.snapkeep.catalog.jdbi;

import io.snapkeep.core.port.out.ExecutionEventLog;
import io.snapkeep.core.port.out.ExecutionEventLogContract;
import org.junit.jupiter.api.AfterEach;

/** The event log contract on a real PostgreSQL server. */
class PostgresExecutionEventLogTest extends ExecutionEventLogContract {
    private JdbiCatalog database;

    @Override
    protected ExecutionEventLog newLog() {
        database = TestDatabases.openPostgres();
        return database.events();
    }

    @AfterEach
    void closeDatabase() {
        database.close();
    }
}
