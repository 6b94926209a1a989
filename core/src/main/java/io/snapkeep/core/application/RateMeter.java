package io.snapkeep.core.application;

import io.snapkeep.core.domain.Progress;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * The recent rate of a growing byte count and the time left at that rate, from samples taken on a monotonic
 * clock (nanoseconds, as {@link System#nanoTime} gives them; the caller passes the time, so that tests need
 * no sleeps). The rate is the bytes over the last {@link #WINDOW_NANOS} of samples: long enough to smooth
 * out the bursts of a disk or a network, short enough to follow a real change of speed. It is unknown until
 * the samples since the first byte span {@link #MIN_SPAN_NANOS}, and so is the estimate, which also needs a
 * known total and some bytes done.
 */
final class RateMeter {
    static final long WINDOW_NANOS = TimeUnit.SECONDS.toNanos(5);
    static final long MIN_SPAN_NANOS = TimeUnit.MILLISECONDS.toNanos(750);
    /** A bound on the samples kept, whatever the callers' pace. */
    private static final int MAX_SAMPLES = 256;

    private final ArrayDeque<long[]> samples = new ArrayDeque<>();

    /** Records that {@code bytes} were done at {@code nanos}; a count that went down is taken as unchanged. */
    void sample(long nanos, long bytes) {
        long[] last = samples.peekLast();
        if (last != null) {
            if (nanos - last[0] < 0) {
                return;
            }
            bytes = Math.max(bytes, last[1]);
        }
        samples.addLast(new long[] {nanos, bytes});
        // Work that has not begun is not slow work: the time before the first byte does not count.
        while (samples.size() >= 2 && samples.peekFirst()[1] == 0 && secondOldest()[1] == 0) {
            samples.removeFirst();
        }
        // Keeps the newest sample older than the window, so that the window stays covered end to end.
        while (samples.size() > 2) {
            long[] second = secondOldest();
            if (nanos - second[0] >= WINDOW_NANOS || samples.size() > MAX_SAMPLES) {
                samples.removeFirst();
            } else {
                break;
            }
        }
    }

    /** Bytes per second over the window, or {@link Progress#UNKNOWN} while the samples span too little time. */
    long bytesPerSecond() {
        if (samples.size() < 2) {
            return Progress.UNKNOWN;
        }
        long[] first = samples.peekFirst();
        long[] last = samples.peekLast();
        long span = last[0] - first[0];
        if (span < MIN_SPAN_NANOS) {
            return Progress.UNKNOWN;
        }
        return (long) ((last[1] - first[1]) * 1e9 / span);
    }

    /**
     * Whole seconds (rounded up) until {@code total} at the current rate, or {@link Progress#UNKNOWN} when the
     * total or the rate is not known, no byte is done yet, or nothing moves.
     */
    long etaSeconds(long total) {
        long rate = bytesPerSecond();
        long[] last = samples.peekLast();
        if (total < 0 || rate <= 0 || last == null || last[1] <= 0) {
            return Progress.UNKNOWN;
        }
        long left = Math.max(0, total - last[1]);
        return (left + rate - 1) / rate;
    }

    private long[] secondOldest() {
        var it = samples.iterator();
        it.next();
        return it.next();
    }
}
