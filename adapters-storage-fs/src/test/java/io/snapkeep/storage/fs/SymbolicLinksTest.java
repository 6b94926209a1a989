package io.snapkeep.storage.fs;

import static io.snapkeep.storage.fs.TestKeys.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snapkeep.core.error.NotFoundException;
import io.snapkeep.core.port.out.ArchiveStore;
import io.snapkeep.core.port.out.ArchiveStore.StagedWrite;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A link inside the archive directory that points outside is never followed: it is not an archive, and
 * nothing outside is read, written or deleted through it.
 */
class SymbolicLinksTest {
    private static final String SECRET = "outside the archive directory";

    @TempDir
    Path dir;

    private Path root;
    private Path outside;
    private Path archives;
    private ArchiveStore store;

    @BeforeEach
    void createStoreWithALinkOut() throws IOException {
        root = dir.resolve("archives");
        store = new FileSystemArchiveStore(root);
        outside = Files.writeString(dir.resolve("secret.zip"), SECRET);
        archives = root.resolve("archives");
        Files.createSymbolicLink(archives.resolve("escape.zip"), outside);
    }

    @Test
    void a_link_is_absent_for_stat_list_and_open() {
        assertThat(store.stat(key("escape"))).isEmpty();
        assertThat(store.inventory().archives().keySet()).isEmpty();
        assertThatThrownBy(() -> store.open(key("escape"))).isInstanceOf(NotFoundException.class)
                .hasMessageContaining("escape");
        assertThatThrownBy(() -> store.openRange(key("escape"), 3, 5)).isInstanceOf(NotFoundException.class);
    }

    @Test
    void delete_of_a_link_deletes_nothing() throws IOException {
        assertThat(store.stat(key("escape"))).isEmpty();
        store.delete(key("escape"));
        assertThat(Files.readString(outside)).isEqualTo(SECRET);
        assertThat(archives.resolve("escape.zip")).isSymbolicLink();
    }

    @Test
    void a_commit_replaces_the_link_itself_and_leaves_its_target_alone() throws IOException {
        byte[] archive = "the new archive".getBytes(StandardCharsets.UTF_8);
        try (StagedWrite w = store.beginWrite(key("escape"))) {
            w.stream().write(archive);
            w.commit();
        }
        assertThat(Files.readString(outside)).isEqualTo(SECRET);
        assertThat(Files.isSymbolicLink(archives.resolve("escape.zip"))).isFalse();
        assertThat(archives.resolve("escape.zip")).isRegularFile().hasBinaryContent(archive);
        try (InputStream in = store.open(key("escape"))) {
            assertThat(in.readAllBytes()).isEqualTo(archive);
        }
    }

    @Test
    void a_link_to_a_directory_outside_is_not_an_archive() throws IOException {
        Path outsideDir = Files.createDirectory(dir.resolve("elsewhere"));
        Files.writeString(outsideDir.resolve("keep.txt"), SECRET);
        Files.createSymbolicLink(archives.resolve("dirlink.zip"), outsideDir);
        assertThat(store.stat(key("dirlink"))).isEmpty();
        store.delete(key("dirlink"));
        assertThat(outsideDir.resolve("keep.txt")).hasContent(SECRET);
    }

    @Test
    void a_link_with_a_staging_name_is_not_removed_as_a_leftover_nor_its_target() throws IOException {
        Path link = Files.createSymbolicLink(root.resolve("staging").resolve(StagingFiles.PREVIOUS_PREFIX + "planted" + StagingFiles.SUFFIX), outside);
        assertThat(store.removeStaged(Set::of)).isZero();
        assertThat(Files.readString(outside)).isEqualTo(SECRET);
        assertThat(link).isSymbolicLink();
    }

    @Test
    void a_root_that_is_itself_a_link_is_used_where_it_points() throws IOException {
        Path real = Files.createDirectory(dir.resolve("real"));
        Path linked = Files.createSymbolicLink(dir.resolve("linked"), real);
        ArchiveStore viaLink = new FileSystemArchiveStore(linked);
        try (StagedWrite w = viaLink.beginWrite(key("inside"))) {
            w.stream().write(7);
            w.commit();
        }
        assertThat(real.resolve("archives/inside.zip")).hasBinaryContent(new byte[] {7});
        assertThat(viaLink.inventory().archives().keySet()).containsExactly(key("inside"));
    }
}
