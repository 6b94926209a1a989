package io.snapkeep.storage.fs;

import io.snapkeep.core.error.NotFoundException;
import io.snapkeep.core.error.StorageUnavailableException;
import io.snapkeep.core.port.out.ArchiveStore;
import io.snapkeep.core.port.out.StoreKey;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * An {@link ArchiveStore} on a local directory, the root, in the {@link Layout}: archives in
 * {@code archives/<key>.zip}, records in {@code records/<key>.json}, writes in progress in {@code staging/}.
 * Nothing else under the root is listed, changed or removed.
 *
 * <p>Writes (archives and records) are staged in a file of {@code staging/} and renamed into place once the
 * file is synced; the directory is synced after the rename. Only regular files count: a symbolic link is
 * never followed, so it is treated as absent, and a commit replaces the link itself. Bad keys (empty, with
 * {@code /}, {@code \}, {@code ..}, control characters, or a leading dot) are refused with
 * {@link io.snapkeep.core.error.InvalidParameterException}.
 *
 * <p>Opening the store upgrades the previous release's layout in place ({@link LegacyLayout}): its archives
 * ({@code <root>/<key>.zip}) and staging files move into the layout, so they are listed from the start.
 */
public final class FileSystemArchiveStore implements ArchiveStore {
    private final Layout layout;
    /** As configured, for messages. */
    private final Path shownRoot;

    /**
     * A store on {@code root}, created (with its parents and the layout's directories) if missing; the
     * previous release's archives found in it are moved into the layout.
     *
     * @throws StorageUnavailableException when the directory cannot be created, is not a directory, is not
     *                                     readable and writable, or the previous release's files cannot be moved
     */
    public FileSystemArchiveStore(Path root) {
        this.layout = Layout.open(root);
        this.shownRoot = layout.shown();
        try {
            LegacyLayout.upgrade(layout);
        } catch (IOException e) {
            throw StorageFailures.unavailable("Cannot move the previous release's archives into "
                    + Layout.ARCHIVES + "/", shownRoot, e);
        }
    }

    @Override
    public StagedWrite beginWrite(StoreKey key) {
        Path target = archiveFile(key);
        return FileStagedWrite.begin(layout, key, target, this);
    }

    @Override
    public Optional<StoredArchive> stat(StoreKey key) {
        Path file = archiveFile(key);
        return archiveAttributes(file, key).map(a -> new StoredArchive(key, a.size()));
    }

    @Override
    public InputStream openRange(StoreKey key, long offset, long length) {
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("A range needs a non-negative offset and length, got " + offset + "+" + length);
        }
        Path file = archiveFile(key);
        if (archiveAttributes(file, key).isEmpty()) {
            throw notFound(key);
        }
        FileChannel channel;
        try {
            // NOFOLLOW_LINKS (O_NOFOLLOW): a link swapped in after the check above is refused, not read
            channel = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            throw notFound(key);
        } catch (IOException e) {
            throw StorageFailures.unavailable("Cannot open archive `" + key + "`", shownRoot, e);
        }
        try {
            long size = channel.size();
            if (offset > size) {
                channel.close();
                throw new IllegalArgumentException("The range " + offset + "+" + length + " of archive `" + key
                        + "` starts past its end (" + size + " bytes)");
            }
            channel.position(offset);
            return new RangeInputStream(channel, Math.min(length, size - offset),
                    "Archive `" + key + "` in archive directory " + shownRoot);
        } catch (IOException e) {
            try {
                channel.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw StorageFailures.unavailable("Cannot read archive `" + key + "`", shownRoot, e);
        }
    }

    /** The record, then the archive, then the previous release's copy; each removal synced before the next. */
    @Override
    public void delete(StoreKey key) {
        Path archive = archiveFile(key);
        ReentrantLock lock = KeyLocks.of(archive);
        lock.lock();
        try {
            Path record = layout.recordFile(key.value());
            deleteFile(record, layout.records());
            if (archiveAttributes(archive, key).isPresent()) {
                deleteFile(archive, layout.archives());
            }
            LegacyLayout.delete(layout, key.value());
        } catch (IOException e) {
            throw StorageFailures.unavailable("Cannot delete archive `" + key + "`", shownRoot, e);
        } finally {
            lock.unlock();
        }
    }

    /** Deletes the regular file {@code file} of a layout directory, durably; a link is never followed. */
    private static void deleteFile(Path file, Path base) throws IOException {
        if (RecordFiles.isRegularFile(file, base) && Files.deleteIfExists(file)) {
            // deletes the name itself: even a link swapped in meanwhile is removed, never its target
            Directories.sync(file.getParent());
            Directories.removeIfEmpty(file.getParent(), base);
        }
    }

