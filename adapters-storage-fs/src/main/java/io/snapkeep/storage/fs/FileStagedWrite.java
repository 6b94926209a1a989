package io.snapkeep.storage.fs;

import io.snapkeep.core.error.StorageUnavailableException;
import io.snapkeep.core.port.out.ArchiveStore.StagedWrite;
import io.snapkeep.core.port.out.ArchiveStore.StoredArchive;
import io.snapkeep.core.port.out.StoreKey;
import io.snapkeep.core.support.BulkWork;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Objects;

/**
 * One staged write: bytes go to a staging file in the layout's {@code staging} directory; commit flushes,
 * syncs the file, renames it over the archive's name in {@code archives} atomically and syncs that
 * directory; abort deletes the staging file.
 * Any failure while committing deletes the staging file too, so nothing half-written stays behind.
 */
final class FileStagedWrite implements StagedWrite {
    /** Large sequential writes: archives are GiBs, and each write call costs a system call. */
    static final int BUFFER_SIZE = 1 << 20;
    /**
     * Every this many bytes, the file is synced in the background: the disk writes while the archive is
     * still being produced, so the sync at commit has little left to do instead of the whole archive.
     */
    static final long BACKGROUND_SYNC_STEP = 32L << 20;
    private static final ExecutorService SYNCS = Executors.newCachedThreadPool(BulkWork.threads("snapkeep-fs-sync"));

    private final Layout layout;
    /** As configured, for messages. */
    private final Path root;
    private final StoreKey key;
    private final Path target;
    private final Path staging;
    private final FileChannel channel;
    private final FileLock lock;
    private final StagingStream stream;
    private boolean finished;
    private long unsynced;
    private Future<?> syncing;

    private FileStagedWrite(Layout layout, StoreKey key, Path target, Path staging, FileChannel channel, FileLock lock) {
        this.layout = layout;
        this.root = layout.shown();
        this.key = key;
        this.target = target;
        this.staging = staging;
        this.channel = channel;
        this.lock = lock;
        this.stream = new StagingStream();
    }

    /**
     * Creates the staging file (never an existing file, never through a link) and locks it; {@code owner} is
     * the store instance, whose own clean-up leaves it alone.
     */
    static FileStagedWrite begin(Layout layout, StoreKey key, Path target, Object owner) {
        Path staging = StagingFiles.claimNew(layout.staging(), key.value(), owner);
        FileChannel channel = null;
        try {
            channel = OwnerOnly.createFile(staging, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                    LinkOption.NOFOLLOW_LINKS);
            FileLock lock = StagingFiles.tryLock(channel);
            return new FileStagedWrite(layout, key, target, staging, channel, lock);
        } catch (IOException e) {
            closeQuietly(channel);
            deleteQuietly(staging);
            StagingFiles.release(staging);
            throw StorageFailures.unavailable("Cannot start writing archive `" + key + "`", layout.shown(), e);
        }
    }

    private void afterWrite(long bytes) {
        unsynced += bytes;
        if (unsynced >= BACKGROUND_SYNC_STEP && (syncing == null || syncing.isDone())) {
            unsynced = 0;
            syncing = SYNCS.submit(() -> {
                try {
                    channel.force(false);
                } catch (IOException ignored) {
                    // only an early start; the sync at commit reports any failure
                }
            });
        }
    }

    private void awaitBackgroundSync() {
        Future<?> pending = syncing;
        if (pending == null) {
            return;
        }
        try {
            pending.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException ignored) {
            // the sync at commit reports any failure
        }
    }

    @Override
    public OutputStream stream() {
        return stream;
    }

