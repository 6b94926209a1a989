package io.snapkeep.catalog.jdbi;

import io.snapkeep.core.port.out.NodeCatalog;
import io.snapkeep.core.port.out.NodeCatalogContract;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

class JdbiNodeCatalogTest extends NodeCatalogContract {
    @TempDir
    Path dir;
    private JdbiCatalog database;

    @Override
    protected NodeCatalog newCatalog() {
        database = TestDatabases.open(dir);
        return database.nodes();
    }

    @AfterEach
    void closeDatabase() {
        database.close();
    }
}
