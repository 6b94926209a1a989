package io.snapkeep.core.application.archive;

import io.snapkeep.core.support.DaemonThreads;
import io.snapkeep.core.support.Sha256;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * What {@link DigestingPipe} and {@link ReadAhead} share: chunks of up to 1 MiB passed between the caller's
 * thread and one second thread that digests them, a fixed pool of buffers going back, and the second
 * thread's failure handed to the caller. Every wait on the caller's side wakes at least every 100 ms to look
 * for that failure, so a dead second thread never leaves the caller waiting for ever. Memory is bounded by
 * the pool: {@value #CHUNKS} chunks.
 */
final class ChunkExchange {
    static final int CHUNK = 1 << 20;
    static final int CHUNKS = 4;
    /** The first buffer's size; each next one is four times larger, up to {@link #CHUNK}. */
    static final int FIRST_CHUNK = 64 * 1024;
    private static final long WAKE_MILLIS = 100;

    /** The first {@code length} bytes of {@code bytes}; a zero-length chunk may serve as a marker. */
    record Chunk(byte[] bytes, int length) {
    }

    /** Filled chunks, with room for {@code markers} more than the pool holds. */
    final BlockingQueue<Chunk> full;
    /** Empty buffers that have been used. */
    final BlockingQueue<byte[]> free = new ArrayBlockingQueue<>(CHUNKS);
    /** Buffers made so far, and the size of the next; only the side that takes free buffers touches them. */
    private int made;
    private int nextSize = FIRST_CHUNK;
    /** Digests what passes; updated by the second thread only. */
    final MessageDigest digest = Sha256.newDigest();
    private final String doing;
    private final String interrupted;
    private volatile Throwable failure;
    private Thread worker;

    /**
     * @param markers  how many marker chunks may be queued beside the pool's
     * @param doing    what the exchange serves, for messages ("writing the archive")
     * @param interrupted the message when the caller is interrupted while it waits
     */
    ChunkExchange(int markers, String doing, String interrupted) {
        this.full = new ArrayBlockingQueue<>(CHUNKS + markers);
        this.doing = doing;
        this.interrupted = interrupted;
    }

    /**
     * A new buffer while fewer than {@value #CHUNKS} were made and none is free, else null (take one from
     * {@link #free}). Buffers are made as they are needed and grow from {@value #FIRST_CHUNK} bytes: a small
     * upload or download costs a small buffer, not four of a MiB, which under many small requests made
     * most of what the heap had to collect. Only the side that takes free buffers calls it.
     */
    byte[] freshBuffer() {
        if (made >= CHUNKS || !free.isEmpty()) {
            return null;
        }
        made++;
        byte[] buffer = new byte[nextSize];
        nextSize = Math.min(CHUNK, nextSize * 4);
        return buffer;
    }

    /** Starts the second thread (a daemon) on {@code work}. */
    void start(String threadName, Runnable work) {
        // A plain thread, not a BulkWork one: it inherits its maker's priority, so the helper of an execution
        // (made by the runner) yields as the runner does, and the helper of an upload a client waits for
        // (made by a request thread) does not.
        worker = DaemonThreads.start(threadName, work);
    }

    /** Called by the second thread when it fails; the caller sees the failure at its next wait. */
    void fail(Throwable t) {
        failure = t;
    }

    /** Interrupts the second thread: the caller is giving up. */
    void stop() {
        worker.interrupt();
    }

    /** The next item of {@code queue}, waited for on the caller's side. */
    <T> T take(BlockingQueue<T> queue) throws IOException {
        try {
            T next;
            while ((next = queue.poll(WAKE_MILLIS, TimeUnit.MILLISECONDS)) == null) {
                rethrowFailure();
            }
            return next;
        } catch (InterruptedException e) {
            throw interrupted();
        }
    }

    /** Queues {@code chunk} as full, waiting on the caller's side while the queue is. */
    void put(Chunk chunk) throws IOException {
        rethrowFailure();
        try {
            while (!full.offer(chunk, WAKE_MILLIS, TimeUnit.MILLISECONDS)) {
                rethrowFailure();
            }
        } catch (InterruptedException e) {
            throw interrupted();
        }
    }

    /**
     * Throws the second thread's failure (if any) on the caller's thread: an I/O failure as a new IOException
     * with the same message, so the stack shows the caller's side too; anything else unchanged or wrapped.
     */
    void rethrowFailure() throws IOException {
        Throwable f = failure;
        if (f instanceof IOException io) {
            throw new IOException(io.getMessage(), io);
        }
        if (f instanceof RuntimeException r) {
            throw r;
        }
        if (f != null) {
            throw new UncheckedIOException(new IOException(doing + " failed", f));
        }
    }

    /** SHA-256 in hex of everything digested; once, when the second thread is done with the digest. */
    String sha256() {
        return Sha256.hex(digest.digest());
    }

    private InterruptedIOException interrupted() {
        Thread.currentThread().interrupt();
        return new InterruptedIOException(interrupted);
    }
}
