package io.snapkeep.participants.directory;

import io.snapkeep.core.support.DaemonThreads;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Small files of a restore, written on a little pool while the restoring thread reads on. Bounded in
 * count and bytes; any failure surfaces at the next call. {@link #stop()} waits for what is under way,
 * so nothing is written into a staging directory after it is deleted.
 */
final class BackgroundWrites {
    /** Files up to this size are written in the background; bigger ones stream on the caller's thread. */
    static final int SMALL_FILE = 1 << 20;
    private static final int MAX_PENDING = 256;
    private static final long MAX_PENDING_BYTES = 32L << 20;
    private static final ExecutorService WRITERS = writers();

    private final String participant;
    private final ArrayDeque<Future<?>> pending = new ArrayDeque<>();
    private final ArrayDeque<Integer> sizes = new ArrayDeque<>();
    private long pendingBytes;

    /** @param participant whose restore writes, for the message of a full disk */
    BackgroundWrites(String participant) {
        this.participant = participant;
    }

    /** A new file, refused when anything is already at {@code target}; never follows a link. */
    static OutputStream newFile(Path target) throws IOException {
        return Files.newOutputStream(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                LinkOption.NOFOLLOW_LINKS);
    }

    /** Hands {@code bytes} over to be written as the new file {@code target}. */
    void write(Path target, byte[] bytes) throws IOException {
        while (pending.size() >= MAX_PENDING || pendingBytes + bytes.length > MAX_PENDING_BYTES) {
            awaitOldest();
        }
        pending.add(WRITERS.submit(() -> {
            try (OutputStream out = newFile(target)) {
                out.write(bytes);
            } catch (IOException e) {
                throw OutOfSpace.named(e, participant, target);
            }
            return null;
        }));
        sizes.add(bytes.length);
        pendingBytes += bytes.length;
    }

    /** Waits until every file handed over is written; throws the first failure. */
    void awaitAll() throws IOException {
        while (!pending.isEmpty()) {
            awaitOldest();
        }
    }

    private void awaitOldest() throws IOException {
        Future<?> oldest = pending.poll();
        pendingBytes -= sizes.poll();
        try {
            oldest.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while restoring files");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException("Restoring a file failed", e.getCause());
        }
    }

    /**
     * Waits for every write handed over (a cancelled task may still be running, so none is cancelled:
     * each is a small file and ends soon).
     */
    void stop() {
        for (Future<?> f : pending) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException ignored) {
                // it failed: it no longer writes either
            }
        }
        pending.clear();
        sizes.clear();
        pendingBytes = 0;
    }

    private static ExecutorService writers() {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(2, 2, 5, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                DaemonThreads.named("snapkeep-restore-writer"));
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }
}
