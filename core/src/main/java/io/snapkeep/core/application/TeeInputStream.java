package io.snapkeep.core.application;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Copies every byte read from a stream into an output stream, counting and digesting them: an upload is
 * validated by the reader and stored by the archive store in the same single pass.
 */
final class TeeInputStream extends FilterInputStream {
    private final OutputStream copy;
    private final MessageDigest sha256;
    private long count;

    TeeInputStream(InputStream in, OutputStream copy) {
        super(in);
        this.copy = copy;
        try {
            this.sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    @Override
    public int read() throws IOException {
        int b = in.read();
        if (b >= 0) {
            copy.write(b);
            sha256.update((byte) b);
            count++;
        }
        return b;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
        int n = in.read(buf, off, len);
        if (n > 0) {
            copy.write(buf, off, n);
            sha256.update(buf, off, n);
            count += n;
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        // Skipped bytes must still reach the copy.
        byte[] buf = new byte[(int) Math.min(n, 64 * 1024)];
        int read = read(buf, 0, buf.length);
        return Math.max(read, 0);
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    /** Reads whatever is left, so that the copy is complete. */
    void drain() throws IOException {
        byte[] buf = new byte[64 * 1024];
        while (read(buf, 0, buf.length) >= 0) {
            // copying is the point
        }
    }

    long count() {
        return count;
    }

    String sha256() {
        return HexFormat.of().formatHex(sha256.digest());
    }
}
