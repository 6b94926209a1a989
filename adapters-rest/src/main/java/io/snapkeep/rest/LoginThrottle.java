package io.snapkeep.rest;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Counts failed password checks per client address and per user name, and says how long a key is blocked
 * (see {@link LoginLimits}). Time comes from the injected clock only. Memory is bounded: at most
 * {@link #MAX_KEYS} keys of each kind are kept; past that, keys with nothing left to remember go first,
 * then keys that are not blocked.
 */
final class LoginThrottle {
    static final int MAX_KEYS = 50_000;
    /** Longer user names are counted by their first this many characters. */
    private static final int MAX_NAME = 256;

    private final LoginLimits limits;
    private final Clock clock;
    private final Map<String, Counter> addresses = new HashMap<>();
    private final Map<String, Counter> users = new HashMap<>();

    LoginThrottle(LoginLimits limits, Clock clock) {
        this.limits = limits;
        this.clock = clock;
    }

    /** How long {@code address} stays blocked; zero when it is not. */
    synchronized Duration addressBlocked(String address) {
        return remaining(addresses.get(address));
    }

    /** How long {@code user} stays blocked; zero when it is not. */
    synchronized Duration userBlocked(String user) {
        return remaining(users.get(nameKey(user)));
    }

    /** Whether {@code address} has failed within its current window. */
    synchronized boolean addressHasFailures(String address) {
        Counter c = addresses.get(address);
        Instant now = clock.instant();
        return c != null && c.failures > 0 && now.isBefore(c.windowStart.plus(limits.window()));
    }

    /** Counts one failed check by {@code address} for {@code user}. */
    synchronized void failed(String address, String user) {
        Instant now = clock.instant();
        count(addresses, address, limits.maxFailuresPerAddress(), now);
        count(users, nameKey(user), limits.maxFailuresPerUser(), now);
    }

    private void count(Map<String, Counter> counters, String key, int max, Instant now) {
        Counter c = counters.get(key);
        if (c == null) {
            if (counters.size() >= MAX_KEYS) {
                makeRoom(counters, now);
            }
            c = new Counter(now);
            counters.put(key, c);
        }
        if (c.blockedUntil != null && !now.isBefore(c.blockedUntil.plus(limits.maxBlock()))) {
            c.strikes = 0; // quiet for a whole longest block: the next block starts short again
        }
        if (!now.isBefore(c.windowStart.plus(limits.window()))) {
            c.windowStart = now;
            c.failures = 0;
        }
        c.failures++;
        if (c.failures >= max) {
            Duration length = limits.block().multipliedBy(1L << Math.min(c.strikes, 20));
            if (length.compareTo(limits.maxBlock()) > 0) {
                length = limits.maxBlock();
            }
            c.blockedUntil = now.plus(length);
            c.strikes++;
            c.failures = 0;
            c.windowStart = now;
        }
    }

    private void makeRoom(Map<String, Counter> counters, Instant now) {
        counters.values().removeIf(c -> forgettable(c, now));
        if (counters.size() >= MAX_KEYS) {
            counters.values().removeIf(c -> c.blockedUntil == null || !now.isBefore(c.blockedUntil));
        }
        if (counters.size() >= MAX_KEYS) {
            // Every key is blocked: drop the oldest-started ones, never looping more than the map holds.
            Iterator<Counter> it = counters.values().iterator();
            for (int dropped = 0; it.hasNext() && dropped < MAX_KEYS / 10; dropped++) {
                it.next();
                it.remove();
            }
        }
    }

    private boolean forgettable(Counter c, Instant now) {
        boolean windowOver = !now.isBefore(c.windowStart.plus(limits.window()));
        boolean quiet = c.blockedUntil == null || !now.isBefore(c.blockedUntil.plus(limits.maxBlock()));
        return windowOver && quiet;
    }

    private Duration remaining(Counter c) {
        if (c == null || c.blockedUntil == null) {
            return Duration.ZERO;
        }
        Duration left = Duration.between(clock.instant(), c.blockedUntil);
        return left.isNegative() ? Duration.ZERO : left;
    }

    private static String nameKey(String user) {
        return user.length() <= MAX_NAME ? user : user.substring(0, MAX_NAME);
    }

    /** Package-private for tests: how many keys of each kind are kept. */
    synchronized int size() {
        return addresses.size() + users.size();
    }

    private static final class Counter {
        Instant windowStart;
        int failures;
        Instant blockedUntil;
        int strikes;

        Counter(Instant now) {
            windowStart = now;
        }
    }
}
