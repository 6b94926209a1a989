package io.snapkeep.rest;

import java.time.Duration;
import java.util.Objects;

/**
 * How many failed password checks the API takes before it answers 429 {@code too_many_requests_error}.
 *
 * <p>Failures are counted per client address and per user name, each in a window of {@code window} that
 * starts at the first failure. The failure that reaches a limit blocks that address or name for
 * {@code block}; each further block of the same key, while the key has not been quiet for
 * {@code maxBlock}, lasts twice as long as the one before, up to {@code maxBlock}.
 *
 * <p>A blocked address is refused whatever it sends with Basic auth, a correct password too. A blocked
 * user name is refused only to an address that has failed in its current window: a correct password
 * from an address with no failures still logs in, so guessing a name's password never locks its owner out.
 * Requests with an {@code Authentication-Token} are never throttled.
 *
 * @param maxFailuresPerAddress failures from one address that start a block of that address
 * @param maxFailuresPerUser    failures for one user name, from any address, that start a block of that name
 * @param window                how long failures count
 * @param block                 the first block's length
 * @param maxBlock              the longest block, and how long a key must be quiet before its blocks start short again
 */
public record LoginLimits(int maxFailuresPerAddress, int maxFailuresPerUser, Duration window, Duration block,
                          Duration maxBlock) {

    /** 10 failures per address and 20 per user name in a minute; blocks of 1 minute growing to 5. */
    public static final LoginLimits DEFAULTS = new LoginLimits(10, 20, Duration.ofMinutes(1), Duration.ofMinutes(1),
            Duration.ofMinutes(5));

    public LoginLimits {
        if (maxFailuresPerAddress < 1 || maxFailuresPerUser < 1) {
            throw new IllegalArgumentException("failure limits must be at least 1, got " + maxFailuresPerAddress
                    + " and " + maxFailuresPerUser);
        }
        positive(window, "window");
        positive(block, "block");
        positive(maxBlock, "maxBlock");
        if (maxBlock.compareTo(block) < 0) {
            throw new IllegalArgumentException("maxBlock must be at least block, got " + maxBlock + " < " + block);
        }
    }

    private static void positive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException(name + " must be positive, got " + d);
        }
    }
}
