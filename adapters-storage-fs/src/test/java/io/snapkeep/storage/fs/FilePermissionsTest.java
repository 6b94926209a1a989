package io.snapkeep.storage.fs;

import static io.snapkeep.core.testing.FileModes.mode;
import static io.snapkeep.core.testing.FileModes.modesUnder;
import static io.snapkeep.storage.fs.TestKeys.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.snapkeep.core.port.out.ArchiveStore;
import io.snapkeep.core.port.out.ArchiveStore.StagedWrite;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Archives may hold credentials: every directory the store creates is 0700 and every file it writes 0600,
 * set at creation and not left to the umask. The modes are read back exactly.
 */
class FilePermissionsTest {
    private static final String LONG_KEY = "L" + "y".repeat(255);

    @TempDir
    Path dir;

    @BeforeEach
    void posixOnly() {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"), "POSIX permissions");
    }

    @Test
    void everything_the_store_creates_is_owner_only() throws IOException {
        Path root = dir.resolve("made/by/store");
        ArchiveStore store = new FileSystemArchiveStore(root);
        try (StagedWrite w = store.beginWrite(key("snap"))) {
            w.stream().write(new byte[] {1, 2, 3});
            w.stream().flush();
            try (Stream<Path> staged = Files.list(root.resolve("staging"))) {
                assertThat(staged.toList()).singleElement()
                        .satisfies(file -> assertThat(mode(file)).as("a staging file while it is written")
                                .isEqualTo("rw-------"));
            }
            w.commit();
        }
        store.writeRecord(key("snap"), new byte[] {4});
        try (StagedWrite w = store.beginWrite(key(LONG_KEY))) {
            w.stream().write(new byte[] {5});
            w.commit();
        }
        store.writeRecord(key(LONG_KEY), new byte[] {6});

        Map<String, String> modes = modesUnder(root);
        assertThat(modes).containsKeys("archives/snap.zip", "records/snap.json",
                "archives/" + LONG_KEY.substring(0, 200) + ".long/", "records/" + LONG_KEY.substring(0, 200) + ".long/");
        assertOwnerOnly(root, modes);
        assertThat(mode(root)).as("the root the store created").isEqualTo("rwx------");
        assertThat(mode(dir.resolve("made"))).as("a parent the store created").isEqualTo("rwx------");
        assertThat(mode(dir.resolve("made/by"))).as("a parent the store created").isEqualTo("rwx------");
    }

    @Test
    void a_root_the_operator_made_keeps_its_mode_and_the_layout_in_it_is_owner_only() throws IOException {
        Path root = Files.createDirectory(dir.resolve("root"));
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-x---"));
        Files.writeString(root.resolve("operator-notes.txt"), "not the store's");
        Files.setPosixFilePermissions(root.resolve("operator-notes.txt"), PosixFilePermissions.fromString("rw-r--r--"));
        ArchiveStore store = new FileSystemArchiveStore(root);
        try (StagedWrite w = store.beginWrite(key("snap"))) {
            w.stream().write(new byte[] {1});
            w.commit();
        }
        store.writeRecord(key("snap"), new byte[] {2});

        assertThat(mode(root)).isEqualTo("rwxr-x---");
        assertThat(mode(root.resolve("operator-notes.txt"))).isEqualTo("rw-r--r--");
        for (String part : List.of("archives", "records", "staging")) {
            assertOwnerOnly(root.resolve(part), modesUnder(root.resolve(part)));
            assertThat(mode(root.resolve(part))).as(part).isEqualTo("rwx------");
        }
    }

    @Test
    void layout_directories_an_earlier_start_left_open_are_made_owner_only() throws IOException {
        Path root = Files.createDirectory(dir.resolve("root"));
        for (String part : List.of("archives", "records", "staging")) {
            Files.createDirectory(root.resolve(part));
            Files.setPosixFilePermissions(root.resolve(part), PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        new FileSystemArchiveStore(root);

        for (String part : List.of("archives", "records", "staging")) {
            assertThat(mode(root.resolve(part))).as(part).isEqualTo("rwx------");
        }
    }

    @Test
    void archives_of_the_previous_release_become_owner_only_when_they_move_into_the_layout() throws IOException {
        Path root = dir.resolve("root");
        ReleaseFixture.unpackArchivesInto(root);
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
            }
        }
        new FileSystemArchiveStore(root);

        Map<String, String> archives = modesUnder(root.resolve("archives"));
        assertThat(archives).as("the release's archives, moved").isNotEmpty();
        assertOwnerOnly(root.resolve("archives"), archives);
    }

    private static void assertOwnerOnly(Path base, Map<String, String> modes) {
        modes.forEach((name, mode) -> assertThat(mode).as(name)
                .isEqualTo(Files.isDirectory(base.resolve(name), LinkOption.NOFOLLOW_LINKS) ? "rwx------" : "rw-------"));
    }
}
