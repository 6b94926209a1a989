package io.snapkeep.storage.s3;

import io.minio.GetObjectResponse;
import io.snapkeep.core.error.StorageUnavailableException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * Exactly {@code length} bytes of an archive's body: one that ends sooner (the connection, or the object,
 * ended early) is an {@link IOException}, never a quiet end of stream; bytes past the length are not read.
 */
final class ExactLengthStream extends FilterInputStream {
    private final long length;
    private final String what;
    private long left;

    /** {@code what} names the archive and where it is, for the message of a stream that ends early. */
    ExactLengthStream(InputStream body, long length, String what) {
        super(body);
        this.length = length;
        this.left = length;
        this.what = what;
    }

    /**
     * The body of a ranged GET of {@code length} bytes from {@code offset}, checked to be that range (when
     * the answer says which it is), and to end only at its end.
     *
     * @throws StorageUnavailableException when the answer is another range; the body is closed then
     */
    static InputStream of(GetObjectResponse body, long offset, long length, String what) {
        String contentLength = body.headers().get("Content-Length");
        String contentRange = body.headers().get("Content-Range");
        if (contentLength != null && !contentLength.trim().equals(Long.toString(length))
                || contentRange != null && !contentRange.trim().startsWith("bytes " + offset + "-")) {
            try {
                body.close();
            } catch (IOException ignored) {
                // the answer is refused anyway
            }
            throw new StorageUnavailableException(what + ": a read of " + length + " bytes from " + offset
                    + " was answered with Content-Length " + contentLength + " and Content-Range " + contentRange);
        }
        return new ExactLengthStream(body, length, what);
    }

    @Override
    public int read() throws IOException {
        if (left <= 0) {
            return -1;
        }
        int b = in.read();
        if (b < 0) {
            throw endedEarly();
        }
        left--;
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        if (left <= 0) {
            return -1;
        }
        int n = in.read(b, off, (int) Math.min(len, left));
        if (n < 0) {
            throw endedEarly();
        }
        left -= n;
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = in.skip(Math.min(Math.max(n, 0), left));
        left -= skipped;
        return skipped;
    }

    @Override
    public int available() throws IOException {
        return (int) Math.min(in.available(), left);
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    @Override
    public synchronized void mark(int readlimit) {
        // not supported
    }

    @Override
    public synchronized void reset() throws IOException {
        throw new IOException("mark/reset not supported");
    }

    private IOException endedEarly() {
        return new IOException(what + " ended after " + (length - left) + " of " + length
                + " bytes: the connection or the object ended early");
    }
}
