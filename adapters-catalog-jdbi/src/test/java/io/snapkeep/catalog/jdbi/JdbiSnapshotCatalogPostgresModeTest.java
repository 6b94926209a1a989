package io.snapkeep.catalog.jdbi;

import io.snapkeep.core.port.out.SnapshotCatalog;
import io.snapkeep.core.port.out.SnapshotCatalogContract;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * The snapshot contract on H2 imitating PostgreSQL, which sorts nulls last by default and folds names to
 * lower case: the SQL must not lean on H2's defaults.
 */
class JdbiSnapshotCatalogPostgresModeTest extends SnapshotCatalogContract {
    @TempDir
    Path dir;
    private JdbiCatalog database;

    @Override
    protected SnapshotCatalog newCatalog() {
        database = JdbiCatalog.open(TestDatabases.fileUrl(dir)
                        + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH",
                TestDatabases.USER, TestDatabases.PASSWORD);
        return database.snapshots();
    }

    @AfterEach
    void closeDatabase() {
        database.close();
    }
}