    @Override
    public void writeRecord(StoreKey key, byte[] record) {
        Path archive = archiveFile(key);
        Path target = layout.recordFile(key.value());
        byte[] bytes = record.clone();
        ReentrantLock lock = KeyLocks.of(archive);
        lock.lock();
        try {
            if (archiveAttributes(archive, key).isEmpty()) {
                throw new NotFoundException("No archive is stored under `" + key + "` in " + shownRoot
                        + ": a record is only written for a committed archive");
            }
            RecordFiles.write(layout, key.value(), target, bytes, this);
        } catch (IOException e) {
            throw StorageFailures.unavailable("Cannot write the record of archive `" + key + "`", shownRoot, e);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Optional<byte[]> readRecord(StoreKey key) {
        try {
            return RecordFiles.read(layout.recordFile(value(key)), layout.records());
        } catch (IOException e) {
            throw StorageFailures.unavailable("Cannot read the record of archive `" + key + "`", shownRoot, e);
        }
    }

    /**
     * Moves {@code <root>/<key>.zip} (the previous release's name) to {@code archives/}, unless the layout
     * holds the key. Opening the store already moved every such file; this finds one put back since.
     */
    @Override
    public Optional<StoredArchive> adoptLegacy(StoreKey key) {
        Path archive = archiveFile(key);
        ReentrantLock lock = KeyLocks.of(archive);
        lock.lock();
        try {
            return LegacyLayout.adopt(layout, key.value()).flatMap(moved -> stat(key));
        } catch (IOException e) {
            throw StorageFailures.unavailable("Cannot adopt the previous release's archive `" + key + "`", shownRoot, e);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Inventory inventory() {
        Map<StoreKey, StoredArchive> archives = new HashMap<>();
        Set<StoreKey> records = new HashSet<>();
        try {
            listKeys(layout.archives(), ArchiveKeys.ARCHIVE, (key, a) -> archives.put(key, new StoredArchive(key, a.size())));
            listKeys(layout.records(), ArchiveKeys.RECORD, (key, a) -> records.add(key));
        } catch (IOException e) {
            throw StorageFailures.unavailable("Cannot list archives", shownRoot, e);
        }
        return new Inventory(archives, records);
    }

    /** Opens the archives directory and reads its first name: the disk is mounted and readable. */
    @Override
    public void probe() {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(layout.archives())) {
            entries.iterator().hasNext();
        } catch (IOException e) {
            throw StorageFailures.unavailable("Cannot list archives", shownRoot, e);
        } catch (java.nio.file.DirectoryIteratorException e) {
            throw StorageFailures.unavailable("Cannot list archives", shownRoot, e.getCause());
        }
    }

    /** Every regular file of the key scheme with {@code suffix} in {@code directory}; nothing else. */
    private static void listKeys(Path directory, String suffix, BiConsumer<StoreKey, BasicFileAttributes> found)
            throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                String key = ArchiveKeys.keyOf(name, suffix);
                BasicFileAttributes attributes = attributesOrNull(entry);
                if (attributes == null) {
                    continue;
                }
                if (key != null && attributes.isRegularFile()) {
                    found.accept(new StoreKey(key), attributes);
                } else if (ArchiveKeys.isLongKeyDirectoryName(name) && attributes.isDirectory()) {
                    listLongKeys(entry, suffix, found);
                }
            }
        }
    }

    private static void listLongKeys(Path directory, String suffix, BiConsumer<StoreKey, BasicFileAttributes> found)
            throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
            for (Path entry : entries) {
                String key = ArchiveKeys.keyOf(directory.getFileName().toString(), entry.getFileName().toString(), suffix);
                BasicFileAttributes attributes = key == null ? null : attributesOrNull(entry);
                if (attributes != null && attributes.isRegularFile()) {
                    found.accept(new StoreKey(key), attributes);
                }
            }
        } catch (NoSuchFileException e) {
            // its last key was deleted meanwhile
        }
    }

    private static BasicFileAttributes attributesOrNull(Path entry) throws IOException {
        try {
            return Files.readAttributes(entry, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /**
     * Deletes the staging files in {@code staging/} that this instance does not own, whose key is not in use
     * and that no other process holds ({@link StagingCleanup}); nothing else anywhere.
     */
    @Override
    public int removeStaged(Supplier<Set<StoreKey>> keysInUse) {
        try {
            return StagingCleanup.removeLeftovers(layout, this, keysInUse);
        } catch (IOException e) {
            throw StorageFailures.unavailable("Cannot remove leftover staging files", shownRoot, e);
        }
    }

    /**
     * The attributes of the archive file, or empty when there is no regular file. No link is followed: not
     * the file, and not the directory of a long key.
     */
    private Optional<BasicFileAttributes> archiveAttributes(Path file, StoreKey key) {
        try {
            if (!layout.archives().equals(file.getParent()) && !Files.isDirectory(file.getParent(), LinkOption.NOFOLLOW_LINKS)) {
                return Optional.empty();
            }
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            return attributes.isRegularFile() ? Optional.of(attributes) : Optional.empty();
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw StorageFailures.unavailable("Cannot read the state of archive `" + key + "`", shownRoot, e);
        }
    }

    /** The archive file of {@code key}; a missing key is refused like any other bad key. */
    private Path archiveFile(StoreKey key) {
        return layout.archiveFile(value(key));
    }

    private static String value(StoreKey key) {
        return key == null ? null : key.value();
    }

    private NotFoundException notFound(StoreKey key) {
        return new NotFoundException("No archive is stored under `" + key + "` in " + shownRoot);
    }

    @Override
    public String toString() {
        return "FileSystemArchiveStore[" + shownRoot + "]";
    }
}
