package io.snapkeep.catalog.jdbi;

import io.snapkeep.core.port.out.ExecutionEventLog;
import io.snapkeep.core.port.out.ExecutionEventLogContract;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

class JdbiExecutionEventLogTest extends ExecutionEventLogContract {
    @TempDir
    Path dir;
    private JdbiCatalog database;

    @Override
    protected ExecutionEventLog newLog() {
        database = TestDatabases.open(dir);
        return database.events();
    }

    @AfterEach
    void closeDatabase() {
        database.close();
    }
}
