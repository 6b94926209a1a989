package io.snapkeep.core.application;

import io.snapkeep.core.support.BlockReadStream;
import io.snapkeep.core.domain.ArchiveInfo;
import io.snapkeep.core.support.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.util.Objects;

/**
 * A whole archive as a download, digested while it streams and compared with its recorded size and SHA-256
 * before the end: the last {@value #HELD_BACK} bytes (all of a smaller archive) are held back until the rest
 * has been read and the digest checked, so a damaged archive never reaches a client as a complete-looking
 * file. On damage, on a source that ends before the recorded size, or on a failure of the source, it throws
 * an {@code IOException} (each once reported through {@link Outcomes}, then the same again on every later
 * read) instead of the held-back bytes. Memory: the held-back bytes.
 */
final class CheckedDownloadStream extends BlockReadStream {
    static final int HELD_BACK = 64 * 1024;

    /** What to do about a failure; each returns the exception the reader gets. */
    interface Outcomes {
        /** The archive is not what was recorded. */
        IOException damaged(String what);

        /** Reading the source failed after {@code delivered} bytes. */
        IOException failed(IOException cause, long delivered);
    }

    private final InputStream source;
    private final ArchiveInfo recorded;
    private final Outcomes outcomes;
    private final MessageDigest digest = Sha256.newDigest();
    /** Bytes that may pass as they come; the rest are held back. */
    private final long passing;
    private long passed;
    private byte[] tail;
    private int tailServed;
    private IOException failure;

    CheckedDownloadStream(InputStream source, ArchiveInfo recorded, Outcomes outcomes) {
        this.source = Objects.requireNonNull(source, "source");
        this.recorded = Objects.requireNonNull(recorded, "recorded");
        this.outcomes = Objects.requireNonNull(outcomes, "outcomes");
        this.passing = recorded.size() - Math.min(recorded.size(), HELD_BACK);
    }


    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (failure != null) {
            throw failure;
        }
        if (len == 0) {
            return 0;
        }
        if (passed < passing) {
            int n = fromSource(b, off, (int) Math.min(len, passing - passed), passed);
            if (n < 0) {
                throw fail(outcomes.damaged(endedEarly(passed)));
            }
            digest.update(b, off, n);
            passed += n;
            return n;
        }
        if (tail == null) {
            tail = heldBack();
        }
        if (tailServed == tail.length) {
            return -1;
        }
        int n = Math.min(len, tail.length - tailServed);
        System.arraycopy(tail, tailServed, b, off, n);
        tailServed += n;
        return n;
    }

    /** Reads the held-back bytes and checks the whole archive before any of them is handed out. */
    private byte[] heldBack() throws IOException {
        byte[] held = new byte[(int) (recorded.size() - passing)];
        int filled = 0;
        while (filled < held.length) {
            int n = fromSource(held, filled, held.length - filled, passing + filled);
            if (n < 0) {
                throw fail(outcomes.damaged(endedEarly(passing + filled)));
            }
            filled += n;
        }
        digest.update(held);
        String sha256 = Sha256.hex(digest.digest());
        if (!sha256.equals(recorded.sha256())) {
            throw fail(outcomes.damaged("its SHA-256 is " + sha256 + " where " + recorded.sha256() + " was recorded"));
        }
        return held;
    }

    private int fromSource(byte[] b, int off, int len, long position) throws IOException {
        try {
            return source.read(b, off, len);
        } catch (IOException | UncheckedIOException e) {
            throw fail(outcomes.failed(e instanceof IOException io ? io : ((UncheckedIOException) e).getCause(),
                    position));
        }
    }

    private String endedEarly(long at) {
        return "the store's stream of it ended after " + at + " of the " + recorded.size() + " recorded bytes";
    }

    private IOException fail(IOException e) {
        failure = e;
        return e;
    }

    @Override
    public void close() throws IOException {
        source.close();
    }
}
