package io.snapkeep.core.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.SplittableRandom;

/** Deterministic test data that streams: any size without holding it in memory. */
public final class TestBytes {
    private TestBytes() {
    }

    /** {@code size} pseudo-random bytes from {@code seed}; the same seed gives the same bytes. */
    public static InputStream random(long seed, long size) {
        return new InputStream() {
            private final SplittableRandom random = new SplittableRandom(seed);
            private long left = size;
            private long word;
            private int wordBytes;

            @Override
            public int read() {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (left == 0) {
                    return -1;
                }
                int n = (int) Math.min(len, left);
                for (int i = 0; i < n; i++) {
                    if (wordBytes == 0) {
                        word = random.nextLong();
                        wordBytes = 8;
                    }
                    b[off + i] = (byte) word;
                    word >>>= 8;
                    wordBytes--;
                }
                left -= n;
                return n;
            }
        };
    }

    /** The bytes of {@link #random} in memory, for small sizes. */
    public static byte[] randomArray(long seed, int size) {
        try (InputStream in = random(seed, size)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Copies all of {@code in} to {@code out}; returns the byte count. Closes neither. */
    public static long copy(InputStream in, OutputStream out) throws IOException {
        return in.transferTo(out);
    }

    /** SHA-256 of the rest of {@code in}, in hex; closes it. */
    public static String sha256(InputStream in) throws IOException {
        try (in) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[64 * 1024];
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
