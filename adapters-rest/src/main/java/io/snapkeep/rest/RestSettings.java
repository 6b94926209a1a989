package io.snapkeep.rest;

import java.time.Duration;
import java.util.Objects;

/**
 * What the host tells the REST API about itself.
 *
 * @param serverName    the manager's name, shown by {@code managers}, {@code brokers}, {@code db-nodes} and events
 * @param serverHost    the address clients reach it at, shown as the managers' and brokers' ip
 * @param version       the Snapkeep version that {@code GET /api/version} reports
 * @param urlFetch      what an upload from {@code snapshot_archive_url} may fetch
 * @param tokenLifetime how long a token from {@code GET /tokens} stays valid
 */
public record RestSettings(String serverName, String serverHost, String version, UrlFetchPolicy urlFetch,
                           Duration tokenLifetime) {

    /** Name and host {@code localhost}, version {@code 0.1.0}, default URL policy, tokens valid 10 hours. */
    public static final RestSettings DEFAULTS =
            new RestSettings("localhost", "127.0.0.1", "0.1.0", UrlFetchPolicy.DEFAULTS, Duration.ofHours(10));

    public RestSettings {
        Objects.requireNonNull(serverName, "serverName");
        Objects.requireNonNull(serverHost, "serverHost");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(urlFetch, "urlFetch");
        Objects.requireNonNull(tokenLifetime, "tokenLifetime");
        if (tokenLifetime.isNegative() || tokenLifetime.isZero()) {
            throw new IllegalArgumentException("tokenLifetime must be positive, got " + tokenLifetime);
        }
    }

    public RestSettings withServer(String name, String host) {
        return new RestSettings(name, host, version, urlFetch, tokenLifetime);
    }

    public RestSettings withVersion(String newVersion) {
        return new RestSettings(serverName, serverHost, newVersion, urlFetch, tokenLifetime);
    }

    public RestSettings withUrlFetch(UrlFetchPolicy policy) {
        return new RestSettings(serverName, serverHost, version, policy, tokenLifetime);
    }

    public RestSettings withTokenLifetime(Duration lifetime) {
        return new RestSettings(serverName, serverHost, version, urlFetch, lifetime);
    }
}
