package io.snapkeep.storage.fs;

import static io.snapkeep.storage.fs.TestKeys.key;
import static org.assertj.core.api.Assertions.assertThat;

import io.snapkeep.core.port.out.ArchiveStore;
import io.snapkeep.core.port.out.ArchiveStore.StagedWrite;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Staging files left by a dead process are removed; those of live writes, here or elsewhere, are kept. */
class LeftoversTest {
    @TempDir
    Path dir;

    private Path root;
    private ArchiveStore store;

    @BeforeEach
    void createStore() {
        root = dir.resolve("archives");
        store = new FileSystemArchiveStore(root);
    }

    @Test
    void a_staging_file_nobody_owns_is_removed_and_other_files_are_kept() throws IOException {
        Path staging = root.resolve("staging");
        Path leftover = Files.write(staging.resolve(StagingFiles.PREFIX + "from-a-crash" + StagingFiles.SUFFIX), new byte[1000]);
        Path notes = Files.writeString(staging.resolve("notes.txt"), "operator's file");
        Path otherHidden = Files.writeString(staging.resolve(".keep"), "operator's file");
        Path besideTheLayout = Files.write(root.resolve(StagingFiles.PREFIX + "not-in-staging" + StagingFiles.SUFFIX + ".txt"), new byte[1]);
        try (StagedWrite w = store.beginWrite(key("committed"))) {
            w.stream().write(1);
            w.commit();
        }

        assertThat(store.removeStaged()).isEqualTo(1);

        assertThat(leftover).doesNotExist();
        assertThat(notes).exists();
        assertThat(otherHidden).exists();
        assertThat(besideTheLayout).exists();
        assertThat(store.inventory().archives().keySet()).containsExactly(key("committed"));
        assertThat(store.removeStaged()).isZero();
    }

    @Test
    void a_live_write_in_this_process_keeps_its_staging_file_and_still_commits() throws IOException {
        byte[] bytes = "in progress".getBytes(StandardCharsets.UTF_8);
        // a second store on the same directory: ownership is per process, not per store
        ArchiveStore restarted = new FileSystemArchiveStore(root);
        try (StagedWrite w = store.beginWrite(key("live"))) {
            w.stream().write(bytes);
            w.stream().flush();
            assertThat(stagingFiles()).hasSize(1);

            assertThat(store.removeStaged()).isZero();
            assertThat(restarted.removeStaged()).isZero();

            assertThat(stagingFiles()).hasSize(1);
            w.commit();
        }
        assertThat(stagingFiles()).isEmpty();
        try (InputStream in = store.open(key("live"))) {
            assertThat(in.readAllBytes()).isEqualTo(bytes);
        }
    }

    @Test
    void a_write_of_a_live_process_is_kept_and_removed_once_that_process_is_killed() throws Exception {
        Process writer = startWriterProcess("crashing");
        try {
            assertThat(stagingFiles()).hasSize(1);

            assertThat(store.removeStaged()).as("the other process still owns its file").isZero();
            assertThat(stagingFiles()).hasSize(1);

            OtherProcess.kill(writer);

            assertThat(store.removeStaged()).isEqualTo(1);
            assertThat(stagingFiles()).isEmpty();
            assertThat(store.stat(key("crashing"))).isEmpty();
        } finally {
            writer.destroyForcibly();
        }
    }

    private Process startWriterProcess(String key) throws Exception {
        return OtherProcess.start(StagingWriterProcess.class, root.toString(), key);
    }

    private List<Path> stagingFiles() throws IOException {
        try (Stream<Path> entries = Files.list(root.resolve("staging"))) {
            return entries.filter(p -> StagingFiles.isStagingName(p.getFileName().toString())).collect(Collectors.toList());
        }
    }
}
