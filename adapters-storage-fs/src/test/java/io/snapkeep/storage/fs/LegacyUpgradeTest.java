package io.snapkeep.storage.fs;

import static io.snapkeep.storage.fs.TestKeys.key;
import static org.assertj.core.api.Assertions.assertThat;

import io.snapkeep.core.port.out.ArchiveStore;
import io.snapkeep.core.port.out.ArchiveStore.StoredArchive;
import io.snapkeep.core.port.out.StoreKey;
import io.snapkeep.core.testing.TestBytes;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A directory the previous release wrote (archives as {@code <root>/<key>.zip}, long keys one directory
 * down, staging files in the root) opens with every archive listed: its exact names move into the layout,
 * and nothing else in the root is touched.
 */
class LegacyUpgradeTest {
    private static final String LONGEST = "L" + "x".repeat(255);
    private static final String LONG_DIRECTORY = "L" + "x".repeat(199) + ".long";
    private static final String LONG_FILE = "x".repeat(56) + ".zip";

    @TempDir
    Path dir;

    @Test
    void the_fs_root_of_release_0_1_0_opens_with_every_archive_listed_at_its_size() throws IOException {
        Path root = dir.resolve("archives");
        ReleaseFixture.unpackArchivesInto(root);
        Map<String, ReleaseFixture.Listed> listed = ReleaseFixture.listed();
        Map<StoreKey, StoredArchive> expected = new HashMap<>();
        listed.values().forEach(a -> expected.put(key(a.id()), new StoredArchive(key(a.id()), a.size())));

        ArchiveStore store = new FileSystemArchiveStore(root);

        assertThat(store.inventory().archives()).isEqualTo(expected);
        assertThat(store.inventory().records()).as("the previous release wrote no records").isEmpty();
        for (ReleaseFixture.Listed archive : listed.values()) {
            assertThat(store.stat(key(archive.id()))).contains(new StoredArchive(key(archive.id()), archive.size()));
            try (InputStream in = store.open(key(archive.id()))) {
                assertThat(TestBytes.sha256(in)).as(archive.id()).isEqualTo(archive.sha256());
            }
        }
        assertThat(names(root)).as("the root after the upgrade").containsExactlyInAnyOrder("archives", "records", "staging");
        assertThat(names(root.resolve("archives"))).hasSize(listed.size());

        ArchiveStore reopened = new FileSystemArchiveStore(root);
        assertThat(reopened.inventory().archives()).isEqualTo(expected);
    }

    @Test
    void only_the_previous_releases_exact_names_move_and_everything_else_in_the_root_stays() throws Exception {
        Path root = Files.createDirectories(dir.resolve("root"));
        Path outside = Files.writeString(dir.resolve("outside.zip"), "not in the store");
        Files.writeString(root.resolve("old.zip"), "old archive");
        Files.createDirectories(root.resolve(LONG_DIRECTORY));
        Files.writeString(root.resolve(LONG_DIRECTORY).resolve(LONG_FILE), "old long archive");
        Files.writeString(root.resolve(LONG_DIRECTORY).resolve("notes.txt"), "kept");
        Files.writeString(root.resolve(StagingFiles.PREVIOUS_PREFIX + "dead" + StagingFiles.SUFFIX), "dead write");
        Map<String, String> foreign = Map.of(
                "notes.txt", "operator's notes",
                ".hidden.zip", "not a key",
                "UPPER.ZIP", "another suffix",
                "readme.zip.txt", "another suffix",
                "folder.zip/inside.txt", "a directory named like an archive",
                "short.long/tail.zip", "not a long key's directory",
                "a..b.zip", "not a key");
        for (Map.Entry<String, String> file : foreign.entrySet()) {
            Files.createDirectories(root.resolve(file.getKey()).getParent());
            Files.writeString(root.resolve(file.getKey()), file.getValue());
        }
        Files.createSymbolicLink(root.resolve("escape.zip"), outside);

        ArchiveStore store = new FileSystemArchiveStore(root);

        assertThat(store.inventory().archives().keySet()).containsExactlyInAnyOrder(key("old"), key(LONGEST));
        assertThat(read(store, "old")).isEqualTo("old archive");
        assertThat(read(store, LONGEST)).isEqualTo("old long archive");
        assertThat(root.resolve("old.zip")).doesNotExist();
        assertThat(root.resolve(LONG_DIRECTORY).resolve(LONG_FILE)).doesNotExist();
        assertThat(root.resolve(LONG_DIRECTORY).resolve("notes.txt")).as("a foreign file keeps its directory").hasContent("kept");
        assertThat(root.resolve("staging").resolve(StagingFiles.PREVIOUS_PREFIX + "dead" + StagingFiles.SUFFIX)).hasContent("dead write");
        assertThat(store.removeStaged(Set::of)).isEqualTo(1);
        for (Map.Entry<String, String> file : foreign.entrySet()) {
            assertThat(root.resolve(file.getKey())).as(file.getKey()).hasContent(file.getValue());
        }
        assertThat(root.resolve("escape.zip")).isSymbolicLink();
        assertThat(outside).hasContent("not in the store");
    }

