package io.snapkeep.core.application;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Copies every byte read from a stream into an output stream: an upload is validated by the reader and
 * stored by the archive store in one single pass. (The reader reads to the very end and digests what it
 * reads, so the copy is complete and described by the reader's summary.)
 *
 * <p>The reader may read on a thread of its own; {@link #seal()} guarantees that no copy is under way or
 * starts afterwards, so the staged write can then be committed or aborted safely.
 *
 * <p>It counts the bytes received and keeps the source's own failure (a client that went away), so that a
 * broken upload can say how far it got and why.
 */
final class TeeInputStream extends FilterInputStream {
    private final OutputStream copy;
    private boolean sealed;
    private volatile long received;
    private volatile IOException sourceFailure;

    TeeInputStream(InputStream in, OutputStream copy) {
        super(in);
        this.copy = copy;
    }

    @Override
    public int read() throws IOException {
        int b = fromSource(() -> in.read());
        if (b >= 0) {
            received++;
            copy(new byte[] {(byte) b}, 0, 1);
        }
        return b;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
        int n = fromSource(() -> in.read(buf, off, len));
        if (n > 0) {
            received += n;
            copy(buf, off, n);
        }
        return n;
    }

    private interface SourceRead {
        int read() throws IOException;
    }

    private int fromSource(SourceRead read) throws IOException {
        try {
            return read.read();
        } catch (IOException e) {
            sourceFailure = e;
            throw e;
        }
    }

    /** Bytes read from the source so far. */
    long received() {
        return received;
    }

    /** The source's failure (not the copy's), or null. */
    IOException sourceFailure() {
        return sourceFailure;
    }

    private synchronized void copy(byte[] buf, int off, int len) throws IOException {
        if (sealed) {
            throw new IOException("the upload is over; nothing more is stored");
        }
        copy.write(buf, off, len);
    }

    /** Waits for a copy under way to finish and refuses any later one. */
    synchronized void seal() {
        sealed = true;
    }

    @Override
    public long skip(long n) throws IOException {
        // Skipped bytes must still reach the copy.
        byte[] buf = new byte[(int) Math.min(Math.max(n, 1), 64 * 1024)];
        return Math.max(read(buf, 0, buf.length), 0);
    }

    @Override
    public boolean markSupported() {
        return false;
    }
}
