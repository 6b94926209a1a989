package io.snapkeep.participants.directory;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

/** A stream that yields exactly {@code size} bytes or fails: a file changing under the export is refused. */
final class ExactLength extends FilterInputStream {
    private final Path file;
    private long remaining;

    ExactLength(InputStream in, long size, Path file) {
        super(in);
        this.remaining = size;
        this.file = file;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (remaining == 0) {
            if (in.read() >= 0) {
                throw changed();
            }
            return -1;
        }
        int n = in.read(b, off, (int) Math.min(len, remaining));
        if (n < 0) {
            throw changed();
        }
        remaining -= n;
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        throw new IOException("skip is not supported");
    }

    private IOException changed() {
        return new IOException(file + " changed size while it was being captured; try again");
    }
}
