package io.snapkeep.core.testing;

import java.time.Duration;
import java.util.function.Supplier;

/** Waits for asynchronous work by polling a condition until a deadline: no fixed sleeps. */
public final class Poll {
    private Poll() {
    }

    public static <T> T until(Supplier<T> value, java.util.function.Predicate<T> done, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        T last = value.get();
        while (!done.test(last)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not reached within " + timeout + "; last value: " + last);
            }
            Thread.onSpinWait();
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while polling", e);
            }
            last = value.get();
        }
        return last;
    }
}
