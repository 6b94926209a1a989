package io.snapkeep.core.application.archive;

import java.io.IOException;
import java.io.OutputStream;
import java.util.zip.Deflater;

/** Raw deflate (no zlib header, as zip wants it) into {@code out}, which it does not close. */
final class DeflatingOut extends OutputStream {
    private static final int BUFFER = 64 * 1024;

    private final OutputStream out;
    private final Deflater deflater;
    private final byte[] buffer = new byte[BUFFER];

    DeflatingOut(OutputStream out, int level) {
        this.out = out;
        this.deflater = new Deflater(level, true);
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return;
        }
        deflater.setInput(b, off, len);
        while (!deflater.needsInput()) {
            int n = deflater.deflate(buffer);
            out.write(buffer, 0, n);
        }
    }

    /** Writes what the deflater still holds and ends the deflated stream. */
    void finish() throws IOException {
        deflater.finish();
        while (!deflater.finished()) {
            int n = deflater.deflate(buffer);
            out.write(buffer, 0, n);
        }
    }

    /** Frees the deflater; {@code out} stays open. */
    @Override
    public void close() {
        deflater.end();
    }
}
