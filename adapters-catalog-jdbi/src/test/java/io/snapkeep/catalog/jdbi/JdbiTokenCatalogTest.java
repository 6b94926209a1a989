package io.snapkeep.catalog.jdbi;

import io.snapkeep.core.port.out.TokenCatalog;
import io.snapkeep.core.port.out.TokenCatalogContract;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

class JdbiTokenCatalogTest extends TokenCatalogContract {
    @TempDir
    Path dir;
    private JdbiCatalog database;

    @Override
    protected TokenCatalog newCatalog() {
        database = TestDatabases.open(dir);
        return database.tokens();
    }

    @AfterEach
    void closeDatabase() {
        database.close();
    }
}
