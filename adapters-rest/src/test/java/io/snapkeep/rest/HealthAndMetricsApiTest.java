package io.snapkeep.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code /health/live}, {@code /health/ready}, {@code /metrics} and {@code /status} over real HTTP. */
class HealthAndMetricsApiTest {
    private static final String SERIES = "# TYPE snapkeep_up gauge\nsnapkeep_up 1.0\n";
    private static final AtomicBoolean storeUp = new AtomicBoolean(true);
    private static final AtomicInteger scrapes = new AtomicInteger();
    private static TestServer closed;
    private static TestServer open;

    @BeforeAll
    static void start() {
        ReadinessCheck checks = () -> {
            Map<String, Boolean> m = new LinkedHashMap<>();
            m.put("catalog", true);
            m.put("store", storeUp.get());
            return m;
        };
        FakeSnapshotService service = new FakeSnapshotService();
        closed = new TestServer(service, RestSettings.DEFAULTS, new Monitoring(checks, () -> {
            scrapes.incrementAndGet();
            return SERIES;
        }, false));
        open = new TestServer(service, RestSettings.DEFAULTS, new Monitoring(checks, () -> SERIES, true));
    }

    @AfterAll
    static void stop() throws Exception {
        closed.close();
        open.close();
    }

    @BeforeEach
    void reset() {
        storeUp.set(true);
    }

    private static TestServer.Reply anonymous(TestServer server, String path) {
        return server.send(HttpRequest.newBuilder(server.uri(path)).GET().build());
    }

    @Test
    void metrics_need_credentials_by_default_and_any_valid_user_may_read_them() {
        int before = scrapes.get();
        TestServer.Reply refused = anonymous(closed, "/metrics");
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.json().get("error_code").asText()).isEqualTo("unauthorized_error");
        assertThat(closed.send(HttpRequest.newBuilder(closed.uri("/metrics"))
                .header("Authorization", TestUsers.WRONG_PASSWORD).GET().build()).status()).isEqualTo(401);
        assertThat(scrapes.get()).as("nothing is scraped for a refused request").isEqualTo(before);

        TestServer.Reply viewer = closed.send(HttpRequest.newBuilder(closed.uri("/metrics"))
                .header("Authorization", TestUsers.VIEWER).GET().build());
        assertThat(viewer.status()).isEqualTo(200);
        assertThat(viewer.header("Content-Type")).startsWith("text/plain").contains("version=0.0.4");
        assertThat(viewer.text()).isEqualTo(SERIES);
        assertThat(scrapes.get()).isEqualTo(before + 1);
    }

    @Test
    void public_metrics_answer_without_credentials() {
        TestServer.Reply r = anonymous(open, "/metrics");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.text()).isEqualTo(SERIES);
        // Public metrics open nothing else.
        assertThat(anonymous(open, "/api/v3.1/status").status()).isEqualTo(401);
        assertThat(anonymous(open, "/api/v3.1/snapshots").status()).isEqualTo(401);
    }

    @Test
    void live_answers_anyone() {
        TestServer.Reply r = anonymous(closed, "/health/live");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("status").asText()).isEqualTo("up");
        assertThat(r.header("Cache-Control")).contains("no-store");
    }

    @Test
    void ready_is_200_with_every_check_up_and_503_naming_the_one_down() {
        TestServer.Reply up = anonymous(closed, "/health/ready");
        assertThat(up.status()).isEqualTo(200);
        assertThat(up.text()).isEqualTo("{\"status\":\"up\",\"checks\":{\"catalog\":\"up\",\"store\":\"up\"}}");

        storeUp.set(false);
        TestServer.Reply down = anonymous(closed, "/health/ready");
        assertThat(down.status()).isEqualTo(503);
        assertThat(down.header("Content-Type")).startsWith("application/json");
        assertThat(down.text()).isEqualTo("{\"status\":\"down\",\"checks\":{\"catalog\":\"up\",\"store\":\"down\"}}");
    }

    @Test
    void unknown_health_routes_are_404_and_other_methods_405() {
        assertThat(anonymous(closed, "/health/nope").status()).isEqualTo(404);
        assertThat(closed.send(HttpRequest.newBuilder(closed.uri("/health/ready"))
                .POST(HttpRequest.BodyPublishers.noBody()).build()).status()).isEqualTo(405);
    }

    @EachVersion
    void status_reports_the_same_checks_in_cloudifys_shape(String base) {
        JsonNode up = closed.get(base + "/status").json();
        assertThat(up.get("status").asText()).isEqualTo("OK");
        assertThat(up.get("services").get("catalog").get("status").asText()).isEqualTo("Active");
        assertThat(up.get("services").get("store").get("status").asText()).isEqualTo("Active");
        assertThat(up.get("services").get("store").get("is_remote").asBoolean()).isFalse();

        storeUp.set(false);
        TestServer.Reply down = closed.get(base + "/status");
        assertThat(down.status()).as("the CLI logs in with it: 200 whatever is down").isEqualTo(200);
        assertThat(down.json().get("status").asText()).isEqualTo("Fail");
        assertThat(down.json().get("services").get("store").get("status").asText()).isEqualTo("Inactive");
        assertThat(down.json().get("services").get("catalog").get("status").asText()).isEqualTo("Active");
    }

    @Test
    void without_monitoring_status_stays_ok_with_no_services() throws Exception {
        try (TestServer plain = new TestServer(new FakeSnapshotService(), RestSettings.DEFAULTS)) {
            JsonNode status = plain.get("/api/v3.1/status").json();
            assertThat(status.get("status").asText()).isEqualTo("OK");
            assertThat(status.get("services").size()).isZero();
            assertThat(anonymous(plain, "/health/ready").status()).isEqualTo(200);
        }
    }
}
