package io.snapkeep.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The login throttle of the packaged jar with its default limits: ten wrong passwords from one address,
 * then 429 with {@code Retry-After} and the contract's body, even for the right password from that address;
 * a token issued before keeps working, because token requests are never throttled.
 */
class LoginThrottleIT {
    private static final String PASSWORD = "it-admin-password";

    @TempDir
    Path temp;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @Test
    void wrong_passwords_from_one_address_are_stopped_and_tokens_still_work() throws Exception {
        Path data = Files.createDirectories(temp.resolve("data"));
        try (ServerProcess server = ServerProcess.start(data, Map.of("SNAPKEEP_ADMIN_PASSWORD", PASSWORD))) {
            HttpResponse<String> issued = basic(server.uri(), "tokens", PASSWORD);
            assertThat(issued.statusCode()).isEqualTo(200);
            String token = Api.json(issued.body()).path("value").asText();

            int failures = 0;
            HttpResponse<String> last = null;
            for (int i = 0; i < 30; i++) {
                last = basic(server.uri(), "snapshots", "wrong-password-" + i);
                if (last.statusCode() == 429) {
                    break;
                }
                assertThat(last.statusCode()).isEqualTo(401);
                failures++;
            }
            assertThat(failures).as("failures answered 401 before the block").isEqualTo(10);
            assertThat(last.statusCode()).isEqualTo(429);
            assertThat(last.headers().firstValue("Retry-After")).hasValueSatisfying(
                    v -> assertThat(Long.parseLong(v)).isBetween(1L, 60L));
            JsonNode body = Api.json(last.body());
            assertThat(body.path("error_code").asText()).isEqualTo("too_many_requests_error");
            assertThat(body.path("message").asText()).contains("Too many failed logins");
            assertThat(body.has("server_traceback")).isTrue();

            assertThat(basic(server.uri(), "snapshots", PASSWORD).statusCode())
                    .as("the right password from a blocked address").isEqualTo(429);
            HttpResponse<String> byToken = http.send(HttpRequest.newBuilder(server.uri().resolve("/api/v3.1/snapshots"))
                    .header("Authentication-Token", token).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(byToken.statusCode()).isEqualTo(200);
            assertThat(server.output()).doesNotContain("wrong-password-").doesNotContain(PASSWORD).doesNotContain(token);
        }
    }

    private HttpResponse<String> basic(URI server, String path, String password) throws Exception {
        return http.send(HttpRequest.newBuilder(server.resolve("/api/v3.1/" + path))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(("admin:" + password)
                        .getBytes(StandardCharsets.UTF_8))).timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
