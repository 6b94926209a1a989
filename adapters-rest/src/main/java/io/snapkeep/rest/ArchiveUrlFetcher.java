package io.snapkeep.rest;

import io.snapkeep.core.domain.Snapshot;
import io.snapkeep.core.domain.SnapshotId;
import io.snapkeep.core.port.in.UploadSnapshot;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Locale;

/**
 * Uploads from {@code snapshot_archive_url}: the server fetches the archive itself and streams the response
 * body straight into the upload use case, within the {@link UrlFetchPolicy}.
 */
final class ArchiveUrlFetcher {
    private final UrlFetchPolicy policy;
    private final HttpClient client;

    ArchiveUrlFetcher(UrlFetchPolicy policy) {
        this.policy = policy;
        // Redirects are not followed: a redirect could lead around the host allow-list.
        this.client = HttpClient.newBuilder()
                .connectTimeout(policy.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    Snapshot upload(UploadSnapshot uploads, SnapshotId id, String url, String requestedBy) {
        URI uri = checked(url);
        HttpResponse<InputStream> response;
        try {
            response = client.send(HttpRequest.newBuilder(uri).timeout(policy.readTimeout()).GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw ApiError.badParameters("Could not fetch the archive from `" + url + "`: " + describe(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiError.badParameters("Fetching the archive from `" + url + "` was interrupted");
        }
        try (InputStream body = response.body()) {
            if (response.statusCode() / 100 != 2) {
                throw ApiError.badParameters("Could not fetch the archive from `" + url + "`: the server answered HTTP "
                        + response.statusCode());
            }
            long declared = response.headers().firstValueAsLong("Content-Length").orElse(-1);
            if (declared > policy.maxBytes()) {
                throw ApiError.badParameters("The archive at `" + url + "` is " + declared
                        + " bytes, more than the allowed " + policy.maxBytes());
            }
            FetchStream fetched = new FetchStream(body, policy.maxBytes());
            try {
                return uploads.upload(new UploadSnapshot.UploadCommand(id, fetched, requestedBy));
            } catch (RuntimeException e) {
                // A broken transfer is the URL's fault, not the archive's: say so.
                if (fetched.failure != null) {
                    throw ApiError.badParameters("Could not fetch the archive from `" + url + "`: "
                            + fetched.failure.getMessage());
                }
                throw e;
            }
        } catch (IOException closeFailed) {
            throw ApiError.badParameters("Could not fetch the archive from `" + url + "`: " + describe(closeFailed));
        }
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
                    new java.util.TreeSet<>(policy.allowedSchemes())) + " on this server, got `" + url + "`");
        }
        if (uri.getHost() == null) {
            throw ApiError.badParameters("`snapshot_archive_url` has no host: `" + url + "`");
        }
        if (!policy.allowsHost(uri.getHost())) {
            throw ApiError.badParameters("`snapshot_archive_url` host `" + uri.getHost()
                    + "` is not among the hosts this server may fetch from");
        }
        return uri;
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
                    failure = new IOException("the archive is larger than the allowed " + max + " bytes");
                    throw failure;
                }
            }
            return n;
        }
    }
}
