package io.snapkeep.storage.fs;

import io.snapkeep.core.error.NotFoundException;
import io.snapkeep.core.error.StorageUnavailableException;
import io.snapkeep.core.port.out.ArchiveStore;
import io.snapkeep.core.port.out.StoreKey;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.HashMap;
import java.util.Optional;

/**
 * An {@link ArchiveStore} on a local directory: each archive is the file {@code <root>/<key>.zip}.
 *
 * <p>Writes are staged in a hidden file of the same directory and renamed into place on commit, after the
 * file is synced; the directory is synced after the rename. Only regular files directly in the directory
 * count as archives: a symbolic link is never followed, so it is treated as absent, and a commit replaces
 * the link itself. Bad keys (empty, with {@code /}, {@code \}, {@code ..}, control characters, or a leading
 * dot) are refused with {@link io.snapkeep.core.error.InvalidParameterException}.
 */
public final class FileSystemArchiveStore implements ArchiveStore {
    /** As configured, for messages. */
    private final Path shownRoot;
    /** With every link resolved once, at start: the containment check compares against this. */
    private final Path root;

    /**
     * A store on {@code root}, created (with its parents) if missing.
     *
     * @throws StorageUnavailableException when the directory cannot be created, is not a directory, or is
     *                                     not readable and writable
     */
    public FileSystemArchiveStore(Path root) {
        this.shownRoot = root.toAbsolutePath().normalize();
        try {
            Files.createDirectories(shownRoot);
            this.root = shownRoot.toRealPath();
        } catch (FileAlreadyExistsException e) {
            throw new StorageUnavailableException("The archive directory " + shownRoot + " exists but is not a directory", e);
        } catch (IOException e) {
            throw StorageFailures.unavailable("Cannot create the archive directory", shownRoot, e);
        }
        if (!Files.isDirectory(this.root)) {
            throw new StorageUnavailableException("The archive directory " + shownRoot + " exists but is not a directory");
        }
        if (!Files.isReadable(this.root) || !Files.isWritable(this.root)) {
            throw new StorageUnavailableException("The archive directory " + shownRoot
                    + " is not readable and writable (permission denied or a read-only file system)");
        }
    }

    @Override
    public StagedWrite beginWrite(StoreKey key) {
        Path target = fileFor(key);
        return FileStagedWrite.begin(root, shownRoot, key, target);
    }

    @Override
    public Optional<StoredArchive> stat(StoreKey key) {
        Path file = fileFor(key);
        return archiveAttributes(file, key).map(a -> new StoredArchive(key, a.size()));
    }

    @Override
    public InputStream openRange(StoreKey key, long offset, long length) {
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("A range needs a non-negative offset and length, got " + offset + "+" + length);
        }
        Path file = fileFor(key);
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
            return new RangeInputStream(channel, length);
        } catch (IOException e) {
            try {
                channel.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw StorageFailures.unavailable("Cannot read archive `" + key + "`", shownRoot, e);
        }
    }

    @Override
    public void delete(StoreKey key) {
        Path file = fileFor(key);
        if (archiveAttributes(file, key).isEmpty()) {
            return;
        }
        try {
            // deletes the name itself: even a link swapped in meanwhile is removed, never its target
            if (Files.deleteIfExists(file)) {
                Directories.sync(file.getParent());
                if (!root.equals(file.getParent())) {
                    removeIfEmpty(file.getParent());
                }
            }
        } catch (IOException e) {
            throw StorageFailures.unavailable("Cannot delete archive `" + key + "`", shownRoot, e);
        }
    }

    @Override
    public Inventory inventory() {
        Map<StoreKey, StoredArchive> archives = new HashMap<>();
        for (StoreKey key : keys()) {
            stat(key).ifPresent(a -> archives.put(key, a));
        }
        return new Inventory(archives, Set.of());
    }

    @Override
    public void writeRecord(StoreKey key, byte[] record) {
        throw new UnsupportedOperationException("records are not kept by this store yet");
    }

    @Override
    public Optional<byte[]> readRecord(StoreKey key) {
        return Optional.empty();
    }

    @Override
    public Optional<StoredArchive> adoptLegacy(StoreKey key) {
        return Optional.empty();
    }

    private List<StoreKey> keys() {
        List<StoreKey> keys = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(root)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                String key = ArchiveKeys.keyOf(name);
                if (key != null && isRegularFile(entry)) {
                    keys.add(new StoreKey(key));
                } else if (name.endsWith(ArchiveKeys.LONG_SUFFIX) && Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
                    listLongKeys(entry, keys);
                }
            }
        } catch (IOException e) {
            throw StorageFailures.unavailable("Cannot list archives", shownRoot, e);
        }
        return keys;
    }

    @Override
    public int removeStaged() {
        int removed = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(root,
                p -> StagingFiles.isStagingName(p.getFileName().toString()))) {
            for (Path entry : entries) {
                if (!StagingFiles.ownedHere(entry) && isRegularFile(entry) && removeIfUnowned(entry)) {
                    removed++;
                }
            }
        } catch (IOException e) {
            throw StorageFailures.unavailable("Cannot remove leftover staging files", shownRoot, e);
        }
        return removed;
    }

    /**
     * Deletes a staging file unless a live write in another process holds its lock. Never called for files
     * of this JVM: closing any channel on a file drops every lock this process holds on it.
     */
    private static boolean removeIfUnowned(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                return false;
            } catch (IOException e) {
                // no locks on this file system: at start-up, nothing else is writing
                return Files.deleteIfExists(file);
            }
            if (lock == null) {
                return false; // a live write in another process
            }
            return Files.deleteIfExists(file);
        } catch (NoSuchFileException e) {
            return false; // its writer finished meanwhile
        }
    }

    /**
     * The attributes of the archive file, or empty when there is no regular file. No link is followed: not
     * the file, and not the directory of a long key.
     */
    private Optional<BasicFileAttributes> archiveAttributes(Path file, StoreKey key) {
        try {
            if (!root.equals(file.getParent()) && !Files.isDirectory(file.getParent(), LinkOption.NOFOLLOW_LINKS)) {
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

    /** The file of {@code key}; a missing key is refused like any other bad key. */
    private Path fileFor(StoreKey key) {
        return ArchiveKeys.fileFor(root, key == null ? null : key.value());
    }

    private static void listLongKeys(Path directory, List<StoreKey> keys) throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
            for (Path entry : entries) {
                String key = ArchiveKeys.keyOf(directory.getFileName().toString(), entry.getFileName().toString());
                if (key != null && isRegularFile(entry)) {
                    keys.add(new StoreKey(key));
                }
            }
        }
    }

    private static void removeIfEmpty(Path directory) {
        try {
            Files.deleteIfExists(directory);
        } catch (IOException notEmptyOrGone) {
            // another long key shares it, or it is gone already
        }
    }

    private static boolean isRegularFile(Path entry) {
        return Files.isRegularFile(entry, LinkOption.NOFOLLOW_LINKS);
    }

    private NotFoundException notFound(StoreKey key) {
        return new NotFoundException("No archive is stored under `" + key + "` in " + shownRoot);
    }

    @Override
    public String toString() {
        return "FileSystemArchiveStore[" + shownRoot + "]";
    }
}
