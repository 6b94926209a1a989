package io.snapkeep.catalog.jdbi;

import java.nio.file.Path;

/** H2 file databases for the tests: always a real file under a JUnit temporary directory. */
final class TestDatabases {
    static final String USER = "sa";
    static final String PASSWORD = "catalog-test-secret";

    private TestDatabases() {
    }

    /** An embedded H2 file database in {@code dir} (the absolute path H2 2.x requires). */
    static String fileUrl(Path dir) {
        return "jdbc:h2:" + dir.toAbsolutePath().resolve("catalog");
    }

    static JdbiCatalog open(Path dir) {
        return JdbiCatalog.open(fileUrl(dir), USER, PASSWORD);
    }
}
