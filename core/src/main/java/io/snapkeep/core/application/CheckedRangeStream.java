package io.snapkeep.core.application;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Objects;

/**
 * A part of an archive as a download, passed through unchecked (a part cannot be digested against the
 * whole), except that its failures are never silent: a source that fails, or that ends before the part's
 * length, is reported once through {@link CheckedDownloadStream.Outcomes} and throws an {@code IOException}.
 */
final class CheckedRangeStream extends FilterInputStream {
    private final long expected;
    private final long offset;
    private final CheckedDownloadStream.Outcomes outcomes;
    private long passed;
    private IOException failure;

    /** {@code expected}: the bytes the part has, from {@code offset}, as the record's size gives them. */
    CheckedRangeStream(InputStream source, long offset, long expected, CheckedDownloadStream.Outcomes outcomes) {
        super(Objects.requireNonNull(source, "source"));
        this.offset = offset;
        this.expected = expected;
        this.outcomes = Objects.requireNonNull(outcomes, "outcomes");
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (failure != null) {
            throw failure;
        }
        int n;
        try {
            n = in.read(b, off, len);
        } catch (IOException | UncheckedIOException e) {
            throw fail(outcomes.failed(e instanceof IOException io ? io : ((UncheckedIOException) e).getCause(),
                    offset + passed));
        }
        if (n < 0 && passed < expected) {
            throw fail(outcomes.damaged("the store's stream of it ended after " + (offset + passed) + " of the "
                    + (offset + expected) + " bytes the record gives it"));
        }
        if (n > 0) {
            passed += n;
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        // Skipped bytes count towards the part's length, so skip by reading.
        byte[] buffer = new byte[(int) Math.min(Math.max(n, 1), 64 * 1024)];
        int read = read(buffer, 0, (int) Math.min(n, buffer.length));
        return Math.max(read, 0);
    }

    private IOException fail(IOException e) {
        failure = e;
        return e;
    }
}
