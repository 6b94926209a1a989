package io.snapkeep.core.application.archive;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.concurrent.BlockingQueue;

/** What {@link DigestingPipe} and {@link ReadAhead} share: their digest, buffer pool and second thread, and handing its failure back. */
final class SecondThread {
    private SecondThread() {
    }

    /**
     * Throws {@code failure} (if any) on the caller's thread: an I/O failure as a new IOException with the
     * same message, so the stack shows the caller's side too; anything else unchanged or wrapped.
     */
    static void rethrow(Throwable failure, String doing) throws IOException {
        if (failure instanceof IOException io) {
            throw new IOException(io.getMessage(), io);
        }
        if (failure instanceof RuntimeException r) {
            throw r;
        }
        if (failure != null) {
            throw new UncheckedIOException(new IOException(doing + " failed", failure));
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
    }

    /** Puts {@code count} buffers of {@code size} bytes in the pool the two threads pass around. */
    static void fill(BlockingQueue<byte[]> pool, int count, int size) {
        for (int i = 0; i < count; i++) {
            pool.add(new byte[size]);
        }
    }

    static Thread daemon(Runnable work, String name) {
        Thread t = new Thread(work, name);
        t.setDaemon(true);
        t.start();
        return t;
    }
}
