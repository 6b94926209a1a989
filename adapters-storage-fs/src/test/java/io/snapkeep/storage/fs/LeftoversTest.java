package io.snapkeep.storage.fs;

import static io.snapkeep.storage.fs.TestKeys.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snapkeep.core.error.StorageUnavailableException;
import io.snapkeep.core.port.out.ArchiveStore;
import io.snapkeep.core.port.out.ArchiveStore.StagedWrite;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
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
        Path leftover = Files.write(staging.resolve(StagingFiles.PREVIOUS_PREFIX + "from-a-crash" + StagingFiles.SUFFIX), new byte[1000]);
        Path notes = Files.writeString(staging.resolve("notes.txt"), "operator's file");
        Path otherHidden = Files.writeString(staging.resolve(".keep"), "operator's file");
        Path besideTheLayout = Files.write(root.resolve(StagingFiles.PREVIOUS_PREFIX + "not-in-staging" + StagingFiles.SUFFIX + ".txt"), new byte[1]);
        try (StagedWrite w = store.beginWrite(key("committed"))) {
            w.stream().write(1);
            w.commit();
        }

        assertThat(store.removeStaged(Set::of)).isEqualTo(1);

        assertThat(leftover).doesNotExist();
        assertThat(notes).exists();
        assertThat(otherHidden).exists();
        assertThat(besideTheLayout).exists();
        assertThat(store.inventory().archives().keySet()).containsExactly(key("committed"));
        assertThat(store.removeStaged(Set::of)).isZero();
    }

    @Test
    void a_leftover_stays_while_its_key_is_in_use_and_goes_once_it_is_not() throws IOException {
        String longKey = "L" + "x".repeat(255);
        Path shortKeys = leftover("crashed");
        Path longKeys = leftover(longKey);
        assertThat(longKeys.getFileName().toString()).as("a long key is named by its digest")
                .startsWith("L" + "x".repeat(99) + "..").doesNotContain("x".repeat(101));

        assertThat(store.removeStaged(() -> Set.of(key("crashed"), key(longKey)))).isZero();
        assertThat(shortKeys).exists();
        assertThat(longKeys).exists();

        assertThat(store.removeStaged(() -> Set.of(key("crashed"), key("L" + "x".repeat(254) + "y")))).isEqualTo(1);
        assertThat(shortKeys).exists();
        assertThat(longKeys).as("another long key with the same first characters").doesNotExist();

        assertThat(store.removeStaged(Set::of)).isEqualTo(1);
        assertThat(stagingFiles()).isEmpty();
    }

    @Test
    void a_name_of_the_previous_releases_carries_no_key_and_is_never_in_use() throws IOException {
        Path old = Files.write(root.resolve("staging").resolve(StagingFiles.PREVIOUS_PREFIX + "crashed" + StagingFiles.SUFFIX),
                new byte[10]);

        assertThat(store.removeStaged(() -> Set.of(key("crashed"), key(StagingFiles.PREVIOUS_PREFIX + "crashed"))))
                .isEqualTo(1);

        assertThat(old).doesNotExist();
    }

    @Test
    void this_instances_writes_stay_and_a_second_instances_stay_while_their_keys_are_in_use() throws IOException {
        byte[] bytes = "in progress".getBytes(StandardCharsets.UTF_8);
        // a second store on the same directory stands for another node
        ArchiveStore otherNode = new FileSystemArchiveStore(root);
        try (StagedWrite mine = store.beginWrite(key("mine"));
             StagedWrite theirs = otherNode.beginWrite(key("theirs"))) {
            mine.stream().write(bytes);
            mine.stream().flush();
            theirs.stream().write(bytes);
            theirs.stream().flush();
            assertThat(stagingFiles()).hasSize(2);

            assertThat(store.removeStaged(() -> Set.of(key("theirs")))).isZero();
            assertThat(otherNode.removeStaged(() -> Set.of(key("mine")))).isZero();

            assertThat(stagingFiles()).hasSize(2);
            mine.commit();
            theirs.commit();
        }
        assertThat(stagingFiles()).isEmpty();
        try (InputStream in = store.open(key("mine"))) {
            assertThat(in.readAllBytes()).isEqualTo(bytes);
        }
        try (InputStream in = store.open(key("theirs"))) {
            assertThat(in.readAllBytes()).isEqualTo(bytes);
        }
    }

    @Test
    void a_write_whose_staging_file_was_removed_says_so_at_commit_and_leaves_nothing() throws IOException {
        ArchiveStore otherNode = new FileSystemArchiveStore(root);
        try (StagedWrite dead = otherNode.beginWrite(key("taken-for-dead"))) {
            dead.stream().write(new byte[5000]);

            assertThat(store.removeStaged(Set::of)).isEqualTo(1);

            assertThatThrownBy(dead::commit).isInstanceOf(StorageUnavailableException.class)
                    .hasMessageContaining("Cannot commit archive `taken-for-dead`")
                    .hasMessageContaining("removed while it was being written")
                    .hasMessageContaining("not in use")
                    .hasMessageContaining(root.toString());
        }
        assertThat(stagingFiles()).isEmpty();
        assertThat(LegacyUpgradeTest.names(root.resolve("archives"))).isEmpty();
    }

    @Test
    void a_write_of_a_live_process_is_kept_and_removed_once_that_process_is_killed_and_its_key_free() throws Exception {
        Process writer = startWriterProcess("crashing");
        try {
            assertThat(stagingFiles()).hasSize(1);

            assertThat(store.removeStaged(Set::of)).as("the other process still holds the lock of its file").isZero();
            assertThat(stagingFiles()).hasSize(1);

            OtherProcess.kill(writer);

            assertThat(store.removeStaged(() -> Set.of(key("crashing")))).as("its key is still in use").isZero();
            assertThat(store.removeStaged(Set::of)).isEqualTo(1);
            assertThat(stagingFiles()).isEmpty();
            assertThat(store.stat(key("crashing"))).isEmpty();
        } finally {
            writer.destroyForcibly();
        }
    }

    /** A staging file of {@code key} that no process holds, as a node that died leaves it. */
    private Path leftover(String key) throws IOException {
        Path name = StagingFiles.claimNew(root.resolve("staging"), key, this);
        StagingFiles.release(name);
        return Files.write(name, new byte[100]);
    }

    private Process startWriterProcess(String key) throws Exception {
        return OtherProcess.start(StagingWriterProcess.class, root.toString(), key);
    }

    private List<Path> stagingFiles() throws IOException {
        try (Stream<Path> entries = Files.list(root.resolve("staging"))) {
            return entries.filter(p -> StagingFiles.parse(p.getFileName().toString()) != null).collect(Collectors.toList());
        }
    }
}
