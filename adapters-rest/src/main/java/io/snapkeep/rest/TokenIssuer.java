package io.snapkeep.rest;

import io.snapkeep.core.support.Sha256;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Issues and checks {@code Authentication-Token}s: 256 random bits each, valid for a fixed lifetime. Only a
 * digest of each token is kept, so the table never holds a usable secret.
 */
final class TokenIssuer {
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Grant> grants = new ConcurrentHashMap<>();
    private final Duration lifetime;
    private final Clock clock;

    record Grant(Authenticator.User user, Instant expiresAt) {
    }

    record Issued(String value, Instant expiresAt) {
    }

    TokenIssuer(Duration lifetime, Clock clock) {
        this.lifetime = lifetime;
        this.clock = clock;
    }

    Issued issue(Authenticator.User user) {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        Instant expiresAt = clock.instant().plus(lifetime);
        dropExpired();
        grants.put(digest(token), new Grant(user, expiresAt));
        return new Issued(token, expiresAt);
    }

    Optional<Authenticator.User> check(String token) {
        Grant grant = grants.get(digest(token));
        if (grant == null) {
            return Optional.empty();
        }
        if (!clock.instant().isBefore(grant.expiresAt())) {
            grants.remove(digest(token));
            return Optional.empty();
        }
        return Optional.of(grant.user());
    }

    private void dropExpired() {
        Instant now = clock.instant();
        grants.values().removeIf(g -> !now.isBefore(g.expiresAt()));
    }

    private static String digest(String token) {
        return Sha256.hexOf(token.getBytes(StandardCharsets.UTF_8));
    }
}