    @Test
    void a_key_the_layout_already_holds_keeps_the_layouts_archive_and_the_old_copy_goes_with_delete() throws IOException {
        Path root = Files.createDirectories(dir.resolve("root"));
        Files.createDirectories(root.resolve("archives"));
        Files.writeString(root.resolve("archives/dup.zip"), "the layout's");
        Files.writeString(root.resolve("dup.zip"), "the old release's");

        ArchiveStore store = new FileSystemArchiveStore(root);

        assertThat(read(store, "dup")).isEqualTo("the layout's");
        assertThat(root.resolve("dup.zip")).as("nothing valid is deleted on open").hasContent("the old release's");
        assertThat(store.adoptLegacy(key("dup"))).isEmpty();
        assertThat(read(store, "dup")).isEqualTo("the layout's");

        store.delete(key("dup"));

        assertThat(store.stat(key("dup"))).isEmpty();
        assertThat(root.resolve("dup.zip")).doesNotExist();
        assertThat(root.resolve("archives/dup.zip")).doesNotExist();
    }

    @Test
    void an_upgrade_cut_off_between_its_link_and_its_unlink_is_completed() throws IOException {
        Path root = Files.createDirectories(dir.resolve("root"));
        Files.createDirectories(root.resolve("archives"));
        Files.writeString(root.resolve("half.zip"), "moved halfway");
        Files.createLink(root.resolve("archives/half.zip"), root.resolve("half.zip"));

        ArchiveStore store = new FileSystemArchiveStore(root);

        assertThat(root.resolve("half.zip")).doesNotExist();
        assertThat(read(store, "half")).isEqualTo("moved halfway");
    }

    @Test
    void adopt_legacy_moves_an_old_archive_that_appears_after_open_and_only_that_name() throws IOException {
        Path root = dir.resolve("root");
        ArchiveStore store = new FileSystemArchiveStore(root);
        Files.writeString(root.resolve("late.zip"), "put back from a backup");
        Files.writeString(root.resolve("late"), "not the old name");
        Files.createDirectories(root.resolve(LONG_DIRECTORY));
        Files.writeString(root.resolve(LONG_DIRECTORY).resolve(LONG_FILE), "a long one");
        assertThat(store.inventory().archives()).isEmpty();

        assertThat(store.adoptLegacy(key("late"))).contains(new StoredArchive(key("late"), 22));
        assertThat(store.adoptLegacy(key(LONGEST))).contains(new StoredArchive(key(LONGEST), 10));

        assertThat(store.inventory().archives().keySet()).containsExactlyInAnyOrder(key("late"), key(LONGEST));
        assertThat(read(store, "late")).isEqualTo("put back from a backup");
        assertThat(root.resolve("late.zip")).doesNotExist();
        assertThat(root.resolve(LONG_DIRECTORY)).as("the emptied old directory goes").doesNotExist();
        assertThat(root.resolve("late")).hasContent("not the old name");
        assertThat(store.adoptLegacy(key("late"))).isEmpty();
    }

    @Test
    void a_staging_file_a_live_process_holds_stays_in_the_root_until_that_process_is_gone() throws Exception {
        Path root = Files.createDirectories(dir.resolve("root"));
        Path live = root.resolve(StagingFiles.PREVIOUS_PREFIX + "live" + StagingFiles.SUFFIX);
        Process holder = OtherProcess.start(LockHolderProcess.class, live.toString());
        try {
            ArchiveStore store = new FileSystemArchiveStore(root);
            assertThat(live).exists();
            assertThat(store.removeStaged(Set::of)).isZero();

            OtherProcess.kill(holder);

            ArchiveStore restarted = new FileSystemArchiveStore(root);
            assertThat(live).doesNotExist();
            assertThat(restarted.removeStaged(Set::of)).isEqualTo(1);
            assertThat(names(root.resolve("staging"))).isEmpty();
        } finally {
            holder.destroyForcibly();
        }
    }

    private static String read(ArchiveStore store, String key) throws IOException {
        try (InputStream in = store.open(key(key))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static List<String> names(Path directory) throws IOException {
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.map(p -> p.getFileName().toString()).collect(Collectors.toList());
        }
    }
}
