package io.snapkeep.storage.fs;

import static io.snapkeep.storage.fs.TestKeys.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snapkeep.core.error.InvalidParameterException;
import io.snapkeep.core.port.out.ArchiveStore;
import io.snapkeep.core.port.out.ArchiveStore.StagedWrite;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Keys that would name a path outside the archive directory, or a staging file, are refused everywhere. */
class BadKeysTest {
    @TempDir
    Path dir;

    private Path root;
    private ArchiveStore store;

    @BeforeEach
    void createStore() {
        root = dir.resolve("archives");
        store = new FileSystemArchiveStore(root);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/", "a/b", "..", "../outside", "a..b", "..\\outside", "a\\b", "/etc/passwd",
            "C:archive", "a\u0000b", "line\nbreak", "tab\tbed", "del\u007f", ".hidden",
            ".snapkeep-staging-0.part"})
    void a_bad_key_is_refused_by_every_operation(String key) throws IOException {
        assertThatThrownBy(() -> store.beginWrite(key(key))).isInstanceOf(InvalidParameterException.class)
                .hasMessageContaining("archive key");
        assertThatThrownBy(() -> store.stat(key(key))).isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> store.open(key(key))).isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> store.openRange(key(key), 0, 1)).isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> store.delete(key(key))).isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> store.writeRecord(key(key), new byte[1])).isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> store.readRecord(key(key))).isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> store.adoptLegacy(key(key))).isInstanceOf(InvalidParameterException.class);
        try (Stream<Path> created = Files.walk(root)) {
            assertThat(created).containsExactlyInAnyOrder(root, root.resolve("archives"), root.resolve("records"),
                    root.resolve("staging"));
        }
        try (Stream<Path> beside = Files.list(dir)) {
            assertThat(beside).containsExactly(root);
        }
    }

    @Test
    void a_null_key_is_refused() {
        assertThatThrownBy(() -> store.beginWrite(null)).isInstanceOf(InvalidParameterException.class);
    }

    @Test
    void the_message_shows_control_characters_escaped() {
        assertThatThrownBy(() -> store.stat(key("bad\nkey"))).hasMessageContaining("bad\\u000Akey");
    }

    @Test
    void keys_longer_than_a_file_name_are_stored_one_directory_down() throws IOException {
        String fits = "k".repeat(ArchiveKeys.MAX_FILE_NAME_BYTES - ArchiveKeys.ARCHIVE.length());
        String longest = "L" + "x".repeat(255);
        String other = "L" + "x".repeat(199) + "y".repeat(56);
        for (String key : new String[] {fits, fits + "k", longest, other}) {
            try (StagedWrite w = store.beginWrite(key(key))) {
                w.stream().write(key.length() % 100);
                w.commit();
            }
        }
        assertThat(store.inventory().archives().keySet()).containsExactlyInAnyOrder(key(fits), key(fits + "k"), key(longest), key(other));
        assertThat(root.resolve("archives").resolve(fits + ".zip")).isRegularFile();
        assertThat(root.resolve("archives").resolve("L" + "x".repeat(199) + ".long")).isDirectory();
        try (var in = store.open(key(longest))) {
            assertThat(in.read()).isEqualTo(256 % 100);
        }
        assertThat(store.stat(key(longest))).isPresent();
        store.delete(key(longest));
        assertThat(store.inventory().archives().keySet()).containsExactlyInAnyOrder(key(fits), key(fits + "k"), key(other));
        assertThat(store.stat(key(other))).isPresent();
        store.delete(key(other));
        assertThat(root.resolve("archives").resolve("L" + "x".repeat(199) + ".long")).as("an emptied directory goes").doesNotExist();
        assertThatThrownBy(() -> store.beginWrite(key("k".repeat(600)))).isInstanceOf(InvalidParameterException.class)
                .hasMessageContaining("too long");
    }

    @Test
    void a_long_keys_directory_that_is_a_link_is_not_followed() throws IOException {
        String longest = "L" + "x".repeat(255);
        Path outside = Files.createDirectories(root.getParent().resolve("outside-" + System.nanoTime()));
        Files.write(outside.resolve("x".repeat(56) + ".zip"), new byte[] {1});
        Files.createSymbolicLink(root.resolve("archives").resolve("L" + "x".repeat(199) + ".long"), outside);
        assertThat(store.stat(key(longest))).isEmpty();
        assertThat(store.inventory().archives().keySet()).isEmpty();
        assertThat(store.stat(key(longest))).isEmpty();
        store.delete(key(longest));
        assertThat(outside.resolve("x".repeat(56) + ".zip")).exists();
        try (StagedWrite w = store.beginWrite(key(longest))) {
            w.stream().write(1);
            assertThatThrownBy(w::commit).hasMessageContaining("not a directory of this store");
        }
    }

    @Test
    void files_that_are_not_archives_are_not_listed() throws IOException {
        Path archives = root.resolve("archives");
        Files.writeString(archives.resolve("notes.txt"), "not an archive");
        Files.writeString(archives.resolve(".hidden.zip"), "not a key");
        Files.createDirectory(archives.resolve("folder.zip"));
        assertThat(store.inventory().archives().keySet()).isEmpty();
        assertThat(store.stat(key("folder"))).isEmpty();
        store.delete(key("folder"));
        assertThat(archives.resolve("folder.zip")).isDirectory();
    }
}
