package io.snapkeep.catalog.jdbi;

import io.snapkeep.core.port.out.PolicyCatalog;
import io.snapkeep.core.port.out.PolicyCatalogContract;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

class JdbiPolicyCatalogTest extends PolicyCatalogContract {
    @TempDir
    Path dir;
    private JdbiCatalog database;

    @Override
    protected PolicyCatalog newCatalog() {
        database = TestDatabases.open(dir);
        return database.policies();
    }

    @AfterEach
    void closeDatabase() {
        database.close();
    }
}
