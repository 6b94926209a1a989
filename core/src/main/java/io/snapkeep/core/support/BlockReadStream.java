package io.snapkeep.core.support;

import java.io.IOException;
import java.io.InputStream;

/**
 * An {@link InputStream} that reads in blocks only: its single-byte {@link #read()} is a block read of one byte,
 * so that a subclass keeps every rule (limits, digests, pacing, counting) in one method.
 */
public abstract class BlockReadStream extends InputStream {

    @Override
    public final int read() throws IOException {
        byte[] one = new byte[1];
        int n;
        do {
            n = read(one, 0, 1);
        } while (n == 0);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public abstract int read(byte[] b, int off, int len) throws IOException;
}
