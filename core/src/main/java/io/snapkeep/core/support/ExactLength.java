package io.snapkeep.core.support;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;
import java.util.function.LongFunction;

/**
 * A stream that yields exactly {@code length} bytes of another or fails: one that ends sooner (a connection
 * cut, an object or file shorter than it should be) is an {@link IOException}, never a quiet end of stream.
 * Bytes past the length are never handed out; {@link #refusingMore} also fails when the source has more
 * (a file that grew while it was read).
 */
public final class ExactLength extends FilterInputStream {
    private final long length;
    private final LongFunction<String> wrongLength;
    private final boolean refuseMore;
    private long left;

    private ExactLength(InputStream in, long length, LongFunction<String> wrongLength, boolean refuseMore) {
        super(Objects.requireNonNull(in, "in"));
        if (length < 0) {
            throw new IllegalArgumentException("length must not be negative: " + length);
        }
        this.length = length;
        this.left = length;
        this.wrongLength = wrongLength;
        this.refuseMore = refuseMore;
    }

    /**
     * The first {@code length} bytes of {@code in}; {@code wrongLength} says, given the bytes read, what ended
     * early.
     */
    public static ExactLength of(InputStream in, long length, LongFunction<String> wrongLength) {
        return new ExactLength(in, length, wrongLength, false);
    }

    /** Like {@link #of}, and the source must end right after {@code length} bytes too. */
    public static ExactLength refusingMore(InputStream in, long length, LongFunction<String> wrongLength) {
        return new ExactLength(in, length, wrongLength, true);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        if (left == 0) {
            if (refuseMore && in.read() >= 0) {
                throw new IOException(wrongLength.apply(length + 1));
            }
            return -1;
        }
        int n = in.read(b, off, (int) Math.min(len, left));
        if (n < 0) {
            throw new IOException(wrongLength.apply(length - left));
        }
        left -= n;
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        byte[] scratch = new byte[(int) Math.min(8192, Math.max(1, Math.min(n, left)))];
        long skipped = 0;
        while (skipped < n) {
            int r = read(scratch, 0, (int) Math.min(scratch.length, n - skipped));
            if (r < 0) {
                break;
            }
            skipped += r;
        }
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
        // not supported: a reset would undo the count
    }

    @Override
    public synchronized void reset() throws IOException {
        throw new IOException("mark/reset not supported");
    }
}
