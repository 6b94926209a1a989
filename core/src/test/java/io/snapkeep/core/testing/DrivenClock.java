package io.snapkeep.core.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A clock that a test moves: it stands still until told to go forward (each reading still adds a millisecond
 * nanosecond, so that timestamps taken in a row stay ordered), and never moves on its own by more.
 */
public final class DrivenClock extends Clock {
    private final AtomicLong nanos;

    public DrivenClock(Instant start) {
        this.nanos = new AtomicLong(start.getEpochSecond() * 1_000_000_000L + start.getNano());
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("a driven clock is always UTC");
    }

    @Override
    public Instant instant() {
        long n = nanos.incrementAndGet();
        return Instant.ofEpochSecond(Math.floorDiv(n, 1_000_000_000L), Math.floorMod(n, 1_000_000_000L));
    }

    public void advance(Duration d) {
        nanos.addAndGet(d.toNanos());
    }

    /** Moves to {@code t}, which must not be before now. */
    public void moveTo(Instant t) {
        long target = t.getEpochSecond() * 1_000_000_000L + t.getNano();
        nanos.accumulateAndGet(target, Math::max);
    }
}
