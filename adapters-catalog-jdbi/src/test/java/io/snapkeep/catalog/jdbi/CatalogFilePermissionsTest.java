package io.snapkeep.catalog.jdbi;

import static io.snapkeep.core.testing.FileModes.mode;
import static io.snapkeep.core.testing.FileModes.modesUnder;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.snapkeep.core.domain.ArchiveInfo;
import io.snapkeep.core.domain.Snapshot;
import io.snapkeep.core.domain.SnapshotId;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded H2 file names every snapshot: it and the directory made for it are owner-only. */
class CatalogFilePermissionsTest {
    private static final Instant T0 = Instant.parse("2026-11-28T12:00:00Z");

    @TempDir
    Path dir;

    @BeforeEach
    void posixOnly() {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"), "POSIX permissions");
    }

    @Test
    void a_new_database_file_and_its_directories_are_owner_only_while_open_and_after_close() throws IOException {
        Path base = dir.resolve("data/catalog/snapkeep");
        try (JdbiCatalog catalog = JdbiCatalog.open("jdbc:h2:file:" + base + ";TRACE_LEVEL_FILE=3", "sa", "")) {
            catalog.snapshots().insert(snapshot("one"));
            assertThat(modesUnder(dir.resolve("data"))).containsKey("catalog/snapkeep.mv.db")
                    .allSatisfy(CatalogFilePermissionsTest::ownerOnly);
        }
        Map<String, String> afterClose = modesUnder(dir.resolve("data"));
        assertThat(afterClose).as("after SHUTDOWN COMPACT rewrote the file").containsKey("catalog/snapkeep.mv.db")
                .allSatisfy(CatalogFilePermissionsTest::ownerOnly);
        assertThat(mode(dir.resolve("data"))).isEqualTo("rwx------");

        try (JdbiCatalog reopened = JdbiCatalog.open("jdbc:h2:" + base, "sa", "")) {
            assertThat(reopened.snapshots().find(SnapshotId.of("one"))).isPresent();
        }
    }

    @Test
    void a_database_file_an_earlier_release_left_readable_is_made_owner_only() throws IOException {
        Path base = dir.resolve("snapkeep");
        try (JdbiCatalog catalog = JdbiCatalog.open("jdbc:h2:" + base, "sa", "")) {
            catalog.snapshots().insert(snapshot("kept"));
        }
        Path file = dir.resolve("snapkeep.mv.db");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        try (JdbiCatalog catalog = JdbiCatalog.open("jdbc:h2:" + base, "sa", "")) {
            assertThat(mode(file)).isEqualTo("rw-------");
            assertThat(catalog.snapshots().find(SnapshotId.of("kept"))).isPresent();
        }
        assertThat(mode(file)).isEqualTo("rw-------");
    }

    @Test
    void an_existing_directory_keeps_its_mode() throws IOException {
        Path shared = Files.createDirectory(dir.resolve("shared"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxr-xr-x"));
        try (JdbiCatalog catalog = JdbiCatalog.open("jdbc:h2:" + shared.resolve("snapkeep"), "sa", "")) {
            assertThat(mode(shared.resolve("snapkeep.mv.db"))).isEqualTo("rw-------");
        }
        assertThat(mode(shared)).isEqualTo("rwxr-xr-x");
    }

    @Test
    void setting_the_mode_keeps_the_lock_that_keeps_other_processes_out() throws Exception {
        String url = "jdbc:h2:" + dir.resolve("snapkeep");
        try (JdbiCatalog open = JdbiCatalog.open(url, "sa", "")) {
            Process other = ChildJvm.of(OpeningCatalogProcess.class, url).redirectErrorStream(true).start();
            other.getOutputStream().close();
            String output = new String(other.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(other.waitFor(60, TimeUnit.SECONDS)).as("the other process ends").isTrue();
            assertThat(other.exitValue()).as(output).isEqualTo(3);
            assertThat(mode(dir.resolve("snapkeep.mv.db"))).isEqualTo("rw-------");
        }
    }

    @Test
    void only_file_urls_name_files() {
        assertThat(H2Files.of("jdbc:h2:mem:catalog")).isEmpty();
        assertThat(H2Files.of("jdbc:h2:tcp://127.0.0.1/~/catalog")).isEmpty();
        assertThat(H2Files.of("jdbc:h2:ssl://127.0.0.1/catalog")).isEmpty();
        assertThat(H2Files.of("jdbc:postgresql://127.0.0.1/snapkeep")).isEmpty();
        assertThat(H2Files.of("jdbc:h2:/var/lib/snapkeep/catalog/snapkeep;AUTO_SERVER=TRUE"))
                .hasValueSatisfying(f -> assertThat(f.file(".mv.db"))
                        .isEqualTo(Path.of("/var/lib/snapkeep/catalog/snapkeep.mv.db")));
        assertThat(H2Files.of("jdbc:h2:file:/srv/db"))
                .hasValueSatisfying(f -> assertThat(f.file(".mv.db")).isEqualTo(Path.of("/srv/db.mv.db")));
    }

    private static Snapshot snapshot(String id) {
        return Snapshot.creating(SnapshotId.of(id), "admin", T0).created(new ArchiveInfo(1, "ab".repeat(32)));
    }

    private static void ownerOnly(String name, String mode) {
        assertThat(mode).as(name).isEqualTo(name.endsWith("/") ? "rwx------" : "rw-------");
    }
}
