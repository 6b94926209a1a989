package io.snapkeep.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Basic passwords over plain HTTP only from the configured networks (loopback by default), and
 * {@code X-Forwarded-*} believed only from a trusted proxy. The test can only connect from 127.0.0.1, so it
 * narrows {@code http.plain_basic_networks} to {@code ::1/128} to stand for every address outside it.
 */
class PlainHttpPasswordsTest {
    private static final String PASSWORD = "plain-test-admin-password";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path data;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @Test
    void loopbackMaySendAPasswordOverPlainHttpByDefault() throws Exception {
        try (SnapkeepServer server = start(Map.of())) {
            assertThat(send(server.uri(), PASSWORD, Map.of()).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void fromOutsideThePlainNetworksAPasswordIsRefusedUncheckedInTheContractsFormat() throws Exception {
        try (SnapkeepServer server = start(Map.of("SNAPKEEP_HTTP_PLAIN_BASIC_NETWORKS", "::1/128",
                "SNAPKEEP_AUTH_MAX_FAILURES_PER_ADDRESS", "2"))) {
            HttpResponse<String> refused = send(server.uri(), PASSWORD, Map.of());
            assertThat(refused.statusCode()).isEqualTo(401);
            JsonNode body = JSON.readTree(refused.body());
            assertThat(body.path("error_code").asText()).isEqualTo("unauthorized_error");
            assertThat(body.path("message").asText()).contains("use HTTPS");
            assertThat(body.has("server_traceback")).isTrue();
            // Unchecked: wrong passwords refused this way never count as failed logins, so no 429 follows.
            for (int i = 0; i < 5; i++) {
                assertThat(send(server.uri(), "wrong-" + i, Map.of()).statusCode()).isEqualTo(401);
            }
            // A client claiming HTTPS or another address is not believed without trusted proxies.
            assertThat(send(server.uri(), PASSWORD, Map.of("X-Forwarded-Proto", "https")).statusCode()).isEqualTo(401);
            assertThat(send(server.uri(), PASSWORD, Map.of("X-Forwarded-For", "::1")).statusCode()).isEqualTo(401);
            // Requests without a password are not the guard's business.
            HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(server.uri().resolve("/api/v3.1/snapshots"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(anonymous.statusCode()).isEqualTo(401);
            assertThat(JSON.readTree(anonymous.body()).path("message").asText()).doesNotContain("HTTPS");
        }
    }

    @Test
    void aTrustedProxyVouchesForHttpsAndForTheClientsAddress() throws Exception {
        try (SnapkeepServer server = start(Map.of("SNAPKEEP_HTTP_PLAIN_BASIC_NETWORKS", "::1/128",
                "SNAPKEEP_HTTP_TRUSTED_PROXIES", "127.0.0.1", "SNAPKEEP_AUTH_MAX_FAILURES_PER_ADDRESS", "3",
                "SNAPKEEP_AUTH_MAX_FAILURES_PER_USER", "1000"))) {
            assertThat(send(server.uri(), PASSWORD, Map.of()).statusCode()).isEqualTo(401);
            assertThat(send(server.uri(), PASSWORD, Map.of("X-Forwarded-Proto", "https")).statusCode()).isEqualTo(200);
            // The client behind the proxy is ::1, inside the plain networks.
            assertThat(send(server.uri(), PASSWORD, Map.of("X-Forwarded-For", "::1")).statusCode()).isEqualTo(200);
            // An invented hop left of the proxy's own entry changes nothing: the rightmost untrusted one counts.
            assertThat(send(server.uri(), PASSWORD, Map.of("X-Forwarded-For", "::1, 127.0.0.1")).statusCode())
                    .isEqualTo(200);

            // Failed logins count against the forwarded client, not against the proxy.
            Map<String, String> fromV6 = Map.of("X-Forwarded-For", "::1");
            int status = 0;
            for (int i = 0; i < 10 && status != 429; i++) {
                status = send(server.uri(), "wrong-" + i, fromV6).statusCode();
            }
            assertThat(status).isEqualTo(429);
            assertThat(send(server.uri(), PASSWORD, fromV6).statusCode()).isEqualTo(429);
            Map<String, String> proxyItself = Map.of("X-Forwarded-Proto", "https");
            assertThat(send(server.uri(), PASSWORD, proxyItself).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void withoutTrustedProxiesForwardedAddressesDoNotEscapeTheThrottle() throws Exception {
        try (SnapkeepServer server = start(Map.of("SNAPKEEP_AUTH_MAX_FAILURES_PER_ADDRESS", "3",
                "SNAPKEEP_AUTH_MAX_FAILURES_PER_USER", "1000"))) {
            int status = 0;
            for (int i = 0; i < 10 && status != 429; i++) {
                status = send(server.uri(), "wrong-" + i, Map.of("X-Forwarded-For", i % 2 == 0 ? "::1" : "127.0.0.1"))
                        .statusCode();
            }
            assertThat(status).isEqualTo(429);
            assertThat(send(server.uri(), PASSWORD, Map.of()).statusCode()).isEqualTo(429);
        }
    }

    private HttpResponse<String> send(URI server, String password, Map<String, String> headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.resolve("/api/v3.1/snapshots"))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(("admin:" + password)
                        .getBytes(StandardCharsets.UTF_8))).timeout(Duration.ofSeconds(30));
        headers.forEach(b::header);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private SnapkeepServer start(Map<String, String> settings) throws Exception {
        return InProcessServer.start(data, PASSWORD, settings);
    }
}
