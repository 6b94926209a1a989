package io.snapkeep.rest;

import java.time.Duration;
import java.util.Objects;

/**
 * What the host tells the REST API about itself.
 *
 * @param serverName       the manager's name, shown by {@code managers}, {@code brokers}, {@code db-nodes} and events
 * @param serverHost       the address clients reach it at, shown as the managers' and brokers' ip
 * @param version          the Snapkeep version that {@code GET /api/version} reports
 * @param urlFetch         what an upload from {@code snapshot_archive_url} may fetch
 * @param tokenLifetime    how long a token from {@code GET /tokens} stays valid
 * @param maxTokensPerUser how many live tokens one user may hold; issuing one more drops that user's oldest
 * @param loginLimits      how many failed password checks an address or a user name may have before 429
 * @param passwordChecks   how many password checks may run at once, and how long a success is remembered
 * @param readerRoles      roles besides {@code sys_admin} that may read snapshots, executions and events (not
 *                         download archives, not change anything); none by default, as in Cloudify
 */
public record RestSettings(String serverName, String serverHost, String version, UrlFetchPolicy urlFetch,
                           Duration tokenLifetime, int maxTokensPerUser, LoginLimits loginLimits,
                           PasswordCheckLimits passwordChecks, java.util.Set<String> readerRoles) {

    /**
     * Name and host {@code localhost}, version {@code 0.1.0}, default URL policy, tokens valid 10 hours, at
     * most 20 tokens per user, {@link LoginLimits#DEFAULTS}, {@link PasswordCheckLimits#DEFAULTS}.
     */
    public static final RestSettings DEFAULTS = new RestSettings("localhost", "127.0.0.1", "0.1.0",
            UrlFetchPolicy.DEFAULTS, Duration.ofHours(10), 20, LoginLimits.DEFAULTS, PasswordCheckLimits.DEFAULTS,
            java.util.Set.of());

    public RestSettings {
        Objects.requireNonNull(serverName, "serverName");
        Objects.requireNonNull(serverHost, "serverHost");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(urlFetch, "urlFetch");
        Objects.requireNonNull(tokenLifetime, "tokenLifetime");
        Objects.requireNonNull(loginLimits, "loginLimits");
        Objects.requireNonNull(passwordChecks, "passwordChecks");
        readerRoles = java.util.Set.copyOf(readerRoles);
        if (tokenLifetime.isNegative() || tokenLifetime.isZero()) {
            throw new IllegalArgumentException("tokenLifetime must be positive, got " + tokenLifetime);
        }
        if (maxTokensPerUser < 1) {
            throw new IllegalArgumentException("maxTokensPerUser must be at least 1, got " + maxTokensPerUser);
        }
    }

    public RestSettings withServer(String name, String host) {
        return new RestSettings(name, host, version, urlFetch, tokenLifetime, maxTokensPerUser, loginLimits,
                passwordChecks, readerRoles);
    }

    public RestSettings withVersion(String newVersion) {
        return new RestSettings(serverName, serverHost, newVersion, urlFetch, tokenLifetime, maxTokensPerUser,
                loginLimits,
                passwordChecks, readerRoles);
    }

    public RestSettings withUrlFetch(UrlFetchPolicy policy) {
        return new RestSettings(serverName, serverHost, version, policy, tokenLifetime, maxTokensPerUser, loginLimits,
                passwordChecks, readerRoles);
    }

    public RestSettings withTokenLifetime(Duration lifetime) {
        return new RestSettings(serverName, serverHost, version, urlFetch, lifetime, maxTokensPerUser, loginLimits,
                passwordChecks, readerRoles);
    }

    public RestSettings withMaxTokensPerUser(int max) {
        return new RestSettings(serverName, serverHost, version, urlFetch, tokenLifetime, max, loginLimits,
                passwordChecks, readerRoles);
    }

    public RestSettings withLoginLimits(LoginLimits limits) {
        return new RestSettings(serverName, serverHost, version, urlFetch, tokenLifetime, maxTokensPerUser, limits,
                passwordChecks, readerRoles);
    }

    public RestSettings withPasswordChecks(PasswordCheckLimits limits) {
        return new RestSettings(serverName, serverHost, version, urlFetch, tokenLifetime, maxTokensPerUser, loginLimits,
                limits, readerRoles);
    }

    public RestSettings withReaderRoles(java.util.Set<String> roles) {
        return new RestSettings(serverName, serverHost, version, urlFetch, tokenLifetime, maxTokensPerUser, loginLimits,
                passwordChecks, roles);
    }

    /** Whether {@code user} holds a reader role. */
    boolean canRead(Authenticator.User user) {
        return user.roles().stream().anyMatch(readerRoles::contains);
    }
}
