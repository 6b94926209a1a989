package io.snapkeep.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snapkeep.core.port.in.SnapshotService;
import io.snapkeep.rest.Authenticator;
import io.snapkeep.rest.RestSettings;
import io.snapkeep.rest.SnapkeepRestApi;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Proxy;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The HTTP half of the orderly stop, on the server's own Jetty set-up: a running request finishes within the
 * grace period, a request on a connection already open is answered 503 in the API's error body, a new
 * connection is refused, and what is still running when the grace period ends is cut off.
 */
class GracefulStopTest {
    static final int CHUNKS = 8;
    static final byte[] CHUNK = new byte[64 * 1024];
    static volatile CountDownLatch entered;
    static volatile CountDownLatch release;

    private Server jetty;

    /** A download that sends half its bytes, then waits for the test. */
    @Path("/probe")
    public static final class SlowResource {
        @GET
        @Path("slow")
        public StreamingOutput slow() {
            return out -> {
                for (int i = 0; i < CHUNKS; i++) {
                    if (i == CHUNKS / 2) {
                        out.flush();
                        entered.countDown();
                        try {
                            release.await(30, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            throw new IOException(e);
                        }
                    }
                    out.write(CHUNK);
                }
            };
        }

        @GET
        @Path("fast")
        public String fast() {
            return "fast";
        }
    }

    private int start(Duration grace) throws Exception {
        entered = new CountDownLatch(1);
        release = new CountDownLatch(1);
        SnapshotService nothing = (SnapshotService) Proxy.newProxyInstance(SnapshotService.class.getClassLoader(),
                new Class<?>[] {SnapshotService.class}, (proxy, method, args) -> {
                    throw new UnsupportedOperationException(method.getName());
                });
        Authenticator anyoneIsAdmin = (user, password) -> Optional.of(
                new Authenticator.User(user, Set.of(Authenticator.User.SYS_ADMIN)));
        jetty = SnapkeepServer.jetty("127.0.0.1", 0, SnapkeepRestApi
                .resourceConfig(nothing, anyoneIsAdmin, RestSettings.DEFAULTS).register(SlowResource.class), grace);
        jetty.start();
        return ((ServerConnector) jetty.getConnectors()[0]).getLocalPort();
    }

    @AfterEach
    void stop() throws Exception {
        if (release != null) {
            release.countDown();
        }
        if (jetty != null) {
            jetty.stop();
        }
    }

    @Test
    void a_running_download_finishes_while_new_requests_are_refused() throws Exception {
        int port = start(Duration.ofSeconds(20));
        try (Socket downloading = new Socket("127.0.0.1", port); Socket idle = new Socket("127.0.0.1", port)) {
            assertThat(new Exchange(idle).get("/probe/fast").body()).isEqualTo("fast");
            Exchange download = new Exchange(downloading);
            download.sendGet("/probe/slow");
            assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();

            CompletableFuture<Void> stopping = CompletableFuture.runAsync(() -> {
                try {
                    jetty.stop();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            GracefulHandler gate = jetty.getDescendant(GracefulHandler.class);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!gate.isShutdown() && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertThat(gate.isShutdown()).isTrue();

            Answer refused = new Exchange(idle).get("/probe/fast");
            assertThat(refused.status()).isEqualTo(503);
            assertThat(refused.head()).containsIgnoringCase("content-type: application/json");
            assertThat(refused.body()).contains("\"error_code\":\"storage_unavailable_error\"")
                    .contains(StopGate.STOPPING).contains("\"server_traceback\"");
            // Jetty's own answer still names the request's id, in its header and its message.
            java.util.regex.Matcher id = java.util.regex.Pattern.compile("(?im)^x-request-id: *([A-Za-z0-9_-]+)")
                    .matcher(refused.head());
            assertThat(id.find()).as(refused.head()).isTrue();
            assertThat(refused.body()).contains("(request id " + id.group(1) + ")");
            assertThat(refusedWithin(port, Duration.ofSeconds(10))).as("new connections are refused").isTrue();
            assertThat(stopping).isNotDone();

            release.countDown();
            Answer finished = download.read();
            assertThat(finished.status()).isEqualTo(200);
            assertThat(finished.bodyBytes()).hasSize(CHUNKS * CHUNK.length);
            stopping.get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void what_still_runs_after_the_grace_period_is_cut_off() throws Exception {
        int port = start(Duration.ofMillis(500));
        try (Socket downloading = new Socket("127.0.0.1", port)) {
            Exchange download = new Exchange(downloading);
            download.sendGet("/probe/slow");
            assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
            long started = System.nanoTime();
            try {
                jetty.stop();
            } catch (Exception expected) {
                // Jetty reports the requests it had to cut off; the stop goes on all the same.
            }
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
            assertThatThrownBy(download::read).isInstanceOf(IOException.class);
        }
    }

    /** Whether a new connection to {@code port} is refused within {@code limit} (the listener closes). */
    private static boolean refusedWithin(int port, Duration limit) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                Thread.sleep(10);
            } catch (ConnectException refused) {
                return true;
            }
        }
        return false;
    }

    /** One HTTP/1.1 exchange at a time on a socket the test holds, so that it knows which connection is used. */
    private static final class Exchange {
        private final Socket socket;

        Exchange(Socket socket) throws IOException {
            this.socket = socket;
            socket.setSoTimeout(20_000);
        }

        Answer get(String path) throws IOException {
            sendGet(path);
            return read();
        }

        void sendGet(String path) throws IOException {
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Basic YTpi\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }

        /** Reads one answer: a Content-Length body or a chunked one; an early end is an IOException. */
        Answer read() throws IOException {
            InputStream in = socket.getInputStream();
            String head = readLine(in);
            StringBuilder headers = new StringBuilder(head).append('\n');
            long length = -1;
            boolean chunked = false;
            for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
                headers.append(line).append('\n');
                String lower = line.toLowerCase(java.util.Locale.ROOT);
                if (lower.startsWith("content-length:")) {
                    length = Long.parseLong(lower.substring(15).trim());
                } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                    chunked = true;
                }
            }
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            if (chunked) {
                for (long size = Long.parseLong(readLine(in).trim(), 16); size > 0;
                     size = Long.parseLong(readLine(in).trim(), 16)) {
                    body.write(readExactly(in, size));
                    readLine(in);
                }
                readLine(in);
            } else if (length >= 0) {
                body.write(readExactly(in, length));
            }
            return new Answer(Integer.parseInt(head.split(" ")[1]), headers.toString(), body.toByteArray());
        }

        private static byte[] readExactly(InputStream in, long n) throws IOException {
            byte[] bytes = in.readNBytes((int) n);
            if (bytes.length < n) {
                throw new IOException("the answer ended after " + bytes.length + " of " + n + " bytes");
            }
            return bytes;
        }

        private static String readLine(InputStream in) throws IOException {
            StringBuilder line = new StringBuilder();
            for (int c = in.read(); c != '\n'; c = in.read()) {
                if (c < 0) {
                    throw new IOException("the connection closed in the middle of an answer");
                }
                if (c != '\r') {
                    line.append((char) c);
                }
            }
            return line.toString();
        }
    }

    private record Answer(int status, String head, byte[] bodyBytes) {
        String body() {
            return new String(bodyBytes, StandardCharsets.UTF_8);
        }
    }
}
