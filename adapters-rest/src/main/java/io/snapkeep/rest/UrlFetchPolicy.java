package io.snapkeep.rest;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What the server may fetch when an upload names a {@code snapshot_archive_url}: only the
 * {@code allowedSchemes} (a subset of {@code http} and {@code https}), only from {@code allowedHosts} when that
 * set is not empty, only from public addresses unless {@code allowedNetworks} opens a range that
 * {@link AddressRules} refuses, within the timeouts and the minimum rate, and at most {@code maxBytes}.
 *
 * @param allowedSchemes  {@code http}, {@code https} or both
 * @param allowedHosts    host names (case-insensitive) the server may fetch from; empty allows every host
 * @param allowedNetworks ranges opened although they are refused by default (loopback, private, ...)
 * @param connectTimeout  how long to wait for the connection
 * @param readTimeout     how long to wait for the response headers, and for each read of the body
 * @param totalTimeout    how long the whole fetch may take, from the connection to the last byte
 * @param minRate         the fewest bytes per second the body must arrive at, averaged over {@code minRateWindow};
 *                        0 for no minimum
 * @param minRateWindow   the stretch of time over which {@code minRate} is averaged
 * @param maxBytes        the largest archive accepted from a URL
 */
public record UrlFetchPolicy(Set<String> allowedSchemes, Set<String> allowedHosts, List<NetworkRange> allowedNetworks,
                             Duration connectTimeout, Duration readTimeout, Duration totalTimeout, long minRate,
                             Duration minRateWindow, long maxBytes) {

    /**
     * http and https, any host name, public addresses only, 10 s to connect, 60 s per read, 1 h in all, at
     * least 64 KiB/s over any 30 s, up to 64 GiB.
     */
    public static final UrlFetchPolicy DEFAULTS = new UrlFetchPolicy(Set.of("http", "https"), Set.of(), List.of(),
            Duration.ofSeconds(10), Duration.ofSeconds(60), Duration.ofHours(1), 64 << 10, Duration.ofSeconds(30),
            64L << 30);

    public UrlFetchPolicy {
        allowedSchemes = Objects.requireNonNull(allowedSchemes, "allowedSchemes").stream()
                .map(h -> h.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
        if (allowedSchemes.isEmpty() || !Set.of("http", "https").containsAll(allowedSchemes)) {
            throw new IllegalArgumentException("allowedSchemes must be a non-empty subset of http, https, got "
                    + allowedSchemes);
        }
        allowedHosts = Objects.requireNonNull(allowedHosts, "allowedHosts").stream()
                .map(h -> h.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
        allowedNetworks = List.copyOf(Objects.requireNonNull(allowedNetworks, "allowedNetworks"));
        requirePositive(Objects.requireNonNull(connectTimeout, "connectTimeout"), "connectTimeout");
        requirePositive(Objects.requireNonNull(readTimeout, "readTimeout"), "readTimeout");
        requirePositive(Objects.requireNonNull(totalTimeout, "totalTimeout"), "totalTimeout");
        requirePositive(Objects.requireNonNull(minRateWindow, "minRateWindow"), "minRateWindow");
        if (minRate < 0) {
            throw new IllegalArgumentException("minRate must not be negative, got " + minRate);
        }
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("maxBytes must be positive, got " + maxBytes);
        }
    }

    public UrlFetchPolicy withSchemes(Set<String> schemes) {
        return new UrlFetchPolicy(schemes, allowedHosts, allowedNetworks, connectTimeout, readTimeout, totalTimeout,
                minRate, minRateWindow, maxBytes);
    }

    public UrlFetchPolicy withAllowedHosts(Set<String> hosts) {
        return new UrlFetchPolicy(allowedSchemes, hosts, allowedNetworks, connectTimeout, readTimeout, totalTimeout,
                minRate, minRateWindow, maxBytes);
    }

    public UrlFetchPolicy withAllowedNetworks(List<NetworkRange> networks) {
        return new UrlFetchPolicy(allowedSchemes, allowedHosts, networks, connectTimeout, readTimeout, totalTimeout,
                minRate, minRateWindow, maxBytes);
    }

    public UrlFetchPolicy withTimeouts(Duration connect, Duration read) {
        return new UrlFetchPolicy(allowedSchemes, allowedHosts, allowedNetworks, connect, read, totalTimeout,
                minRate, minRateWindow, maxBytes);
    }

    public UrlFetchPolicy withTotalTimeout(Duration total) {
        return new UrlFetchPolicy(allowedSchemes, allowedHosts, allowedNetworks, connectTimeout, readTimeout, total,
                minRate, minRateWindow, maxBytes);
    }

    public UrlFetchPolicy withMinRate(long bytesPerSecond, Duration window) {
        return new UrlFetchPolicy(allowedSchemes, allowedHosts, allowedNetworks, connectTimeout, readTimeout,
                totalTimeout, bytesPerSecond, window, maxBytes);
    }

    public UrlFetchPolicy withMaxBytes(long max) {
        return new UrlFetchPolicy(allowedSchemes, allowedHosts, allowedNetworks, connectTimeout, readTimeout,
                totalTimeout, minRate, minRateWindow, max);
    }

    /** Whether {@code host} may be fetched from. */
    public boolean allowsHost(String host) {
        return allowedHosts.isEmpty() || (host != null && allowedHosts.contains(host.toLowerCase(Locale.ROOT)));
    }

    /**
     * Whether the server may connect to {@code address}: a public address, or one in {@code allowedNetworks}
     * (as it is, or as the IPv4 address it carries).
     */
    public boolean allowsAddress(InetAddress address) {
        if (AddressRules.refusal(address) == null) {
            return true;
        }
        InetAddress unwrapped = AddressRules.unwrapped(address);
        return allowedNetworks.stream().anyMatch(n -> n.contains(address) || n.contains(unwrapped));
    }

    private static void requirePositive(Duration d, String name) {
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + d);
        }
    }
}
