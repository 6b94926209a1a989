package io.snapkeep.catalog.jdbi;

import io.snapkeep.core.port.out.SnapshotCatalog;
import io.snapkeep.core.port.out.SnapshotCatalogContract;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

class JdbiSnapshotCatalogTest extends SnapshotCatalogContract {
    @TempDir
    Path dir;
    private JdbiCatalog database;

    @Override
    protected SnapshotCatalog newCatalog() {
        database = TestDatabases.open(dir);
        return database.snapshots();
    }

    @AfterEach
    void closeDatabase() {
        database.close();
    }
}
