package io.snapkeep.storage.fs;

import static io.snapkeep.storage.fs.TestKeys.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.snapkeep.core.error.StorageUnavailableException;
import io.snapkeep.core.port.out.ArchiveStore;
import io.snapkeep.core.port.out.ArchiveStore.StagedWrite;
import io.snapkeep.core.support.FileTrees;
import io.snapkeep.core.testing.TestBytes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Failures of the directory itself: each is a {@link StorageUnavailableException} naming the directory. */
class MediumFailuresTest {
    @TempDir
    Path dir;

    @Test
    void a_missing_root_is_created_with_its_parents() {
        Path root = dir.resolve("a/b/archives");
        ArchiveStore store = new FileSystemArchiveStore(root);
        assertThat(root).isDirectory();
        assertThat(store.inventory().archives().keySet()).isEmpty();
    }

    @Test
    void a_root_that_is_a_file_is_refused() throws IOException {
        Path file = Files.writeString(dir.resolve("archives"), "a file");
        assertThatThrownBy(() -> new FileSystemArchiveStore(file)).isInstanceOf(StorageUnavailableException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("not a directory");
    }

    @Test
    void a_root_under_a_file_is_refused() throws IOException {
        Path file = Files.writeString(dir.resolve("file"), "a file");
        assertThatThrownBy(() -> new FileSystemArchiveStore(file.resolve("archives")))
                .isInstanceOf(StorageUnavailableException.class)
                .hasMessageContaining(file.resolve("archives").toString());
    }

    @Test
    void a_root_without_permission_is_refused() throws IOException {
        assumeTrue(Files.getFileStore(dir).supportsFileAttributeView("posix"), "POSIX permissions");
        Path root = Files.createDirectory(dir.resolve("locked"));
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("r-x------"));
        try {
            assumeFalse(Files.isWritable(root), "this user (root?) bypasses permissions; the tmpfs test covers refusal");
            assertThatThrownBy(() -> new FileSystemArchiveStore(root)).isInstanceOf(StorageUnavailableException.class)
                    .hasMessageContaining(root.toString())
                    .hasMessageContaining("permission denied");
        } finally {
            Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwx------"));
        }
    }

    @Test
    void a_root_removed_under_a_running_store_gives_a_clear_error() throws IOException {
        Path root = dir.resolve("archives");
        ArchiveStore store = new FileSystemArchiveStore(root);
        FileTrees.deleteTree(root);
        assertThatThrownBy(() -> store.beginWrite(key("snap"))).isInstanceOf(StorageUnavailableException.class)
                .hasMessageContaining("Cannot start writing archive `snap`")
                .hasMessageContaining(root.toString());
        assertThatThrownBy(store::inventory).isInstanceOf(StorageUnavailableException.class)
                .hasMessageContaining(root.toString());
        assertThatThrownBy(store::probe).isInstanceOf(StorageUnavailableException.class)
                .hasMessageContaining(root.toString());
    }

    @Test
    void a_failed_rename_at_commit_gives_a_clear_error_and_leaves_no_staging_file() throws IOException {
        Path root = dir.resolve("archives");
        ArchiveStore store = new FileSystemArchiveStore(root);
        // the archive's name is taken by a non-empty directory, so the kernel refuses the rename
        Path blocker = Files.createDirectory(root.resolve("archives").resolve("blocked.zip"));
        Files.writeString(blocker.resolve("inside"), "kept");
        try (StagedWrite w = store.beginWrite(key("blocked"))) {
            w.stream().write(TestBytes.randomArray(1, 200_000));
            assertThatThrownBy(w::commit).isInstanceOf(StorageUnavailableException.class)
                    .hasMessageContaining("Cannot commit archive `blocked`")
                    .hasMessageContaining(root.toString());
            w.abort();
        }
        assertThat(names(root.resolve("archives"))).containsExactly("blocked.zip");
        assertThat(names(root.resolve("staging"))).isEmpty();
        assertThat(blocker.resolve("inside")).hasContent("kept");
        assertThat(store.stat(key("blocked"))).isEmpty();
        assertThat(store.removeStaged(Set::of)).isZero();
    }

    @Test
    void a_write_after_commit_or_abort_is_refused() throws IOException {
        ArchiveStore store = new FileSystemArchiveStore(dir.resolve("archives"));
        StagedWrite committed = store.beginWrite(key("done"));
        committed.stream().write(1);
        committed.commit();
        assertThatThrownBy(() -> committed.stream().write(2)).isInstanceOf(IOException.class);
        assertThatThrownBy(committed::commit).isInstanceOf(IllegalStateException.class);

        StagedWrite aborted = store.beginWrite(key("gone"));
        aborted.abort();
        assertThatThrownBy(() -> aborted.stream().write(new byte[10])).isInstanceOf(IOException.class);
        assertThat(store.inventory().archives().keySet()).containsExactly(key("done"));
    }

    @Test
    void closing_the_stream_early_keeps_its_bytes_for_the_commit() throws IOException {
        ArchiveStore store = new FileSystemArchiveStore(dir.resolve("archives"));
        byte[] bytes = TestBytes.randomArray(2, 3000);
        try (StagedWrite w = store.beginWrite(key("closed-early"))) {
            w.stream().write(bytes);
            w.stream().close();
            assertThat(w.commit().size()).isEqualTo(bytes.length);
        }
        try (var in = store.open(key("closed-early"))) {
            assertThat(in.readAllBytes()).isEqualTo(bytes);
        }
    }

    private static List<String> names(Path root) throws IOException {
        try (Stream<Path> entries = Files.list(root)) {
            return entries.map(p -> p.getFileName().toString()).collect(Collectors.toList());
        }
    }
}
