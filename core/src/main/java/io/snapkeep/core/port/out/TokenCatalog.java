package io.snapkeep.core.port.out;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Issued authentication tokens, kept as digests (never the token itself), so that a token works on every node
 * sharing the catalog and after a restart, and can be revoked. Thread-safe; every method is atomic. Failures
 * of the database throw {@code StorageUnavailableException}.
 */
public interface TokenCatalog {

    /**
     * One issued token.
     *
     * @param id     a short public name of the token (what a revocation names), unique
     * @param digest the hex SHA-256 of the token's secret value, unique
     * @param user   the user it authenticates, with {@code roles} at the time it was issued
     */
    record StoredToken(String id, String digest, String user, Set<String> roles, Instant issuedAt,
                       Instant expiresAt) {
        public StoredToken {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(digest, "digest");
            Objects.requireNonNull(user, "user");
            roles = Set.copyOf(roles);
            Objects.requireNonNull(issuedAt, "issuedAt");
            Objects.requireNonNull(expiresAt, "expiresAt");
        }

        public boolean isValidAt(Instant now) {
            return now.isBefore(expiresAt);
        }
    }

    /**
     * Adds {@code token}, then removes the oldest tokens of its user (by issue time, then id) beyond
     * {@code maxPerUser}, in one step.
     *
     * @return the ids of the tokens removed to make room
     */
    List<String> insert(StoredToken token, int maxPerUser);

    /** The token whose digest is {@code digest}, expired or not, or empty. */
    Optional<StoredToken> findByDigest(String digest);

    /** The token with this id, or empty. */
    Optional<StoredToken> find(String id);

    /** Every token of {@code user}, oldest first. */
    List<StoredToken> ofUser(String user);

    /** Removes the token {@code id}. @return whether it was there */
    boolean delete(String id);

    /** Removes every token that expired at or before {@code now}. @return how many */
    int deleteExpired(Instant now);
}
