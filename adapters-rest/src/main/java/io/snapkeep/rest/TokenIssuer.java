package io.snapkeep.rest;

import io.snapkeep.core.error.AlreadyExistsException;
import io.snapkeep.core.port.out.TokenCatalog;
import io.snapkeep.core.port.out.TokenCatalog.StoredToken;
import io.snapkeep.core.support.Sha256;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issues and checks {@code Authentication-Token}s: 256 random bits each, valid for a fixed lifetime, kept in
 * the {@link TokenCatalog} so that every node sharing it accepts them, a restart keeps them, and a
 * revocation ends them everywhere at once. The catalog holds only each token's digest, never a usable
 * secret; looking a token up by its digest also means a lookup's timing tells nothing about the secret.
 */
final class TokenIssuer {
    private static final Logger LOG = LoggerFactory.getLogger(TokenIssuer.class);

    /**
     * An expired token is refused whether or not it was purged, so purging is only housekeeping: once a
     * minute per node keeps the catalog small without a write on every request or a thread of our own.
     */
    static final Duration PURGE_INTERVAL = Duration.ofMinutes(1);
    private static final int SECRET_BYTES = 32;
    private static final int ID_BYTES = 8;
    private static final int ISSUE_ATTEMPTS = 3;

    private final SecureRandom random = new SecureRandom();
    private final TokenCatalog catalog;
    private final Duration lifetime;
    private final int maxPerUser;
    private final Clock clock;
    private final AtomicLong nextPurgeMillis = new AtomicLong(Long.MIN_VALUE);

    /** A token just issued: what the catalog keeps, and the secret value that only the client gets. */
    record Issued(StoredToken token, String value) {
    }

    TokenIssuer(TokenCatalog catalog, Duration lifetime, int maxPerUser, Clock clock) {
        this.catalog = catalog;
        this.lifetime = lifetime;
        this.maxPerUser = maxPerUser;
        this.clock = clock;
    }

    Issued issue(Authenticator.User user) {
        Instant now = clock.instant();
        purgeIfDue(now);
        for (int attempt = 1; ; attempt++) {
            String value = Base64.getUrlEncoder().withoutPadding().encodeToString(randomBytes(SECRET_BYTES));
            StoredToken token = new StoredToken(HexFormat.of().formatHex(randomBytes(ID_BYTES)), digest(value),
                    user.name(), user.roles(), now, now.plus(lifetime));
            try {
                List<String> dropped = catalog.insert(token, maxPerUser);
                if (!dropped.isEmpty()) {
                    LOG.debug("User {} may hold {} token(s): issuing {} dropped the oldest, {}", user.name(),
                            maxPerUser, token.id(), dropped);
                }
                return new Issued(token, value);
            } catch (AlreadyExistsException clash) {
                // 64 random bits of id make a clash all but impossible; a fresh draw settles one.
                if (attempt == ISSUE_ATTEMPTS) {
                    throw new IllegalStateException("No unused token id in " + ISSUE_ATTEMPTS + " draws", clash);
                }
            }
        }
    }

    /** The user that {@code value} authenticates, or empty if it is unknown, revoked or expired. */
    Optional<Authenticator.User> check(String value) {
        Instant now = clock.instant();
        purgeIfDue(now);
        Optional<StoredToken> found = catalog.findByDigest(digest(value));
        if (found.isEmpty()) {
            return Optional.empty();
        }
        StoredToken token = found.get();
        if (!token.isValidAt(now)) {
            catalog.delete(token.id());
            return Optional.empty();
        }
        return Optional.of(new Authenticator.User(token.user(), token.roles()));
    }

    /** The token {@code id} while it is valid: an expired one is as good as gone, whether purged or not. */
    Optional<StoredToken> find(String id) {
        return catalog.find(id).filter(t -> t.isValidAt(clock.instant()));
    }

    /** Removes the token {@code id} from the catalog, so no node accepts it any more. @return whether it was there */
    boolean revoke(String id) {
        return catalog.delete(id);
    }

    private void purgeIfDue(Instant now) {
        long nowMillis = now.toEpochMilli();
        long due = nextPurgeMillis.get();
        // A clock set back by more than the interval must not put the next purge off for that long.
        boolean early = nowMillis < due && due - nowMillis <= PURGE_INTERVAL.toMillis();
        if (early || !nextPurgeMillis.compareAndSet(due, nowMillis + PURGE_INTERVAL.toMillis())) {
            return;
        }
        try {
            int purged = catalog.deleteExpired(now);
            if (purged > 0) {
                LOG.debug("Purged {} expired token(s)", purged);
            }
        } catch (RuntimeException e) {
            // The request itself goes on: its own catalog call answers for the catalog's health.
            LOG.warn("Could not purge expired tokens (next try in {} s): {}", PURGE_INTERVAL.toSeconds(),
                    e.getMessage());
        }
    }

    private byte[] randomBytes(int count) {
        byte[] bytes = new byte[count];
        random.nextBytes(bytes);
        return bytes;
    }

    private static String digest(String value) {
        return Sha256.hexOf(value.getBytes(StandardCharsets.UTF_8));
    }
}
