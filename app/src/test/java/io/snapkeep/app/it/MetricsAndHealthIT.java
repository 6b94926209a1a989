package io.snapkeep.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.gaul.s3proxy.S3Proxy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged server's {@code /metrics}, {@code /health/*} and {@code /status}: the series after a create
 * and a restore, and readiness following an S3 server that stops and comes back on the same port.
 */
class MetricsAndHealthIT {
    private static final String PASSWORD = "metrics-it-admin-password";
    private static final String ACCESS = "metrics-access";
    private static final String SECRET = "metrics-secret-key";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path temp;

    @Test
    void metrics_show_a_create_and_a_restore() throws Exception {
        Path data = Files.createDirectories(temp.resolve("data"));
        Files.createDirectories(data.resolve("resources"));
        Files.writeString(data.resolve("resources").resolve("a.txt"), "alpha");
        try (ServerProcess server = ServerProcess.start(data, Map.of("SNAPKEEP_ADMIN_PASSWORD", PASSWORD))) {
            Api api = new Api(server.uri(), PASSWORD);
            assertThat(plain(server.uri(), "/metrics").statusCode()).as("authenticated by default").isEqualTo(401);
            assertThat(Api.field(api.awaitEnd(api.create("m1")), "status")).isEqualTo("terminated");
            assertThat(Api.field(api.awaitEnd(api.restore("m1")), "status")).isEqualTo("terminated");

            String text = scrape(server.uri(), true);
            assertThat(value(text, "snapkeep_executions_seconds_count", "outcome=\"terminated\",workflow=\"create_snapshot\""))
                    .hasValue(1.0);
            assertThat(value(text, "snapkeep_executions_seconds_count", "outcome=\"terminated\",workflow=\"restore_snapshot\""))
                    .hasValue(1.0);
            assertThat(text).contains("snapkeep_executions_seconds_bucket{outcome=\"terminated\",workflow=\"create_snapshot\",le=\"5.0\"}");
            double now = System.currentTimeMillis() / 1000.0;
            for (String workflow : new String[] {"create_snapshot", "restore_snapshot"}) {
                double at = value(text, "snapkeep_execution_last_success_timestamp_seconds",
                        "workflow=\"" + workflow + "\"").orElseThrow();
                assertThat(at).as(workflow).isBetween(now - 600, now + 1);
            }
            assertThat(value(text, "snapkeep_store_written_bytes_total", "store=\"fs\"").orElseThrow()).isGreaterThan(100);
            assertThat(value(text, "snapkeep_store_read_bytes_total", "store=\"fs\"").orElseThrow()).isGreaterThan(100);
            assertThat(value(text, "snapkeep_store_errors_total", "store=\"fs\"")).hasValue(0.0);
            assertThat(value(text, "snapkeep_catalog_errors_total", "catalog=\"snapshots\"")).hasValue(0.0);
            assertThat(value(text, "snapkeep_catalog_errors_total", "catalog=\"executions\"")).hasValue(0.0);
            assertThat(value(text, "snapkeep_snapshots", "status=\"created\"")).hasValue(1.0);
            assertThat(value(text, "snapkeep_snapshots", "status=\"failed\"")).hasValue(0.0);
            assertThat(value(text, "snapkeep_reconciliation_runs_total", null)).hasValue(1.0);
            assertThat(value(text, "snapkeep_reconciliation_results_total", "result=\"imported\"")).hasValue(0.0);
            assertThat(value(text, "snapkeep_reconciliation_results_total", "result=\"missing\"")).hasValue(0.0);
            assertThat(value(text, "snapkeep_http_requests_seconds_count",
                    "method=\"PUT\",route=\"/api/{version}/snapshots/{id}\",status=\"201\"")).hasValue(1.0);
            assertThat(value(text, "snapkeep_http_requests_seconds_count",
                    "method=\"GET\",route=\"/metrics\",status=\"401\"")).hasValue(1.0);
            assertThat(text).as("routes are templates, never paths").doesNotContain("m1");
            assertThat(text.lines().filter(l -> l.startsWith("snapkeep_jvm_memory_used_bytes{area=\"heap\""))
                    .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum()).isGreaterThan(0);
            assertThat(firstValue(text, "snapkeep_jvm_threads_live_threads").orElseThrow()).isGreaterThan(1);
            assertThat(firstValue(text, "snapkeep_jetty_threads_config_max")).hasValue(200.0);
            assertThat(firstValue(text, "snapkeep_jetty_connections_current_connections")).isPresent();
            assertThat(text.lines().filter(l -> !l.startsWith("#") && !l.isBlank()))
                    .as("every series is snapkeep_*").allMatch(l -> l.startsWith("snapkeep_"));

            HttpResponse<String> live = plain(server.uri(), "/health/live");
            assertThat(live.statusCode()).isEqualTo(200);
            HttpResponse<String> ready = plain(server.uri(), "/health/ready");
            assertThat(ready.statusCode()).isEqualTo(200);
            assertThat(ready.body()).isEqualTo("{\"status\":\"up\",\"checks\":{\"catalog\":\"up\",\"store\":\"up\"}}");
        }
    }

