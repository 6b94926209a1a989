package io.snapkeep.rest;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What the server may fetch when an upload names a {@code snapshot_archive_url}: only the
 * {@code allowedSchemes} (a subset of {@code http} and {@code https}), only from {@code allowedHosts} when that
 * set is not empty, within the timeouts, and at most {@code maxBytes}.
 *
 * @param allowedSchemes {@code http}, {@code https} or both
 * @param allowedHosts   host names (case-insensitive) the server may fetch from; empty allows every host
 * @param connectTimeout how long to wait for the connection
 * @param readTimeout    how long to wait for the response headers once connected
 * @param maxBytes       the largest archive accepted from a URL
 */
public record UrlFetchPolicy(Set<String> allowedSchemes, Set<String> allowedHosts, Duration connectTimeout, Duration readTimeout, long maxBytes) {

    /** http and https, any host, 10 s to connect, 60 s to answer, up to 64 GiB. */
    public static final UrlFetchPolicy DEFAULTS =
            new UrlFetchPolicy(Set.of("http", "https"), Set.of(), Duration.ofSeconds(10), Duration.ofSeconds(60), 64L << 30);

    public UrlFetchPolicy {
        allowedSchemes = Objects.requireNonNull(allowedSchemes, "allowedSchemes").stream()
                .map(h -> h.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
        if (allowedSchemes.isEmpty() || !Set.of("http", "https").containsAll(allowedSchemes)) {
            throw new IllegalArgumentException("allowedSchemes must be a non-empty subset of http, https, got "
                    + allowedSchemes);
        }
        allowedHosts = Objects.requireNonNull(allowedHosts, "allowedHosts").stream()
                .map(h -> h.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
        requirePositive(Objects.requireNonNull(connectTimeout, "connectTimeout"), "connectTimeout");
        requirePositive(Objects.requireNonNull(readTimeout, "readTimeout"), "readTimeout");
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("maxBytes must be positive, got " + maxBytes);
        }
    }

    public UrlFetchPolicy withSchemes(Set<String> schemes) {
        return new UrlFetchPolicy(schemes, allowedHosts, connectTimeout, readTimeout, maxBytes);
    }

    public UrlFetchPolicy withAllowedHosts(Set<String> hosts) {
        return new UrlFetchPolicy(allowedSchemes, hosts, connectTimeout, readTimeout, maxBytes);
    }

    public UrlFetchPolicy withTimeouts(Duration connect, Duration read) {
        return new UrlFetchPolicy(allowedSchemes, allowedHosts, connect, read, maxBytes);
    }

    public UrlFetchPolicy withMaxBytes(long max) {
        return new UrlFetchPolicy(allowedSchemes, allowedHosts, connectTimeout, readTimeout, max);
    }

    /** Whether {@code host} may be fetched from. */
    public boolean allowsHost(String host) {
        return allowedHosts.isEmpty() || (host != null && allowedHosts.contains(host.toLowerCase(Locale.ROOT)));
    }

    private static void requirePositive(Duration d, String name) {
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + d);
        }
    }
}
