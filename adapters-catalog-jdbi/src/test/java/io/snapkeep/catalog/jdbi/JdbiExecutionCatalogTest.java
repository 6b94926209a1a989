package io.snapkeep.catalog.jdbi;

import io.snapkeep.core.port.out.ExecutionCatalog;
import io.snapkeep.core.port.out.ExecutionCatalogContract;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

class JdbiExecutionCatalogTest extends ExecutionCatalogContract {
    @TempDir
    Path dir;
    private JdbiCatalog database;

    @Override
    protected ExecutionCatalog newCatalog() {
        database = TestDatabases.open(dir);
        return database.executions();
    }

    @AfterEach
    void closeDatabase() {
        database.close();
    }
}