    @Test
    void readiness_follows_an_s3_server_that_stops_and_comes_back() throws Exception {
        Path data = Files.createDirectories(temp.resolve("data"));
        Path objects = Files.createDirectories(temp.resolve("s3"));
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            port = free.getLocalPort();
        }
        S3Proxy s3 = s3(objects, port);
        try {
            Map<String, String> env = Map.ofEntries(
                    Map.entry("SNAPKEEP_ADMIN_PASSWORD", PASSWORD),
                    Map.entry("SNAPKEEP_STORAGE_TYPE", "s3"),
                    Map.entry("SNAPKEEP_S3_ENDPOINT", "http://127.0.0.1:" + port),
                    Map.entry("SNAPKEEP_S3_REGION", "us-east-1"),
                    Map.entry("SNAPKEEP_S3_BUCKET", "snapkeep-metrics"),
                    Map.entry("SNAPKEEP_S3_ACCESS_KEY", ACCESS),
                    Map.entry("SNAPKEEP_S3_SECRET_KEY", SECRET),
                    Map.entry("SNAPKEEP_S3_CREATE_BUCKET", "true"),
                    Map.entry("SNAPKEEP_HEALTH_TIMEOUT", "1s"),
                    Map.entry("SNAPKEEP_METRICS_PUBLIC", "true"));
            try (ServerProcess server = ServerProcess.start(data, env)) {
                URI uri = server.uri();
                Api api = new Api(uri, PASSWORD);
                assertThat(plain(uri, "/health/ready").statusCode()).isEqualTo(200);
                assertThat(plain(uri, "/metrics").statusCode()).as("metrics.public").isEqualTo(200);
                assertThat(Api.field(api.get("status").body(), "status")).isEqualTo("OK");

                s3.stop();
                HttpResponse<String> down = pollReady(uri, 503, Duration.ofSeconds(20));
                assertThat(down.body()).isEqualTo("{\"status\":\"down\",\"checks\":{\"catalog\":\"up\",\"store\":\"down\"}}");
                assertThat(down.body()).doesNotContain("127.0.0.1").doesNotContain("snapkeep-metrics");
                long started = System.nanoTime();
                assertThat(plain(uri, "/health/ready").statusCode()).isEqualTo(503);
                assertThat(Duration.ofNanos(System.nanoTime() - started)).as("answered within its deadline")
                        .isLessThan(Duration.ofMillis(2500));
                String status = api.get("status").body();
                assertThat(status).contains("\"status\":\"Fail\"").contains("\"store\":{\"status\":\"Inactive\"")
                        .contains("\"catalog\":{\"status\":\"Active\"");
                // The probe's failure is counted when its retries end, which may be after the answer's deadline.
                long errorsBy = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                double errors = 0;
                while (errors == 0 && System.nanoTime() < errorsBy) {
                    errors = value(scrape(uri, false), "snapkeep_store_errors_total", "store=\"s3\"").orElseThrow();
                    if (errors == 0) {
                        Thread.sleep(100);
                    }
                }
                assertThat(errors).as("store failures counted").isGreaterThan(0);

                s3 = s3(objects, port);
                HttpResponse<String> up = pollReady(uri, 200, Duration.ofSeconds(30));
                assertThat(up.body()).isEqualTo("{\"status\":\"up\",\"checks\":{\"catalog\":\"up\",\"store\":\"up\"}}");
                assertThat(Api.field(api.get("status").body(), "status")).isEqualTo("OK");
            }
        } finally {
            s3.stop();
        }
    }

    private static S3Proxy s3(Path objects, int port) throws Exception {
        return LocalS3.start(objects, port, ACCESS, SECRET);
    }

    private static HttpResponse<String> pollReady(URI server, int status, Duration limit) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        HttpResponse<String> last;
        do {
            last = plain(server, "/health/ready");
            if (last.statusCode() == status) {
                return last;
            }
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("/health/ready did not answer " + status + " within " + limit + "; last: "
                + last.statusCode() + " " + last.body());
    }

    private static HttpResponse<String> plain(URI server, String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(server.resolve(path)).timeout(Duration.ofSeconds(30)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String scrape(URI server, boolean authenticated) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.resolve("/metrics")).timeout(Duration.ofSeconds(30));
        if (authenticated) {
            b.header("Authorization", "Basic " + java.util.Base64.getEncoder()
                    .encodeToString(("admin:" + PASSWORD).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        }
        HttpResponse<String> r = HTTP.send(b.GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
        return r.body();
    }

    /** The value of the sample {@code name{labels}}, labels as Prometheus writes them (sorted); null for none. */
    private static OptionalDouble value(String text, String name, String labels) {
        String head = labels == null ? name + " " : name + "{" + labels + "} ";
        return text.lines().filter(l -> l.startsWith(head)).mapToDouble(l -> Double.parseDouble(l.substring(head.length())))
                .findFirst();
    }

    /** The value of the first sample of {@code name}, whatever its labels. */
    private static OptionalDouble firstValue(String text, String name) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "(\\{[^}]*})? (\\S+)$").matcher(text);
        return m.find() ? OptionalDouble.of(Double.parseDouble(m.group(2))) : OptionalDouble.empty();
    }
}
