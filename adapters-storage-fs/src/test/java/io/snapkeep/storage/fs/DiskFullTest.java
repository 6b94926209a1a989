package io.snapkeep.storage.fs;

import static io.snapkeep.storage.fs.TestKeys.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snapkeep.core.error.StorageUnavailableException;
import io.snapkeep.core.port.out.ArchiveStore;
import io.snapkeep.core.port.out.ArchiveStore.StagedWrite;
import io.snapkeep.core.testing.TestBytes;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full or read-only disk, on a real tmpfs of 512 KiB: the error says so and names the directory, and
 * no partial file stays behind (the space is free again afterwards).
 */
class DiskFullTest {
    private static final int DISK = 512 * 1024;

    @TempDir
    Path dir;

    private TinyFileSystem disk;
    private Path root;
    private ArchiveStore store;

    @BeforeEach
    void mountATinyDisk() throws Exception {
        disk = TinyFileSystem.mount(dir, "512k");
        root = disk.path();
        store = new FileSystemArchiveStore(root);
    }

    @AfterEach
    void unmount() throws Exception {
        if (disk != null) {
            disk.unmount();
        }
    }

    @Test
    void a_write_larger_than_the_disk_fails_while_streaming_and_leaves_nothing() throws IOException {
        try (StagedWrite w = store.beginWrite(key("too-big"))) {
            OutputStream out = w.stream();
            assertThatThrownBy(() -> {
                try (InputStream in = TestBytes.random(1, 4L * DISK)) {
                    in.transferTo(out);
                }
            }).isInstanceOf(IOException.class)
                    .hasMessageContaining("no space left on device")
                    .hasMessageContaining(root.toString())
                    .hasMessageContaining("too-big");
            assertThatThrownBy(w::commit).as("a commit after a failed write")
                    .isInstanceOf(StorageUnavailableException.class)
                    .hasMessageContaining("no space left on device");
        }
        assertNothingLeftAndTheSpaceIsFree();
    }

    @Test
    void bytes_that_only_overflow_the_disk_at_commit_give_a_clear_error_and_leave_nothing() throws IOException {
        int size = DISK + DISK / 2; // more than the disk, less than the write buffer: nothing reaches it before commit
        assertThat(size).isLessThan(FileStagedWrite.BUFFER_SIZE);
        try (StagedWrite w = store.beginWrite(key("overflow"))) {
            w.stream().write(TestBytes.randomArray(2, size));
            assertThatThrownBy(w::commit).isInstanceOf(StorageUnavailableException.class)
                    .hasMessageContaining("Cannot commit archive `overflow`")
                    .hasMessageContaining("no space left on device")
                    .hasMessageContaining(root.toString());
        }
        assertNothingLeftAndTheSpaceIsFree();
    }

    @Test
    void a_failed_rewrite_keeps_the_previous_archive_whole() throws IOException {
        byte[] first = TestBytes.randomArray(3, 100_000);
        try (StagedWrite w = store.beginWrite(key("kept"))) {
            w.stream().write(first);
            w.commit();
        }
        try (StagedWrite w = store.beginWrite(key("kept"))) {
            w.stream().write(TestBytes.randomArray(4, DISK));
            assertThatThrownBy(w::commit).isInstanceOf(StorageUnavailableException.class);
        }
        try (InputStream in = store.open(key("kept"))) {
            assertThat(in.readAllBytes()).isEqualTo(first);
        }
        assertThat(store.inventory().archives().keySet()).containsExactly(key("kept"));
        assertThat(store.removeStaged(Set::of)).isZero();
    }

    @Test
    void a_disk_that_turns_read_only_refuses_writes_clearly_and_still_serves_reads() throws Exception {
        byte[] bytes = TestBytes.randomArray(5, 1000);
        try (StagedWrite w = store.beginWrite(key("before"))) {
            w.stream().write(bytes);
            w.commit();
        }
        disk.remountReadOnly();

        assertThatThrownBy(() -> store.beginWrite(key("after"))).isInstanceOf(StorageUnavailableException.class)
                .hasMessageContaining("read-only file system")
                .hasMessageContaining(root.toString());
        assertThatThrownBy(() -> store.delete(key("before"))).isInstanceOf(StorageUnavailableException.class)
                .hasMessageContaining("read-only file system");
        try (InputStream in = store.open(key("before"))) {
            assertThat(in.readAllBytes()).isEqualTo(bytes);
        }
        assertThatThrownBy(() -> new FileSystemArchiveStore(root)).as("a new store on it")
                .isInstanceOf(StorageUnavailableException.class)
                .hasMessageContaining(root.toString());
    }

    private void assertNothingLeftAndTheSpaceIsFree() throws IOException {
        try (Stream<Path> entries = Files.walk(root)) {
            assertThat(entries.filter(p -> !Files.isDirectory(p))).as("files in the archive directory").isEmpty();
        }
        byte[] fits = TestBytes.randomArray(6, DISK * 3 / 4);
        try (StagedWrite w = store.beginWrite(key("fits"))) {
            w.stream().write(fits);
            assertThat(w.commit().size()).isEqualTo(fits.length);
        }
    }
}
