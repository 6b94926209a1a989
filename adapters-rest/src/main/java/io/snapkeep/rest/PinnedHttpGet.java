package io.snapkeep.rest;

import io.snapkeep.core.support.BlockReadStream;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * One HTTP/1.1 GET on a socket connected to an address already checked: the JDK's HTTP clients resolve the
 * host name again themselves, so what they connect to is not what was checked. The request carries the URL's
 * host in {@code Host}; over https the TLS handshake sends it as SNI and verifies the certificate against
 * it. Redirects are not followed. Every read of the headers and of the body is bounded by the read timeout,
 * the total deadline and, for the body, the minimum rate.
 */
final class PinnedHttpGet implements Closeable {
    private static final int MAX_LINE = 8 << 10;
    private static final int MAX_HEADERS = 100;
    private static final int MAX_INTERIM = 10;

    private final Socket socket;
    private final int status;
    private final Map<String, String> headers;
    private final InputStream body;

    private PinnedHttpGet(Socket socket, int status, Map<String, String> headers, InputStream body) {
        this.socket = socket;
        this.status = status;
        this.headers = headers;
        this.body = body;
    }

    /**
     * Connects to {@code address}, sends the GET of {@code uri} and reads the answer's status and headers; the
     * whole fetch must end by {@code deadline} ({@link System#nanoTime()}).
     */
    static PinnedHttpGet open(URI uri, InetSocketAddress address, UrlFetchPolicy policy, long deadline)
            throws IOException {
        if (deadline - System.nanoTime() <= 0) {
            throw new IOException("the fetch took longer than the total timeout of " + policy.totalTimeout());
        }
        String host = uri.getHost().startsWith("[") ? uri.getHost().substring(1, uri.getHost().length() - 1) : uri.getHost();
        boolean https = uri.getScheme().equalsIgnoreCase("https");
        Socket raw = new Socket();
        Socket socket = raw;
        try {
            raw.connect(address, (int) Math.max(1, Math.min(policy.connectTimeout().toMillis(),
                    (deadline - System.nanoTime()) / 1_000_000)));
            if (https) {
                SSLSocket ssl = (SSLSocket) ((SSLSocketFactory) SSLSocketFactory.getDefault())
                        .createSocket(raw, host, address.getPort(), true);
                SSLParameters params = ssl.getSSLParameters();
                params.setEndpointIdentificationAlgorithm("HTTPS");
                if (NetworkRange.literal(host) == null) {
                    params.setServerNames(List.of(new SNIHostName(host)));
                }
                ssl.setSSLParameters(params);
                socket = ssl;
            }
            Pace pace = new Pace(socket, policy, deadline);
            InputStream in = new PacedStream(new BufferedInputStream(socket.getInputStream()), pace);
            OutputStream out = socket.getOutputStream();
            out.write(request(uri).getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            for (int interim = 0; ; interim++) {
                String statusLine = line(in);
                String[] parts = statusLine.split(" ", 3);
                if (parts.length < 2 || !parts[0].startsWith("HTTP/1.") || !parts[1].matches("\\d{3}")) {
                    throw new IOException("not an HTTP/1.x answer: " + printable(statusLine));
                }
                int status = Integer.parseInt(parts[1]);
                Map<String, String> headers = headers(in);
                if (status / 100 == 1) {
                    if (interim >= MAX_INTERIM) {
                        throw new IOException("more than " + MAX_INTERIM + " interim answers");
                    }
                    continue;
                }
                pace.startBody();
                return new PinnedHttpGet(socket, status, headers, body(in, headers));
            }
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    int status() {
        return status;
    }

    /** The value of a header (name in any case), or null. */
    String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    /** The body, without its transfer coding. */
    InputStream body() {
        return body;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    private static String request(URI uri) {
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
        String hostHeader = uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
        return "GET " + path + query + " HTTP/1.1\r\n"
                + "Host: " + hostHeader + "\r\n"
                + "User-Agent: snapkeep\r\n"
                + "Accept: */*\r\n"
                + "Accept-Encoding: identity\r\n"
                + "Connection: close\r\n\r\n";
    }

    private static Map<String, String> headers(InputStream in) throws IOException {
        Map<String, String> headers = new HashMap<>();
        for (int i = 0; ; i++) {
            String line = line(in);
            if (line.isEmpty()) {
                return headers;
            }
            if (i >= MAX_HEADERS) {
                throw new IOException("more than " + MAX_HEADERS + " header lines");
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new IOException("a header line without a name: " + printable(line));
            }
            headers.putIfAbsent(line.substring(0, colon).strip().toLowerCase(Locale.ROOT), line.substring(colon + 1).strip());
        }
    }

    private static InputStream body(InputStream in, Map<String, String> headers) throws IOException {
        String coding = headers.get("transfer-encoding");
        if (coding != null) {
            if (!coding.equalsIgnoreCase("chunked")) {
                throw new IOException("an unsupported Transfer-Encoding: " + printable(coding));
            }
            return new ChunkedStream(in);
        }
        String length = headers.get("content-length");
        if (length != null) {
            if (!length.matches("\\d{1,18}")) {
                throw new IOException("a bad Content-Length: " + printable(length));
            }
            return new LengthStream(in, Long.parseLong(length));
        }
        return in;
    }

    /** One CRLF- (or LF-) ended line, ISO-8859-1, at most {@link #MAX_LINE} bytes. */
    static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int i = 0; i <= MAX_LINE; i++) {
            int c = in.read();
            if (c < 0) {
                throw new IOException("the connection closed inside the answer's head");
            }
            if (c == '\n') {
                String s = line.toString(StandardCharsets.ISO_8859_1);
                return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
            }
            line.write(c);
        }
        throw new IOException("a line of the answer is longer than " + MAX_LINE + " bytes");
    }

    private static String printable(String s) {
        String cut = s.length() > 80 ? s.substring(0, 80) + "..." : s;
        return "\"" + cut.replaceAll("[^\\x20-\\x7e]", "?") + "\"";
    }

    /** The limits on time: the socket's timeout before each read, the deadline, the minimum rate. */
    private static final class Pace {
        private final Socket socket;
        private final UrlFetchPolicy policy;
        private final long deadline;
        private boolean inBody;
        private long windowStart;
        private long windowBytes;

        Pace(Socket socket, UrlFetchPolicy policy, long deadline) {
            this.socket = socket;
            this.policy = policy;
            this.deadline = deadline;
        }

        void startBody() {
            inBody = true;
            windowStart = System.nanoTime();
            windowBytes = 0;
        }

        void beforeRead() throws IOException {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new IOException("the fetch took longer than the total timeout of " + policy.totalTimeout());
            }
            socket.setSoTimeout((int) Math.max(1, Math.min(policy.readTimeout().toMillis(), (left + 999_999) / 1_000_000)));
        }

        IOException timedOut() {
            if (deadline - System.nanoTime() <= 0) {
                return new IOException("the fetch took longer than the total timeout of " + policy.totalTimeout());
            }
            return new IOException("no data for the read timeout of " + policy.readTimeout());
        }

        void afterRead(int n) throws IOException {
            if (!inBody || policy.minRate() == 0) {
                return;
            }
            windowBytes += Math.max(0, n);
            long now = System.nanoTime();
            long window = policy.minRateWindow().toNanos();
            if (now - windowStart >= window) {
                double seconds = (now - windowStart) / 1e9;
                if (windowBytes < policy.minRate() * seconds) {
                    throw new IOException("the body arrived at " + (long) (windowBytes / seconds)
                            + " bytes/s, less than the minimum of " + policy.minRate() + " over " + policy.minRateWindow());
                }
                windowStart = now;
                windowBytes = 0;
            }
        }
    }

    /** Applies the {@link Pace} to every read. */
    private static final class PacedStream extends BlockReadStream {
        private final InputStream in;
        private final Pace pace;

        PacedStream(InputStream in, Pace pace) {
            this.in = in;
            this.pace = pace;
        }


        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            pace.beforeRead();
            int n;
            try {
                n = in.read(b, off, len);
            } catch (SocketTimeoutException e) {
                throw pace.timedOut();
            }
            pace.afterRead(n);
            return n;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    /** A body of {@code Content-Length} bytes: an end before them is a failure, not a short archive. */
    private static final class LengthStream extends BlockReadStream {
        private final InputStream in;
        private long left;

        LengthStream(InputStream in, long length) {
            this.in = in;
            this.left = length;
        }


        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left == 0) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n < 0) {
                throw new IOException("the connection closed " + left + " bytes before the Content-Length");
            }
            left -= n;
            return n;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    /** A chunked body: sizes in hex, extensions ignored, trailers read and dropped. */
    private static final class ChunkedStream extends BlockReadStream {
        private final InputStream in;
        private long left;
        private boolean done;

        ChunkedStream(InputStream in) {
            this.in = in;
        }


        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (done) {
                return -1;
            }
            if (left == 0) {
                String size = line(in);
                int semicolon = size.indexOf(';');
                String hex = (semicolon < 0 ? size : size.substring(0, semicolon)).strip();
                if (!hex.matches("[0-9A-Fa-f]{1,15}")) {
                    throw new IOException("a bad chunk size: " + printable(size));
                }
                left = Long.parseLong(hex, 16);
                if (left == 0) {
                    headers(in);
                    done = true;
                    return -1;
                }
            }
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n < 0) {
                throw new IOException("the connection closed inside a chunk");
            }
            left -= n;
            if (left == 0 && !line(in).isEmpty()) {
                throw new IOException("a chunk does not end with CRLF");
            }
            return n;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