    @Override
    public synchronized StoredArchive commit() {
        if (finished) {
            throw new IllegalStateException("The write of archive `" + key + "` has already ended");
        }
        String action = "Cannot commit archive `" + key + "`";
        if (stream.failure != null) {
            discard();
            throw StorageFailures.unavailable(action + " after a failed write", root, stream.failure);
        }
        long size;
        try {
            stream.flushBuffer();
            size = channel.size();
            awaitBackgroundSync();
            channel.force(true);
            Directories.prepareParent(target, layout.archives());
            // rename while still holding the lock: no other process can take the file for a leftover
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            discard();
            if (e instanceof NoSuchFileException && Files.notExists(staging, LinkOption.NOFOLLOW_LINKS)) {
                // what a write of a node taken for dead sees: another node's clean-up removed the file
                throw new StorageUnavailableException(action + " in archive directory " + root + ": its staging file "
                        + staging.getFileName() + " was removed while it was being written, by a clean-up that"
                        + " found its key not in use; nothing was committed", e);
            }
            throw StorageFailures.unavailable(action, root, e);
        }
        try {
            Directories.sync(target.getParent());
        } catch (IOException e) {
            // The archive is in place but not durable; a failed commit must not leave it visible.
            deleteQuietly(target);
            end();
            throw StorageFailures.unavailable(action + " (syncing the directory)", root, e);
        }
        end();
        return new StoredArchive(key, size);
    }

    @Override
    public synchronized void abort() {
        if (!finished) {
            discard();
        }
    }

    private void discard() {
        end();
        deleteQuietly(staging);
    }

    /** Closes the file and releases the lock; the staging name is no longer owned after this. */
    private void end() {
        finished = true;
        stream.buffer = null;
        if (lock != null) {
            try {
                lock.release();
            } catch (IOException ignored) {
                // closing the channel below releases it as well
            }
        }
        closeQuietly(channel);
        StagingFiles.release(staging);
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing more to release
            }
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a leftover that removeStaged finds at the next start
        }
    }

    /**
     * The caller's stream. Writes go through a heap buffer, and reach the channel in slices of at most
     * {@link #BUFFER_SIZE}, because the JDK copies each heap write into a temporary direct buffer of the
     * same size. Closing it only flushes: the commit ends the file.
     */
    private final class StagingStream extends OutputStream {
        private byte[] buffer = new byte[BUFFER_SIZE];
        private int count;
        private boolean closed;
        private IOException failure;

        @Override
        public void write(int b) throws IOException {
            ensureOpen();
            if (count == buffer.length) {
                flushBuffer();
            }
            buffer[count++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            ensureOpen();
            if (len >= buffer.length) {
                flushBuffer();
                writeFully(ByteBuffer.wrap(b, off, len));
                return;
            }
            if (len > buffer.length - count) {
                flushBuffer();
            }
            System.arraycopy(b, off, buffer, count, len);
            count += len;
        }

        @Override
        public void flush() throws IOException {
            if (!closed && !finished) {
                flushBuffer();
            }
        }

        @Override
        public void close() throws IOException {
            if (!closed && !finished) {
                flushBuffer();
            }
            closed = true;
        }

        void flushBuffer() throws IOException {
            if (count > 0) {
                ByteBuffer pending = ByteBuffer.wrap(buffer, 0, count);
                count = 0;
                writeFully(pending);
            }
        }

        private void writeFully(ByteBuffer bytes) throws IOException {
            if (failure != null) {
                throw failure;
            }
            try {
                int end = bytes.limit();
                afterWrite(end - bytes.position());
                while (bytes.position() < end) {
                    bytes.limit(Math.min(end, bytes.position() + BUFFER_SIZE));
                    while (bytes.hasRemaining()) {
                        channel.write(bytes);
                    }
                }
            } catch (IOException e) {
                // remember it: a commit after a failed write would store a truncated archive
                failure = new IOException(StorageFailures.message("Cannot write archive `" + key + "`", root, e), e);
                throw failure;
            }
        }

        private void ensureOpen() throws IOException {
            if (finished) {
                throw new IOException("The write of archive `" + key + "` has already ended");
            }
            if (closed) {
                throw new IOException("The stream of archive `" + key + "` is closed");
            }
        }
    }
}
