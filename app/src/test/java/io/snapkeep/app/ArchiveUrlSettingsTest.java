package io.snapkeep.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.snapkeep.app.config.SnapkeepConfig;
import io.snapkeep.core.domain.ArchiveInfo;
import io.snapkeep.core.domain.Snapshot;
import io.snapkeep.core.port.in.SnapshotService;
import io.snapkeep.core.port.in.UploadSnapshot;
import io.snapkeep.rest.Authenticator;
import io.snapkeep.rest.RestSettings;
import io.snapkeep.rest.SnapkeepRestApi;
import java.io.OutputStream;
import java.lang.reflect.Proxy;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The {@code snapshot_archive_url.*} keys reach the fetcher as the server wires it: an upload from a file
 * server on 127.0.0.1 is refused by default and fetched once {@code allowed_networks} opens 127.0.0.1/32.
 */
class ArchiveUrlSettingsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final byte[] ARCHIVE = "PK-the-archive".getBytes(StandardCharsets.UTF_8);
    private static HttpServer files;

    @BeforeAll
    static void start() throws Exception {
        files = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        files.createContext("/a.zip", x -> {
            x.sendResponseHeaders(200, ARCHIVE.length);
            try (OutputStream out = x.getResponseBody()) {
                out.write(ARCHIVE);
            }
        });
        files.start();
    }

    @AfterAll
    static void stop() {
        files.stop(0);
    }

    @Test
    void loopbackIsRefusedByDefault() throws Exception {
        HttpResponse<String> r = uploadWith(Map.of());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.get("error_code").asText()).isEqualTo("bad_parameters_error");
        assertThat(body.get("message").asText()).doesNotContain("loopback", "127.0.0.1");
    }

    @Test
    void allowedNetworksOpensLoopback() throws Exception {
        HttpResponse<String> r = uploadWith(Map.of("SNAPKEEP_SNAPSHOT_ARCHIVE_URL_ALLOWED_NETWORKS", "127.0.0.1/32"));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        assertThat(JSON.readTree(r.body()).get("archive_size").asLong()).isEqualTo(ARCHIVE.length);
    }

    @Test
    void theKeysReachThePolicy() {
        RestSettings settings = SnapkeepServer.restSettings(SnapkeepConfig.load(Optional.empty(), Map.of(
                "SNAPKEEP_SNAPSHOT_ARCHIVE_URL_ALLOWED_NETWORKS", "10.0.0.0/8",
                "SNAPKEEP_SNAPSHOT_ARCHIVE_URL_TOTAL_TIMEOUT", "2m",
                "SNAPKEEP_SNAPSHOT_ARCHIVE_URL_MIN_RATE", "1KiB",
                "SNAPKEEP_SNAPSHOT_ARCHIVE_URL_MIN_RATE_WINDOW", "5s")));
        assertThat(settings.urlFetch().allowedNetworks()).hasToString("[10.0.0.0/8]");
        assertThat(settings.urlFetch().totalTimeout()).isEqualTo(Duration.ofMinutes(2));
        assertThat(settings.urlFetch().minRate()).isEqualTo(1024);
        assertThat(settings.urlFetch().minRateWindow()).isEqualTo(Duration.ofSeconds(5));
        assertThat(SnapkeepServer.restSettings(SnapkeepConfig.load(Optional.empty(), Map.of())).urlFetch().maxBytes())
                .isEqualTo(64L << 30);
    }

    private static HttpResponse<String> uploadWith(Map<String, String> env) throws Exception {
        RestSettings settings = SnapkeepServer.restSettings(SnapkeepConfig.load(Optional.empty(), env));
        SnapshotService service = (SnapshotService) Proxy.newProxyInstance(SnapshotService.class.getClassLoader(),
                new Class<?>[] {SnapshotService.class}, (proxy, method, args) -> {
                    if (!method.getName().equals("upload")) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    UploadSnapshot.UploadCommand c = (UploadSnapshot.UploadCommand) args[0];
                    long size = c.archive().readAllBytes().length;
                    return Snapshot.uploading(c.id(), c.requestedBy(), Instant.now())
                            .uploaded(new ArchiveInfo(size, "0".repeat(64)));
                });
        Authenticator anyoneIsAdmin = (user, password) -> Optional.of(
                new Authenticator.User(user, Set.of(Authenticator.User.SYS_ADMIN)));
        Server jetty = SnapkeepServer.jetty("127.0.0.1", 0,
                SnapkeepRestApi.resourceConfig(service, anyoneIsAdmin, settings), Duration.ofSeconds(5));
        jetty.start();
        try {
            int port = ((ServerConnector) jetty.getConnectors()[0]).getLocalPort();
            String url = "http://127.0.0.1:" + files.getAddress().getPort() + "/a.zip";
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                            + "/api/v3.1/snapshots/s1/archive?snapshot_archive_url=" + URLEncoder.encode(url, StandardCharsets.UTF_8)))
                    .header("Authorization", "Basic " + Base64.getEncoder()
                            .encodeToString("admin:any".getBytes(StandardCharsets.UTF_8)))
                    .PUT(HttpRequest.BodyPublishers.ofString("false")).build();
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } finally {
            jetty.stop();
        }
    }

    @Test
    void authKeysReachTheRestSettings() {
        RestSettings settings = SnapkeepServer.restSettings(SnapkeepConfig.load(Optional.empty(), Map.of(
                "SNAPKEEP_AUTH_MAX_FAILURES_PER_ADDRESS", "4", "SNAPKEEP_AUTH_BLOCK", "30s")));
        assertThat(settings.loginLimits()).isEqualTo(new io.snapkeep.rest.LoginLimits(4, 20, java.time.Duration.ofMinutes(1),
                java.time.Duration.ofSeconds(30), java.time.Duration.ofMinutes(5)));
        assertThat(SnapkeepServer.restSettings(SnapkeepConfig.load(Optional.empty(), Map.of())).loginLimits())
                .isEqualTo(io.snapkeep.rest.LoginLimits.DEFAULTS);
        RestSettings checks = SnapkeepServer.restSettings(SnapkeepConfig.load(Optional.empty(), Map.of(
                "SNAPKEEP_AUTH_MAX_CONCURRENT_CHECKS", "3", "SNAPKEEP_AUTH_VERIFIED_TTL", "1m")));
        assertThat(checks.passwordChecks().maxConcurrent()).isEqualTo(3);
        assertThat(checks.passwordChecks().verifiedTtl()).isEqualTo(java.time.Duration.ofMinutes(1));
    }
}
