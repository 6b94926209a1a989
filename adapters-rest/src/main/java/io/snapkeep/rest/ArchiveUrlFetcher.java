package io.snapkeep.rest;

import io.snapkeep.core.domain.Snapshot;
import io.snapkeep.core.domain.SnapshotId;
import io.snapkeep.core.port.in.UploadSnapshot;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Uploads from {@code snapshot_archive_url}: the server fetches the archive itself and streams the response
 * body straight into the upload use case, within the {@link UrlFetchPolicy}.
 *
 * <p>The host is resolved once; every address it resolves to must be allowed by the policy, and the
 * connection goes to one of those checked addresses ({@link PinnedHttpGet}), never to a second resolution.
 * Redirects are not followed: a 3xx is a failed fetch. Every failure of the fetch itself (a refused address,
 * a name that does not resolve, a closed port, a timeout, a non-2xx answer, a broken transfer) gets the one
 * message {@link #FETCH_FAILED}, so that the answer tells nothing about the network behind the server; the
 * reason goes to the log.
 */
final class ArchiveUrlFetcher {
    /** The client's message for every failed fetch. */
    static final String FETCH_FAILED = "The archive could not be fetched from `snapshot_archive_url`";

    private static final Logger LOG = LoggerFactory.getLogger(ArchiveUrlFetcher.class);

    /** Resolves a host name (or literal) to its addresses. */
    interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    private final UrlFetchPolicy policy;
    private final Resolver resolver;

    ArchiveUrlFetcher(UrlFetchPolicy policy) {
        this(policy, InetAddress::getAllByName);
    }

    ArchiveUrlFetcher(UrlFetchPolicy policy, Resolver resolver) {
        this.policy = policy;
        this.resolver = resolver;
    }

    Snapshot upload(UploadSnapshot uploads, SnapshotId id, String url, String requestedBy) {
        URI uri = checked(url);
        String shown = shown(uri);
        List<InetAddress> addresses;
        try {
            addresses = allowedAddresses(uri.getHost(), resolver.resolve(uri.getHost()), policy);
        } catch (UnknownHostException e) {
            throw failed(id, shown, "the host does not resolve");
        } catch (FetchRefused e) {
            throw failed(id, shown, e.getMessage());
        }
        int port = uri.getPort() >= 0 ? uri.getPort() : uri.getScheme().equalsIgnoreCase("https") ? 443 : 80;
        try (PinnedHttpGet get = connect(uri, addresses, port)) {
            if (get.status() / 100 != 2) {
                throw failed(id, shown, "the server answered HTTP " + get.status());
            }
            String length = get.header("Content-Length");
            if (length != null && length.matches("\\d{1,18}") && Long.parseLong(length) > policy.maxBytes()) {
                throw ApiError.badParameters("The archive at `snapshot_archive_url` is " + length
                        + " bytes, more than the allowed " + policy.maxBytes());
            }
            FetchStream fetched = new FetchStream(get.body(), policy.maxBytes());
            try {
                long told = length != null && length.matches("\\d{1,18}") ? Long.parseLong(length) : -1;
                return uploads.upload(new UploadSnapshot.UploadCommand(id, fetched, requestedBy, told));
            } catch (RuntimeException e) {
                // A broken transfer is the URL's fault, not the archive's: say so.
                if (fetched.tooLarge) {
                    throw ApiError.badParameters("The archive at `snapshot_archive_url` is larger than the allowed "
                            + policy.maxBytes() + " bytes");
                }
                if (fetched.failure != null) {
                    throw failed(id, shown, describe(fetched.failure));
                }
                throw e;
            }
        } catch (IOException e) {
            throw failed(id, shown, describe(e));
        }
    }

    private PinnedHttpGet connect(URI uri, List<InetAddress> addresses, int port) throws IOException {
        // One deadline for the whole fetch, however many addresses are tried.
        long deadline = System.nanoTime() + policy.totalTimeout().toNanos();
        IOException last = null;
        for (InetAddress address : addresses) {
            try {
                return PinnedHttpGet.open(uri, new InetSocketAddress(address, port), policy, deadline);
            } catch (IOException e) {
                if (last != null) {
                    e.addSuppressed(last);
                }
                last = e;
            }
        }
        throw last;
    }

    /**
     * The addresses of {@code host} that may be connected to: all of {@code resolved}, when the policy allows
     * every one of them.
     *
     * @throws FetchRefused naming the first address refused
     */
    static List<InetAddress> allowedAddresses(String host, InetAddress[] resolved, UrlFetchPolicy policy) {
        if (resolved == null || resolved.length == 0) {
            throw new FetchRefused("the host resolves to no address");
        }
        List<InetAddress> allowed = new ArrayList<>();
        for (InetAddress a : resolved) {
            if (!policy.allowsAddress(a)) {
                throw new FetchRefused("`" + host + "` resolves to " + a.getHostAddress() + ", a "
                        + AddressRules.refusal(a) + " address that snapshot_archive_url.allowed_networks does not open");
            }
            allowed.add(a);
        }
        return allowed;
    }

    /** An address the policy does not allow. */
    static final class FetchRefused extends RuntimeException {
        FetchRefused(String message) {
            super(message);
        }
    }

    private static ApiError failed(SnapshotId id, String url, String detail) {
        LOG.warn("Upload of snapshot {} from snapshot_archive_url {} failed: {}", id, url, detail);
        return ApiError.badParameters(FETCH_FAILED);
    }

    private URI checked(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw ApiError.badParameters("`snapshot_archive_url` is not a valid URL: " + e.getMessage());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw ApiError.badParameters("`snapshot_archive_url` must be an http or https URL, got `" + url + "`");
        }
        if (!policy.allowedSchemes().contains(scheme)) {
            throw ApiError.badParameters("`snapshot_archive_url` must use " + String.join(" or ",
                    new TreeSet<>(policy.allowedSchemes())) + " on this server, got `" + url + "`");
        }
        if (uri.getHost() == null) {
            throw ApiError.badParameters("`snapshot_archive_url` is not a valid URL with a host: `" + url + "`");
        }
        if (uri.getPort() == 0 || uri.getPort() > 65535 || uri.getPort() < -1) {
            throw ApiError.badParameters("`snapshot_archive_url` port must be 1 to 65535, got " + uri.getPort());
        }
        if (uri.getRawUserInfo() != null) {
            throw ApiError.badParameters("`snapshot_archive_url` must not carry user information");
        }
        if (!policy.allowsHost(uri.getHost())) {
            throw ApiError.badParameters("`snapshot_archive_url` host `" + uri.getHost()
                    + "` is not among the hosts this server may fetch from");
        }
        return uri;
    }

    /** The URL for the log: scheme, host, port and path, not the query (it may hold a signature). */
    private static String shown(URI uri) {
        return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort())
                + (uri.getRawPath() == null ? "" : uri.getRawPath()) + (uri.getRawQuery() == null ? "" : "?...");
    }

    private static String describe(IOException e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : " (" + message + ")");
    }

    /** Counts bytes against the limit and remembers a transfer failure, which the core reports generically. */
    private static final class FetchStream extends FilterInputStream {
        private final long max;
        private long count;
        private volatile IOException failure;
        private volatile boolean tooLarge;

        FetchStream(InputStream in, long max) {
            super(in);
            this.max = max;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n;
            try {
                n = super.read(b, off, len);
            } catch (IOException e) {
                failure = e;
                throw e;
            }
            if (n > 0) {
                count += n;
                if (count > max) {
                    tooLarge = true;
                    failure = new IOException("the archive is larger than the allowed " + max + " bytes");
                    throw failure;
                }
            }
            return n;
        }
    }
}
