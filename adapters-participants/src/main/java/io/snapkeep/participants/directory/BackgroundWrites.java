package io.snapkeep.participants.directory;

import io.snapkeep.core.support.BulkWork;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A restore's file-system work done on a pool while the restoring thread reads on: small files written,
 * given their time and mode and forced to disk; big files forced and closed; directories forced at the end.
 * Bounded in count and in the bytes held; any failure surfaces at the next call. {@link #stop()} waits for
 * what is under way, so nothing is written into a staging directory after it is deleted.
 *
 * <p>Most of a task's time is a wait on the disk (the force), not CPU: the pool is larger than the cores so
 * that many forces are in flight at once, which the file system commits together (one journal commit and
 * one cache flush for all the files waiting) instead of one after the other.
 */
final class BackgroundWrites {
    /** Files up to this size are written in the background; bigger ones stream on the caller's thread. */
    static final int SMALL_FILE = 1 << 20;
    static final int THREADS = 64;
    private static final int MAX_PENDING = 1024;
    private static final long MAX_PENDING_BYTES = 32L << 20;
    private static final ExecutorService WRITERS = writers();

    /** Work on the file system at {@code target}. */
    interface Task {
        void run() throws IOException;
    }

    private final String participant;
    private final ArrayDeque<Future<?>> pending = new ArrayDeque<>();
    private final ArrayDeque<Integer> sizes = new ArrayDeque<>();
    private long pendingBytes;

    /** @param participant whose restore writes, for the message of a full disk */
    BackgroundWrites(String participant) {
        this.participant = participant;
    }

    /** Runs {@code task} on the pool; it holds {@code bytes} of memory until it ends. */
    Future<?> submit(Path target, int bytes, Task task) throws IOException {
        while (pending.size() >= MAX_PENDING || (pendingBytes > 0 && pendingBytes + bytes > MAX_PENDING_BYTES)) {
            awaitOldest();
        }
        Future<?> f = WRITERS.submit(() -> {
            try {
                task.run();
            } catch (IOException e) {
                throw OutOfSpace.named(e, participant, target);
            }
            return null;
        });
        pending.add(f);
        sizes.add(bytes);
        pendingBytes += bytes;
        return f;
    }

    /** Waits until every task handed over has ended; throws the first failure. */
    void awaitAll() throws IOException {
        while (!pending.isEmpty()) {
            awaitOldest();
        }
    }

    private void awaitOldest() throws IOException {
        Future<?> oldest = pending.poll();
        pendingBytes -= sizes.poll();
        await(oldest);
    }

    /** Waits for {@code f}, one of this pool's tasks; throws its failure. */
    static void await(Future<?> f) throws IOException {
        try {
            f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while restoring files");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IOException("Restoring a file failed", e.getCause());
        }
    }

    /**
     * Waits for every task handed over (a cancelled task may still be running, so none is cancelled: each
     * is one file and ends soon).
     */
    void stop() {
        boolean interrupted = false;
        for (Future<?> f : pending) {
            while (true) {
                try {
                    f.get();
                    break;
                } catch (InterruptedException e) {
                    // A cancelled restore deletes its staging next: wait on, or a task would write into it.
                    interrupted = true;
                } catch (ExecutionException ignored) {
                    break; // it failed: it no longer writes either
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        pending.clear();
        sizes.clear();
        pendingBytes = 0;
    }

    private static ExecutorService writers() {
        // FIFO, so a task submitted after another may wait for it: the earlier one is already running.
        ThreadPoolExecutor pool = new ThreadPoolExecutor(THREADS, THREADS, 5, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), BulkWork.threads("snapkeep-restore-writer"));
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }
}
