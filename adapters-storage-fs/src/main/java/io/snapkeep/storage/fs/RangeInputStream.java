package io.snapkeep.storage.fs;

import io.snapkeep.core.support.BlockReadStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Objects;

/**
 * Exactly {@code length} bytes of a committed archive from its channel's current position; closing closes the
 * channel. The length is what the archive's committed size leaves of the range, so a file that ends sooner
 * (cut short at rest after it was opened) is an {@link IOException}, never a quiet end of stream.
 */
final class RangeInputStream extends BlockReadStream {
    private static final int TRANSFER_SLICE = 128 * 1024;

    private final FileChannel channel;
    private final String what;
    private final long length;
    private long left;

    /** {@code what} names the archive and its directory in the message of a stream that ends early. */
    RangeInputStream(FileChannel channel, long length, String what) {
        this.channel = channel;
        this.length = length;
        this.left = length;
        this.what = what;
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
        int n = channel.read(ByteBuffer.wrap(b, off, (int) Math.min(len, left)));
        if (n < 0) {
            throw new IOException(what + " ended after " + (length - left) + " of " + length
                    + " bytes: the file was cut shorter than its committed size");
        }
        left -= n;
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        if (n <= 0 || left <= 0) {
            return 0;
        }
        long step = Math.min(n, Math.min(left, Math.max(0, channel.size() - channel.position())));
        channel.position(channel.position() + step);
        left -= step;
        return step;
    }

    @Override
    public int available() throws IOException {
        long inFile = Math.max(0, channel.size() - channel.position());
        return (int) Math.min(Integer.MAX_VALUE, Math.min(left, inFile));
    }

    /** Larger slices than the JDK's 8 KiB default: downloads of many GiB would cost too many reads. */
    @Override
    public long transferTo(OutputStream out) throws IOException {
        byte[] slice = new byte[TRANSFER_SLICE];
        long copied = 0;
        int n;
        while ((n = read(slice, 0, slice.length)) > 0) {
            out.write(slice, 0, n);
            copied += n;
        }
        return copied;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
