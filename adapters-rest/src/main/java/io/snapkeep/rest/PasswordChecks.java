package io.snapkeep.rest;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Runs the host's {@link Authenticator}, which may cost a slow hash derivation, under two bounds.
 *
 * <p>At most {@link PasswordCheckLimits#maxConcurrent()} checks run at once; a check that finds them all
 * busy waits up to {@link PasswordCheckLimits#maxWait()} and is then answered 429 {@code too_many_requests_error}
 * with {@code Retry-After}. A successful check is remembered for {@link PasswordCheckLimits#verifiedTtl()}
 * by an HMAC-SHA256 of the user name and password under a key drawn at random for this instance, so that a
 * client repeating verified credentials costs one HMAC and never waits for a check; failures are never
 * remembered. At most {@link PasswordCheckLimits#verifiedMax()} are remembered: past that, expired ones go
 * first, then all.
 */
final class PasswordChecks {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Authenticator authenticator;
    private final PasswordCheckLimits limits;
    private final Clock clock;
    private final Semaphore running;
    private final Mac macPrototype;
    private final Map<String, Verified> verified = new ConcurrentHashMap<>();

    PasswordChecks(Authenticator authenticator, PasswordCheckLimits limits, Clock clock) {
        this.authenticator = authenticator;
        this.limits = limits;
        this.clock = clock;
        this.running = new Semaphore(limits.maxConcurrent());
        this.macPrototype = newMac();
    }

    /**
     * The user these credentials prove, or empty.
     *
     * @throws ApiError 429 when every check slot stayed busy for the whole wait
     */
    Optional<Authenticator.User> check(String name, String password) {
        String key = fingerprint(name, password);
        Instant now = clock.instant();
        Verified known = verified.get(key);
        if (known != null) {
            if (now.isBefore(known.expiresAt())) {
                return Optional.of(known.user());
            }
            verified.remove(key, known);
        }
        boolean acquired;
        try {
            acquired = running.tryAcquire(limits.maxWait().toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            acquired = false;
        }
        if (!acquired) {
            throw ApiError.tooManyRequests(Duration.ofSeconds(1),
                    "Too many password checks at once; try again shortly, or use an Authentication-Token");
        }
        Optional<Authenticator.User> user;
        try {
            user = authenticator.authenticate(name, password);
        } finally {
            running.release();
        }
        user.ifPresent(u -> remember(key, u));
        return user;
    }

    private void remember(String key, Authenticator.User user) {
        Instant now = clock.instant();
        if (verified.size() >= limits.verifiedMax()) {
            verified.values().removeIf(v -> !now.isBefore(v.expiresAt()));
            if (verified.size() >= limits.verifiedMax()) {
                verified.clear();
            }
        }
        verified.put(key, new Verified(user, now.plus(limits.verifiedTtl())));
    }

    /** Package-private for tests: how many successes are remembered. */
    int remembered() {
        return verified.size();
    }

    private String fingerprint(String name, String password) {
        Mac mac;
        try {
            mac = (Mac) macPrototype.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("HmacSHA256 cannot be cloned", e);
        }
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        // The name's length first, so that no other split of the same bytes gives the same digest.
        mac.update(new byte[] {(byte) (n.length >>> 24), (byte) (n.length >>> 16), (byte) (n.length >>> 8), (byte) n.length});
        mac.update(n);
        return Base64.getEncoder().encodeToString(mac.doFinal(password.getBytes(StandardCharsets.UTF_8)));
    }

    private static Mac newMac() {
        try {
            byte[] key = new byte[32];
            RANDOM.nextBytes(key);
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    private record Verified(Authenticator.User user, Instant expiresAt) {
    }
}
