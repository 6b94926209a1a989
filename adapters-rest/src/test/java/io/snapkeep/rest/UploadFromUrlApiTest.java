package io.snapkeep.rest;

import static io.snapkeep.rest.Wire.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/** {@code PUT /snapshots/{id}/archive?snapshot_archive_url=...}: the server fetches the archive itself. */
class UploadFromUrlApiTest {
    static final FakeSnapshotService service = new FakeSnapshotService();
    static final byte[] ARCHIVE = Wire.archive(400_000, 21);
    static TestServer server;
    static TestServer restricted;
    static HttpServer files;

    @BeforeAll
    static void start() throws Exception {
        files = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        files.createContext("/good.zip", x -> {
            x.sendResponseHeaders(200, ARCHIVE.length);
            try (OutputStream out = x.getResponseBody()) {
                out.write(ARCHIVE);
            }
        });
        files.createContext("/junk.zip", x -> {
            byte[] junk = "not an archive".getBytes(StandardCharsets.UTF_8);
            x.sendResponseHeaders(200, junk.length);
            try (OutputStream out = x.getResponseBody()) {
                out.write(junk);
            }
        });
        files.createContext("/missing.zip", x -> {
            x.sendResponseHeaders(404, -1);
            x.close();
        });
        files.start();
        server = new TestServer(service, RestSettings.DEFAULTS.withUrlFetch(UrlFetchPolicy.DEFAULTS
                .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(5)).withMaxBytes(1_000_000)));
        restricted = new TestServer(service, RestSettings.DEFAULTS.withUrlFetch(UrlFetchPolicy.DEFAULTS
                .withAllowedHosts(Set.of("archives.example")).withMaxBytes(1_000)));
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        restricted.close();
        files.stop(0);
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

    @EachVersion
    void theServerFetchesTheArchive(String base) {
        TestServer.Reply r = uploadFrom(server, base, "fetched", fileUrl("/good.zip"));
        assertThat(r.status()).as("%s", r).isEqualTo(201);
        assertThat(r.json().get("status").asText()).isEqualTo("uploaded");
        assertThat(server.get(base + "/snapshots/fetched/archive").body()).isEqualTo(ARCHIVE);
    }

    @EachVersion
    void aFetchedArchiveThatIsInvalidIs400AndLeavesNothing(String base) {
        assertError(uploadFrom(server, base, "junk", fileUrl("/junk.zip")), 400, "invalid_archive_error");
        assertError(server.get(base + "/snapshots/junk"), 404, "not_found_error");
    }

    @EachVersion
    void urlsThatCannotBeFetchedAre400(String base) throws Exception {
        JsonNode missing = assertError(uploadFrom(server, base, "a", fileUrl("/missing.zip")), 400, "bad_parameters_error");
        assertThat(missing.get("message").asText()).contains("HTTP 404");
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            closedPort = s.getLocalPort();
        }
        assertError(uploadFrom(server, base, "b", "http://127.0.0.1:" + closedPort + "/x.zip"), 400, "bad_parameters_error");
        assertError(uploadFrom(server, base, "c", "ftp://127.0.0.1/x.zip"), 400, "bad_parameters_error");
        assertError(uploadFrom(server, base, "d", "file:///etc/passwd"), 400, "bad_parameters_error");
        assertError(uploadFrom(server, base, "e", "not a url"), 400, "bad_parameters_error");
        assertThat(server.get(base + "/snapshots").json().get("items")).isEmpty();
    }

    @EachVersion
    void thePolicyLimitsHostsAndSize(String base) {
        JsonNode host = assertError(uploadFrom(restricted, base, "a", fileUrl("/good.zip")), 400, "bad_parameters_error");
        assertThat(host.get("message").asText()).contains("127.0.0.1");
        RestSettings small = RestSettings.DEFAULTS.withUrlFetch(UrlFetchPolicy.DEFAULTS.withMaxBytes(1_000));
        try (TestServer tiny = new TestServer(service, small)) {
            JsonNode big = assertError(uploadFrom(tiny, base, "b", fileUrl("/good.zip")), 400, "bad_parameters_error");
            assertThat(big.get("message").asText()).contains("1000");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
