package io.snapkeep.catalog.jdbi;

import io.snapkeep.core.testing.LocalPostgres;
import java.nio.file.Path;

/**
 * Databases for the tests: H2 always a real file under a JUnit temporary directory; PostgreSQL a fresh
 * database on this JVM's {@link LocalPostgres} server.
 */
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

    /** A catalog on a new, empty PostgreSQL database. */
    static JdbiCatalog openPostgres() {
        LocalPostgres server = LocalPostgres.get();
        return JdbiCatalog.open(server.createDatabase(), server.user(), server.password());
    }
}
