package io.snapkeep.storage.fs;

import io.snapkeep.storage.fs.FileMoves.Moved;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The previous release's names, directly in the root: {@code <key>.zip}, {@code <head>.long/<tail>.zip}
 * (the {@link ArchiveKeys} scheme for archives) and staging files {@code .snapkeep-staging-<id>.part}. When
 * the store opens, each such regular file moves into the layout under the same name ({@code archives/...},
 * {@code staging/...}); nothing else in the root is touched. A key the layout already holds keeps the
 * layout's archive, and the old file stays where it is until the key is deleted.
 */
final class LegacyLayout {
    private static final System.Logger LOG = System.getLogger(LegacyLayout.class.getName());

    private LegacyLayout() {
    }

    /** Moves every archive and staging file of the previous release into the layout; how many archives moved. */
    static int upgrade(Layout layout) throws IOException {
        int archives = 0;
        for (Path entry : list(layout.root())) {
            String name = entry.getFileName().toString();
            BasicFileAttributes attributes = attributes(entry);
            if (attributes == null) {
                continue;
            }
            if (attributes.isRegularFile()) {
                String key = ArchiveKeys.keyOf(name, ArchiveKeys.ARCHIVE);
                if (key != null) {
                    archives += moveArchive(layout, key, entry) ? 1 : 0;
                } else if (StagingFiles.isPreviousName(name)) {
                    moveStagingFile(layout, entry);
                }
            } else if (attributes.isDirectory() && ArchiveKeys.isLongKeyDirectoryName(name)) {
                archives += upgradeLongKeys(layout, entry);
            }
        }
        if (archives > 0) {
            LOG.log(System.Logger.Level.INFO, "Moved " + archives + " archive(s) of the previous release into "
                    + layout.archives());
        }
        return archives;
    }

    private static int upgradeLongKeys(Layout layout, Path directory) throws IOException {
        int moved = 0;
        for (Path entry : list(directory)) {
            String key = ArchiveKeys.keyOf(directory.getFileName().toString(), entry.getFileName().toString(),
                    ArchiveKeys.ARCHIVE);
            BasicFileAttributes attributes = attributes(entry);
            if (key != null && attributes != null && attributes.isRegularFile()) {
                moved += moveArchive(layout, key, entry) ? 1 : 0;
            }
        }
        if (moved > 0) {
            Directories.removeIfEmpty(directory, layout.root());
        }
        return moved;
    }

    /**
     * Moves the previous release's archive of {@code key} into the layout, unless the layout holds the key;
     * the moved archive's file, or empty.
     */
    static Optional<Path> adopt(Layout layout, String key) throws IOException {
        Path legacy = layout.legacyFile(key);
        Path target = layout.archiveFile(key);
        if (!RecordFiles.isRegularFile(legacy, layout.root()) || Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        return moveArchive(layout, key, legacy) ? Optional.of(target) : Optional.empty();
    }

    /** Deletes the previous release's archive of {@code key}, if there is one; never a link. */
    static void delete(Layout layout, String key) throws IOException {
        Path legacy = layout.legacyFile(key);
        if (RecordFiles.isRegularFile(legacy, layout.root()) && Files.deleteIfExists(legacy)) {
            Directories.sync(legacy.getParent());
            Directories.removeIfEmpty(legacy.getParent(), layout.root());
        }
    }

    private static boolean moveArchive(Layout layout, String key, Path legacy) throws IOException {
        Path target = layout.archiveFile(key);
        Directories.prepareParent(target, layout.archives());
        Moved moved = FileMoves.moveNoReplace(legacy, target);
        if (moved == Moved.TAKEN) {
            LOG.log(System.Logger.Level.WARNING, "The archive of `" + key + "` is in " + layout.archives()
                    + " and also where the previous release kept it, " + legacy + ": the first is used, the"
                    + " second stays until the snapshot is deleted");
        } else if (moved == Moved.GONE) {
            Directories.removeIfEmpty(target.getParent(), layout.archives());
        } else if (!legacy.getParent().equals(layout.root())) {
            Directories.removeIfEmpty(legacy.getParent(), layout.root());
        }
        if (moved == Moved.MOVED) {
            // the previous release wrote it with the umask's mode, often readable by everyone
            OwnerOnly.tightenFile(target);
        }
        return moved == Moved.MOVED;
    }

    /**
     * A staging file the previous release left in the root goes to {@code staging}, where
     * {@code removeStaged} finds it; one whose lock a live process holds stays.
     */
    private static void moveStagingFile(Layout layout, Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
            boolean live;
            try {
                live = channel.tryLock() == null; // held by a live write in another process
            } catch (OverlappingFileLockException e) {
                live = true;
            } catch (IOException e) {
                live = false; // no locks on this file system: at start-up, nothing else is writing
            }
            if (!live) {
                // moved while this lock is held; closing the channel releases it
                FileMoves.moveNoReplace(file, layout.staging().resolve(file.getFileName()));
            }
        } catch (NoSuchFileException e) {
            // its writer finished meanwhile
        }
    }

    private static BasicFileAttributes attributes(Path entry) throws IOException {
        try {
            return Files.readAttributes(entry, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    private static List<Path> list(Path directory) throws IOException {
        List<Path> entries = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory)) {
            stream.forEach(entries::add);
        }
        return entries;
    }
}
