package io.snapkeep.core.application.archive;

import io.snapkeep.core.support.BulkWork;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.zip.Deflater;

/**
 * Entries of at most {@value #SMALL_ENTRY} bytes, held in memory and compressed (or found not worth it) on a
 * small shared pool while the caller goes on, then handed to the output in the order they came. At most
 * {@value #MAX_PENDING} of them, and 16 MiB, wait at a time; the oldest are written while more would.
 * Entries of at most 2 KiB are prepared on the caller's thread: a hand-off would cost more.
 */
final class PendingEntries {
    /** Entries up to this size are compressed in memory, off the caller's thread. */
    static final int SMALL_ENTRY = 1 << 20;
    private static final int INLINE_ENTRY = 2 * 1024;
    static final int MAX_PENDING = 64;
    private static final long MAX_PENDING_BYTES = 16L << 20;

    private static final ExecutorService POOL = deflatePool();
    private static final ThreadLocal<Deflater> POOLED_DEFLATER =
            ThreadLocal.withInitial(() -> new Deflater(Deflater.DEFAULT_COMPRESSION, true));

    /** An entry compressed (or not) in memory, ready to be written whole: {@code data[0, length)} by {@code method}. */
    record Prepared(String name, int method, int crc, long size, byte[] data, int length, byte[] sha256) {
    }

    /** Where prepared entries go, in the order they were submitted. */
    interface Output {
        void write(Prepared entry) throws IOException;
    }

    private final Output output;
    private final ArrayDeque<Future<Prepared>> pending = new ArrayDeque<>();
    private long pendingBytes;

    PendingEntries(Output output) {
        this.output = output;
    }

    /** Queues {@code data[0, length)} as entry {@code name}; writes the oldest queued ones while too many wait. */
    void submit(String name, byte[] data, int length) throws IOException {
        boolean compressedByName = Compression.compressedByName(name);
        Future<Prepared> future;
        if (length <= INLINE_ENTRY) {
            future = CompletableFuture.completedFuture(prepare(name, data, length, compressedByName));
        } else {
            future = POOL.submit(() -> prepare(name, data, length, compressedByName));
        }
        pending.addLast(future);
        pendingBytes += length;
        while (pending.size() > MAX_PENDING || pendingBytes > MAX_PENDING_BYTES) {
            writeOldest();
        }
    }

    /** Writes every queued entry. */
    void drain() throws IOException {
        while (!pending.isEmpty()) {
            writeOldest();
        }
    }

    /** Drops what is queued: the archive is being given up. */
    void cancel() {
        pending.forEach(f -> f.cancel(false));
        pending.clear();
    }

    private void writeOldest() throws IOException {
        Prepared p;
        try {
            p = pending.peekFirst().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while compressing archive entries");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IOException("compressing an archive entry failed", cause);
        }
        pending.removeFirst();
        pendingBytes -= p.size();
        output.write(p);
    }

    /**
     * CRC, digest and, unless the name says it is pointless, deflate of an in-memory entry: DEFLATED when
     * that makes it clearly smaller ({@link Compression#worthIt}), STORED otherwise.
     */
    static Prepared prepare(String name, byte[] data, int length, boolean compressedByName) {
        EntryHashing hashing = new EntryHashing();
        hashing.update(data, 0, length);
        if (!compressedByName && length > 0) {
            Deflater deflater = POOLED_DEFLATER.get();
            deflater.reset();
            deflater.setInput(data, 0, length);
            deflater.finish();
            // Output only counts if it is clearly smaller, so a buffer of that size is enough.
            byte[] packed = new byte[Math.max(64, (int) (length * 0.9))];
            int packedLength = 0;
            while (!deflater.finished() && packedLength < packed.length) {
                packedLength += deflater.deflate(packed, packedLength, packed.length - packedLength);
            }
            if (deflater.finished() && Compression.worthIt(packedLength, length)) {
                return new Prepared(name, Zip.DEFLATED, hashing.crc(), length, packed, packedLength, hashing.sha256());
            }
        }
        return new Prepared(name, Zip.STORED, hashing.crc(), length, data, length, hashing.sha256());
    }

    private static ExecutorService deflatePool() {
        int threads = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 5, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), BulkWork.threads("snapkeep-archive-deflate"));
        // Idle threads go away, so a library embedded in a host leaves nothing running between snapshots.
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }
}
