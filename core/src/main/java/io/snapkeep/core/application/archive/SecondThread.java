package io.snapkeep.core.application.archive;

import java.io.IOException;
import java.io.UncheckedIOException;

/** What {@link DigestingPipe} and {@link ReadAhead} share: handing a failure of their second thread back. */
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

    static Thread daemon(Runnable work, String name) {
        Thread t = new Thread(work, name);
        t.setDaemon(true);
        t.start();
        return t;
    }
}
