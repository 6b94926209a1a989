package io.snapkeep.core.application.archive;

import io.snapkeep.core.error.InvalidArchiveException;
import java.io.IOException;
import java.io.InputStream;

/**
 * The archive's bytes as the reader consumes them: buffered (so that an inflater's unused input can be
 * given back), little-endian fields, and a count and SHA-256 of every byte taken from the source.
 */
final class ZipInput {
    private final ReadAhead in;
    final byte[] buffer = new byte[64 * 1024];
    int pos;
    int limit;
    private long fetched;
    private final byte[] scratch = new byte[8];

    ZipInput(InputStream in) {
        this.in = new ReadAhead(in);
    }

    /** Offset of the next unconsumed byte from the archive's start. */
    long position() {
        return fetched - (limit - pos);
    }

    int available() {
        return limit - pos;
    }

    /** Makes at least one byte available; false at the end of the source. Only when the buffer is consumed. */
    boolean fill() throws IOException {
        if (pos < limit) {
            return true;
        }
        int n;
        do {
            n = in.read(buffer, 0, buffer.length);
        } while (n == 0);
        if (n < 0) {
            return false;
        }
        fetched += n;
        pos = 0;
        limit = n;
        return true;
    }

    /** Reads exactly {@code len} bytes, or reports the archive truncated inside {@code what}. */
    void readFully(byte[] b, int off, int len, String what) throws IOException {
        while (len > 0) {
            if (!fill()) {
                throw truncated(what);
            }
            int n = Math.min(len, limit - pos);
            System.arraycopy(buffer, pos, b, off, n);
            pos += n;
            off += n;
            len -= n;
        }
    }

    /** Up to {@code len} bytes into {@code b}; -1 at the end of the source. */
    int read(byte[] b, int off, int len) throws IOException {
        if (!fill()) {
            return -1;
        }
        int n = Math.min(len, limit - pos);
        System.arraycopy(buffer, pos, b, off, n);
        pos += n;
        return n;
    }

    void skipFully(long len, String what) throws IOException {
        while (len > 0) {
            if (!fill()) {
                throw truncated(what);
            }
            int n = (int) Math.min(len, limit - pos);
            pos += n;
            len -= n;
        }
    }

    int u16(String what) throws IOException {
        readFully(scratch, 0, 2, what);
        return (scratch[0] & 0xff) | (scratch[1] & 0xff) << 8;
    }

    long u32(String what) throws IOException {
        readFully(scratch, 0, 4, what);
        return u32(scratch, 0);
    }

    long u64(String what) throws IOException {
        readFully(scratch, 0, 8, what);
        return u64(scratch, 0);
    }

    static int u16(byte[] b, int p) {
        return (b[p] & 0xff) | (b[p + 1] & 0xff) << 8;
    }

    static long u32(byte[] b, int p) {
        return (b[p] & 0xffL) | (b[p + 1] & 0xffL) << 8 | (b[p + 2] & 0xffL) << 16 | (b[p + 3] & 0xffL) << 24;
    }

    static long u64(byte[] b, int p) {
        return u32(b, p) | u32(b, p + 4) << 32;
    }

    /** Whether the source is exhausted (reads one byte ahead if needed). */
    boolean atEnd() throws IOException {
        return !fill();
    }

    long bytesFetched() {
        return fetched;
    }

    /** SHA-256 of the whole source; only once it has been read to its end. */
    String sha256() {
        return in.sha256();
    }

    /** Stops reading the source ahead. */
    void close() {
        in.close();
    }

    static InvalidArchiveException truncated(String what) {
        return new InvalidArchiveException("The archive is truncated: the stream ended inside " + what);
    }
}
