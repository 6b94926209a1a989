package io.snapkeep.storage.fs;

import static io.snapkeep.storage.fs.TestKeys.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snapkeep.core.error.StorageUnavailableException;
import io.snapkeep.core.port.out.ArchiveStore;
import io.snapkeep.core.port.out.ArchiveStore.StagedWrite;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the store writes, where, and that it touches nothing else under its root. */
class LayoutTest {
    private static final String LONGEST = "L" + "x".repeat(255);

    @TempDir
    Path dir;

    @Test
    void archives_records_and_staged_writes_each_have_their_directory() throws IOException {
        Path root = dir.resolve("root");
        ArchiveStore store = new FileSystemArchiveStore(root);
        try (StagedWrite w = store.beginWrite(key("snap"))) {
            w.stream().write(new byte[] {1, 2});
            w.stream().flush();
            assertThat(LegacyUpgradeTest.names(root.resolve("staging"))).singleElement().asString()
                    .matches("snap\\.[0-9a-f]{32}\\.part");
            w.commit();
        }
        store.writeRecord(key("snap"), new byte[] {3});
        put(store, LONGEST);
        store.writeRecord(key(LONGEST), new byte[] {4});

        assertThat(root.resolve("archives/snap.zip")).hasBinaryContent(new byte[] {1, 2});
        assertThat(root.resolve("records/snap.json")).hasBinaryContent(new byte[] {3});
        assertThat(root.resolve("records").resolve("L" + "x".repeat(199) + ".long").resolve("x".repeat(56) + ".json"))
                .hasBinaryContent(new byte[] {4});
        assertThat(LegacyUpgradeTest.names(root.resolve("staging"))).as("nothing staged is left").isEmpty();
        assertThat(LegacyUpgradeTest.names(root)).containsExactlyInAnyOrder("archives", "records", "staging");
    }

    @Test
    void foreign_files_in_the_root_and_inside_the_layout_survive_every_operation() throws IOException {
        Path root = Files.createDirectories(dir.resolve("root"));
        Map<String, String> foreign = new LinkedHashMap<>();
        foreign.put("notes.txt", "in the root");
        foreign.put(".keep", "in the root");
        foreign.put("other/data.bin", "a directory in the root");
        foreign.put("archives/readme.md", "not named like a key");
        foreign.put("archives/.hidden.zip", "not a key");
        foreign.put("archives/sub/x.zip", "deeper than the layout");
        foreign.put("archives/abc.long/notes.zip", "not a long key");
        foreign.put("archives/snap.json", "a record's name in archives/");
        foreign.put("records/notes.txt", "not named like a key");
        foreign.put("records/snap.json.bak", "another suffix");
        foreign.put("records/snap.zip", "an archive's name in records/");
        foreign.put("staging/keep.txt", "not a staging name");
        foreign.put("staging/" + StagingFiles.PREVIOUS_PREFIX + "x" + StagingFiles.SUFFIX + ".bak", "not a staging name");
        foreign.put("staging/notes.part", "no random part");
        foreign.put("staging/snap." + "0".repeat(31) + ".part", "a random part one digit short");
        foreign.put("staging/snap." + "A".repeat(32) + ".part", "upper-case digits");
        foreign.put("staging/.hidden." + "0".repeat(32) + ".part", "not a key");
        foreign.put("staging/snap." + "0".repeat(32) + ".zip", "another suffix");
        foreign.put("staging/x.." + "0".repeat(63) + "." + "0".repeat(32) + ".part", "a digest one digit short");
        for (Map.Entry<String, String> file : foreign.entrySet()) {
            Files.createDirectories(root.resolve(file.getKey()).getParent());
            Files.writeString(root.resolve(file.getKey()), file.getValue());
        }

        ArchiveStore store = new FileSystemArchiveStore(root);
        put(store, "snap");
        store.writeRecord(key("snap"), new byte[] {1});
        put(store, "doomed");
        store.writeRecord(key("doomed"), new byte[] {2});
        assertThat(store.inventory().archives().keySet()).containsExactlyInAnyOrder(key("snap"), key("doomed"));
        assertThat(store.inventory().records()).containsExactlyInAnyOrder(key("snap"), key("doomed"));
        store.delete(key("doomed"));
        store.delete(key("readme"));
        store.delete(key("notes"));
        assertThat(store.removeStaged(Set::of)).isZero();
        try (StagedWrite w = store.beginWrite(key("aborted"))) {
            w.stream().write(1);
            w.abort();
        }
        new FileSystemArchiveStore(root).removeStaged(Set::of);

        assertThat(store.inventory().archives().keySet()).containsExactly(key("snap"));
        assertThat(store.inventory().records()).containsExactly(key("snap"));
        assertThat(store.readRecord(key("notes"))).isEmpty();
        for (Map.Entry<String, String> file : foreign.entrySet()) {
            assertThat(root.resolve(file.getKey())).as(file.getKey()).hasContent(file.getValue());
        }
    }

    @Test
    void a_record_that_is_a_link_is_not_read_listed_or_followed_by_delete() throws IOException {
        Path root = dir.resolve("root");
        ArchiveStore store = new FileSystemArchiveStore(root);
        Path outside = Files.writeString(dir.resolve("outside.json"), "outside");
        put(store, "linked");
        Files.createSymbolicLink(root.resolve("records/linked.json"), outside);

        assertThat(store.readRecord(key("linked"))).isEmpty();
        assertThat(store.inventory().records()).isEmpty();
        store.delete(key("linked"));
        assertThat(outside).hasContent("outside");
    }

    @Test
    void a_layout_directory_that_is_a_file_or_a_link_is_refused() throws IOException {
        Path root = Files.createDirectories(dir.resolve("root"));
        Files.writeString(root.resolve("records"), "a file where the records go");
        assertThatThrownBy(() -> new FileSystemArchiveStore(root)).isInstanceOf(StorageUnavailableException.class)
                .hasMessageContaining("records").hasMessageContaining(root.toString());
        assertThat(root.resolve("records")).hasContent("a file where the records go");

        Path other = Files.createDirectories(dir.resolve("other"));
        Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
        Files.createSymbolicLink(other.resolve("archives"), elsewhere);
        assertThatThrownBy(() -> new FileSystemArchiveStore(other)).isInstanceOf(StorageUnavailableException.class)
                .hasMessageContaining("archives");
    }

    private static void put(ArchiveStore store, String key) throws IOException {
        try (StagedWrite w = store.beginWrite(key(key))) {
            w.stream().write(key.length());
            w.commit();
        }
    }
}
