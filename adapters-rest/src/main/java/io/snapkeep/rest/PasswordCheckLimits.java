package io.snapkeep.rest;

import java.time.Duration;
import java.util.Objects;

/**
 * How much of the machine password checks may take: a check may cost a slow hash derivation, so at most
 * {@code maxConcurrent} run at once, and a successful one is remembered so that repeating it costs nothing.
 *
 * @param maxConcurrent how many password checks may run at once
 * @param maxWait       how long a check waits for a free slot before the request is answered 429
 * @param verifiedTtl   how long a successful check of a user name and password is remembered
 * @param verifiedMax   how many successful checks are remembered at most
 */
public record PasswordCheckLimits(int maxConcurrent, Duration maxWait, Duration verifiedTtl, int verifiedMax) {

    /**
     * Half the processors (at least one) at once, waiting up to 2 seconds; successes remembered for
     * 5 minutes, at most 10,000 of them.
     */
    public static final PasswordCheckLimits DEFAULTS = new PasswordCheckLimits(defaultConcurrency(),
            Duration.ofSeconds(2), Duration.ofMinutes(5), 10_000);

    public PasswordCheckLimits {
        if (maxConcurrent < 1) {
            throw new IllegalArgumentException("maxConcurrent must be at least 1, got " + maxConcurrent);
        }
        Objects.requireNonNull(maxWait, "maxWait");
        Objects.requireNonNull(verifiedTtl, "verifiedTtl");
        if (maxWait.isNegative() || verifiedTtl.isNegative()) {
            throw new IllegalArgumentException("maxWait and verifiedTtl must not be negative");
        }
        if (verifiedMax < 1) {
            throw new IllegalArgumentException("verifiedMax must be at least 1, got " + verifiedMax);
        }
    }

    /** {@code max(1, processors / 2)}. */
    public static int defaultConcurrency() {
        return Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    }
}
