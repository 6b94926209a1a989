package io.snapkeep.rest;

import static io.snapkeep.rest.Wire.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * {@code PUT /snapshots/{id}/archive?snapshot_archive_url=...}: the server fetches the archive itself. Every
 * file server here listens on 127.0.0.1; the servers that may fetch from it open {@code 127.0.0.1/32}.
 */
class UploadFromUrlApiTest {
    static final FakeSnapshotService service = new FakeSnapshotService();
    static final byte[] ARCHIVE = Wire.archive(400_000, 21);
    static final List<NetworkRange> LOOPBACK_ONE = List.of(NetworkRange.parse("127.0.0.1/32"));
    static final UrlFetchPolicy LOCAL = UrlFetchPolicy.DEFAULTS.withAllowedNetworks(LOOPBACK_ONE)
            .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(5)).withMaxBytes(1_000_000);
    static final CountDownLatch testsOver = new CountDownLatch(1);
    static ExecutorService handlers;
    static TestServer server;
    static TestServer closed;
    static TestServer restricted;
    static HttpServer files;

    @BeforeAll
    static void start() throws Exception {
        files = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        handlers = Executors.newCachedThreadPool();
        files.setExecutor(handlers);
        files.createContext("/good.zip", x -> send(x, 200, ARCHIVE, ARCHIVE.length));
        files.createContext("/chunked.zip", x -> send(x, 200, ARCHIVE, 0));
        files.createContext("/junk.zip", x -> send(x, 200, "not an archive".getBytes(StandardCharsets.UTF_8), -2));
        files.createContext("/missing.zip", x -> send(x, 404, new byte[0], -1));
        files.createContext("/moved.zip", x -> {
            x.getResponseHeaders().add("Location", "/good.zip");
            send(x, 302, new byte[0], -1);
        });
        files.createContext("/short.zip", x -> {
            // Announces the whole archive, sends half of it, and hangs up.
            x.sendResponseHeaders(200, ARCHIVE.length);
            OutputStream out = x.getResponseBody();
            out.write(ARCHIVE, 0, ARCHIVE.length / 2);
            out.flush();
            x.close();
        });
        files.createContext("/silent.zip", x -> {
            // Never answers before the tests are over.
            awaitEnd();
            x.close();
        });
        files.createContext("/trickle.zip", x -> {
            // One byte at a time, far slower than any minimum rate of the tests, until the client hangs up.
            x.sendResponseHeaders(200, ARCHIVE.length);
            try (OutputStream out = x.getResponseBody()) {
                for (int i = 0; i < ARCHIVE.length && testsOver.getCount() > 0; i++) {
                    out.write(ARCHIVE[i]);
                    out.flush();
                    if (testsOver.await(5, TimeUnit.MILLISECONDS)) {
                        break;
                    }
                }
            } catch (IOException | InterruptedException hungUp) {
                // the fetcher cut it
            }
        });
        files.start();
        server = new TestServer(service, RestSettings.DEFAULTS.withUrlFetch(LOCAL));
        closed = new TestServer(service, RestSettings.DEFAULTS.withUrlFetch(UrlFetchPolicy.DEFAULTS
                .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(5))));
        restricted = new TestServer(service, RestSettings.DEFAULTS.withUrlFetch(LOCAL
                .withAllowedHosts(Set.of("archives.example")).withMaxBytes(1_000)));
    }

    static void send(HttpExchange x, int status, byte[] body, long length) throws IOException {
        x.sendResponseHeaders(status, length == -2 ? body.length : length);
        try (OutputStream out = x.getResponseBody()) {
            out.write(body);
        }
    }

    static void awaitEnd() {
        try {
            testsOver.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @AfterAll
    static void stop() throws Exception {
        testsOver.countDown();
        server.close();
        closed.close();
        restricted.close();
        files.stop(0);
        handlers.shutdownNow();
    }

    @BeforeEach
    void reset() {
        service.reset();
    }

    static String fileUrl(String path) {
        return "http://127.0.0.1:" + files.getAddress().getPort() + path;
    }

    static TestServer.Reply uploadFrom(TestServer target, String base, String id, String url) {
        // CloudifyJS sends the JSON text `false` as the body of a URL upload: it must be ignored.
        return target.send(target.request(base + "/snapshots/" + id + "/archive?snapshot_archive_url="
                + URLEncoder.encode(url, StandardCharsets.UTF_8)).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("false")).build());
    }

    /** The one answer of every failed fetch: 400 {@code bad_parameters_error}, the same message. */
    static void assertFetchFailed(TestServer.Reply r) {
        JsonNode body = assertError(r, 400, "bad_parameters_error");
        assertThat(body.get("message").asText()).isEqualTo(ArchiveUrlFetcher.FETCH_FAILED);
    }

    @EachVersion
    void theServerFetchesTheArchive(String base) {
        TestServer.Reply r = uploadFrom(server, base, "fetched", fileUrl("/good.zip"));
        assertThat(r.status()).as("%s", r).isEqualTo(201);
        assertThat(r.json().get("status").asText()).isEqualTo("uploaded");
        assertThat(server.get(base + "/snapshots/fetched/archive").body()).isEqualTo(ARCHIVE);
    }

    @EachVersion
    void aChunkedAnswerIsFetchedWhole(String base) {
        TestServer.Reply r = uploadFrom(server, base, "chunked", fileUrl("/chunked.zip"));
        assertThat(r.status()).as("%s", r).isEqualTo(201);
        assertThat(server.get(base + "/snapshots/chunked/archive").body()).isEqualTo(ARCHIVE);
    }

    @EachVersion
    void aFetchedArchiveThatIsInvalidIs400AndLeavesNothing(String base) {
        assertError(uploadFrom(server, base, "junk", fileUrl("/junk.zip")), 400, "invalid_archive_error");
        assertError(server.get(base + "/snapshots/junk"), 404, "not_found_error");
    }

    @EachVersion
    void loopbackIsRefusedUnlessTheAllowListOpensIt(String base) {
        assertFetchFailed(uploadFrom(closed, base, "a", fileUrl("/good.zip")));
        // The server's own API, on another loopback port.
        assertFetchFailed(uploadFrom(closed, base, "b", "http://127.0.0.1:" + closed.port + base + "/snapshots"));
        assertFetchFailed(uploadFrom(closed, base, "c", "http://[::1]:" + closed.port + "/x.zip"));
        assertFetchFailed(uploadFrom(server, base, "d", "http://[::1]:" + closed.port + "/x.zip"));
        assertThat(closed.get(base + "/snapshots").json().get("items")).isEmpty();
    }

    @EachVersion
    void everyFailedFetchHasTheSameAnswer(String base) throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            closedPort = s.getLocalPort();
        }
        assertFetchFailed(uploadFrom(server, base, "a", fileUrl("/missing.zip")));
        assertFetchFailed(uploadFrom(server, base, "b", "http://127.0.0.1:" + closedPort + "/x.zip"));
        assertFetchFailed(uploadFrom(server, base, "c", "http://127.0.0.1:" + files.getAddress().getPort() + "/x.zip"));
        assertFetchFailed(uploadFrom(server, base, "d", fileUrl("/moved.zip")));
        assertFetchFailed(uploadFrom(server, base, "e", fileUrl("/short.zip")));
        assertFetchFailed(uploadFrom(closed, base, "f", fileUrl("/good.zip")));
        assertThat(server.get(base + "/snapshots").json().get("items")).isEmpty();
    }

    @EachVersion
    void urlsThatAreNotHttpUrlsAre400(String base) {
        assertError(uploadFrom(server, base, "c", "ftp://127.0.0.1/x.zip"), 400, "bad_parameters_error");
        assertError(uploadFrom(server, base, "d", "file:///etc/passwd"), 400, "bad_parameters_error");
        assertError(uploadFrom(server, base, "e", "not a url"), 400, "bad_parameters_error");
        assertError(uploadFrom(server, base, "f", "http://[::1/x.zip"), 400, "bad_parameters_error");
        assertError(uploadFrom(server, base, "g", "http:///x.zip"), 400, "bad_parameters_error");
        assertThat(server.get(base + "/snapshots").json().get("items")).isEmpty();
    }

    @EachVersion
    void aPortOutOfRangeIs400NotAnInternalError(String base) {
        JsonNode body = assertError(uploadFrom(server, base, "p", "http://127.0.0.1:99999/x.zip"), 400,
                "bad_parameters_error");
        assertThat(body.get("message").asText()).contains("99999");
        assertError(uploadFrom(server, base, "q", "http://127.0.0.1:0/x.zip"), 400, "bad_parameters_error");
    }

    @EachVersion
    void anAnswerThatNeverComesIsCutByTheReadTimeout(String base) throws Exception {
        UrlFetchPolicy quick = LOCAL.withTimeouts(Duration.ofSeconds(2), Duration.ofMillis(200));
        try (TestServer s = new TestServer(service, RestSettings.DEFAULTS.withUrlFetch(quick))) {
            assertFetchFailed(uploadFrom(s, base, "silent", fileUrl("/silent.zip")));
        }
    }

    @EachVersion
    void aBodySlowerThanTheMinimumRateIsCut(String base) throws Exception {
        UrlFetchPolicy rate = LOCAL.withMinRate(100_000, Duration.ofMillis(100));
        try (TestServer s = new TestServer(service, RestSettings.DEFAULTS.withUrlFetch(rate))) {
            assertFetchFailed(uploadFrom(s, base, "trickle", fileUrl("/trickle.zip")));
            assertError(s.get(base + "/snapshots/trickle"), 404, "not_found_error");
        }
    }

    @EachVersion
    void aFetchLongerThanTheTotalTimeoutIsCut(String base) throws Exception {
        UrlFetchPolicy deadline = LOCAL.withMinRate(0, Duration.ofSeconds(30)).withTotalTimeout(Duration.ofMillis(300));
        try (TestServer s = new TestServer(service, RestSettings.DEFAULTS.withUrlFetch(deadline))) {
            assertFetchFailed(uploadFrom(s, base, "slow", fileUrl("/trickle.zip")));
            assertError(s.get(base + "/snapshots/slow"), 404, "not_found_error");
        }
    }

    @EachVersion
    void thePolicyLimitsHostsAndSize(String base) {
        JsonNode host = assertError(uploadFrom(restricted, base, "a", fileUrl("/good.zip")), 400, "bad_parameters_error");
        assertThat(host.get("message").asText()).contains("127.0.0.1");
        RestSettings small = RestSettings.DEFAULTS.withUrlFetch(LOCAL.withMaxBytes(1_000));
        try (TestServer tiny = new TestServer(service, small)) {
            JsonNode big = assertError(uploadFrom(tiny, base, "b", fileUrl("/good.zip")), 400, "bad_parameters_error");
            assertThat(big.get("message").asText()).contains("1000");
            JsonNode chunked = assertError(uploadFrom(tiny, base, "c", fileUrl("/chunked.zip")), 400,
                    "bad_parameters_error");
            assertThat(chunked.get("message").asText()).contains("1000");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
