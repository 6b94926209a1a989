package io.snapkeep.storage.fs;

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
        assertThatThrownBy(() -> store.beginWrite(key)).isInstanceOf(InvalidParameterException.class)
                .hasMessageContaining("archive key");
        assertThatThrownBy(() -> store.stat(key)).isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> store.open(key)).isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> store.openRange(key, 0, 1)).isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> store.delete(key)).isInstanceOf(InvalidParameterException.class);
        try (Stream<Path> created = Files.list(root)) {
            assertThat(created).isEmpty();
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
        assertThatThrownBy(() -> store.stat("bad\nkey")).hasMessageContaining("bad\\u000Akey");
    }

    @Test
    void the_longest_key_that_fits_a_file_name_is_stored_and_one_more_byte_is_refused() throws IOException {
        String longest = "k".repeat(ArchiveKeys.MAX_FILE_NAME_BYTES - ArchiveKeys.SUFFIX.length());
        try (StagedWrite w = store.beginWrite(longest)) {
            w.stream().write(42);
            w.commit();
        }
        assertThat(store.list()).containsExactly(longest);
        assertThatThrownBy(() -> store.beginWrite(longest + "k")).isInstanceOf(InvalidParameterException.class)
                .hasMessageContaining("too long");
    }

    @Test
    void files_that_are_not_archives_are_not_listed() throws IOException {
        Files.writeString(root.resolve("notes.txt"), "not an archive");
        Files.writeString(root.resolve(".hidden.zip"), "not a key");
        Files.createDirectory(root.resolve("folder.zip"));
        assertThat(store.list()).isEmpty();
        assertThat(store.stat("folder")).isEmpty();
        assertThat(store.delete("folder")).isFalse();
        assertThat(root.resolve("folder.zip")).isDirectory();
    }
}
