package io.snapkeep.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged server's log as an operator reads it: started with {@code logging.format: json}, every line it
 * prints is a JSON object; levels from the configuration apply; each request has one access line carrying
 * the id that the answer's {@code X-Request-Id} header carried, and no credentials or query string.
 */
class LogsIT {
    private static final String PASSWORD = "it-logs-admin-pw";
    private static final Duration LIMIT = Duration.ofSeconds(30);

    @TempDir
    static Path temp;
    private static ServerProcess server;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @BeforeAll
    static void start() throws Exception {
        Path data = Files.createDirectories(temp.resolve("data"));
        server = ServerProcess.start(data, Map.of("SNAPKEEP_ADMIN_PASSWORD", PASSWORD,
                "SNAPKEEP_LOGGING_FORMAT", "json",
                // Jetty's start-up lines are info (hidden by default); the core's reconciliation line is info too.
                "SNAPKEEP_LOGGING_LEVELS", "org.eclipse.jetty.server.Server: info, io.snapkeep.core: warn"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void every_line_is_json_and_the_access_line_has_the_answers_request_id() throws Exception {
        HttpResponse<String> listed = send("GET", "/api/v3.1/snapshots?_size=5&_search=in-the-query",
                Map.of("Authorization", basic()));
        assertThat(listed.statusCode()).as(listed.body()).isEqualTo(200);
        String id = listed.headers().firstValue("X-Request-Id").orElseThrow();

        JsonNode access = awaitAccessLine(id);
        assertThat(access.path("level").asText()).isEqualTo("info");
        assertThat(access.path("method").asText()).isEqualTo("GET");
        assertThat(access.path("path").asText()).isEqualTo("/api/v3.1/snapshots");
        assertThat(access.path("status").asInt()).isEqualTo(200);
        assertThat(access.path("bytes").asLong()).isEqualTo(listed.body().getBytes(StandardCharsets.UTF_8).length);
        assertThat(access.path("duration_ms").isIntegralNumber()).isTrue();
        assertThat(access.path("remote").asText()).isEqualTo("127.0.0.1");
        assertThat(access.path("user").asText()).isEqualTo("admin");
        assertThat(access.path("message").asText()).startsWith("GET /api/v3.1/snapshots 200 ").contains("user admin");

        List<JsonNode> lines = jsonLines();
        assertThat(lines).allSatisfy(line -> assertThat(line.path("timestamp").asText()).isNotEmpty())
                .allSatisfy(line -> assertThat(line.has("level") && line.has("logger") && line.has("thread")).isTrue());
        assertThat(lines).anySatisfy(line -> assertThat(line.path("message").asText()).contains("serving on http://"));
        assertThat(server.output()).doesNotContain(PASSWORD, basic().substring("Basic ".length()), "in-the-query");
    }

    @Test
    void the_configured_levels_apply() throws Exception {
        List<JsonNode> lines = jsonLines();
        assertThat(lines).as("org.eclipse.jetty.server.Server at info")
                .anySatisfy(line -> assertThat(line.path("logger").asText()).isEqualTo("org.eclipse.jetty.server.Server"));
        assertThat(lines).as("io.snapkeep.core at warn").noneSatisfy(line -> {
            assertThat(line.path("logger").asText()).startsWith("io.snapkeep.core");
            assertThat(line.path("level").asText()).isEqualTo("info");
        });
        // Other Jetty loggers keep the default, warn.
        assertThat(lines).noneSatisfy(line -> {
            assertThat(line.path("logger").asText()).startsWith("org.eclipse.jetty.server.handler");
            assertThat(line.path("level").asText()).isEqualTo("info");
        });
    }

    @Test
    void a_safe_request_id_is_echoed_and_an_unsafe_one_replaced() throws Exception {
        HttpResponse<String> echoed = send("GET", "/api/v3.1/snapshots",
                Map.of("Authorization", basic(), "X-Request-Id", "client-42.a_b"));
        assertThat(echoed.headers().firstValue("X-Request-Id")).contains("client-42.a_b");
        assertThat(awaitAccessLine("client-42.a_b").path("status").asInt()).isEqualTo(200);

        for (String unsafe : new String[] {"a".repeat(65), "two words", "<script>", "a;b=c"}) {
            HttpResponse<String> replaced = send("GET", "/api/v3.1/snapshots",
                    Map.of("Authorization", basic(), "X-Request-Id", unsafe));
            String id = replaced.headers().firstValue("X-Request-Id").orElseThrow();
            assertThat(id).as(unsafe).isNotEqualTo(unsafe).matches("[A-Za-z0-9_-]{16}");
            awaitAccessLine(id);
        }
        assertThat(server.output()).doesNotContain("two words", "<script>", "a".repeat(65));
    }

    @Test
    void error_answers_carry_the_request_id_in_the_header_and_the_message() throws Exception {
        HttpResponse<String> notFound = send("GET", "/api/v3.1/nowhere",
                Map.of("Authorization", basic(), "X-Request-Id", "lost-1"));
        assertThat(notFound.statusCode()).isEqualTo(404);
        assertThat(notFound.headers().firstValue("X-Request-Id")).contains("lost-1");
        JsonNode body = Api.JSON.readTree(notFound.body());
        assertThat(body.path("error_code").asText()).isEqualTo("not_found_error");
        assertThat(body.path("message").asText()).endsWith(" (request id lost-1)");
        assertThat(awaitAccessLine("lost-1").path("status").asInt()).isEqualTo(404);

        HttpResponse<String> unauthorized = send("GET", "/api/v3.1/snapshots", Map.of("X-Request-Id", "anon-1"));
        assertThat(unauthorized.statusCode()).isEqualTo(401);
        assertThat(unauthorized.headers().firstValue("X-Request-Id")).contains("anon-1");
        assertThat(Api.JSON.readTree(unauthorized.body()).path("message").asText()).endsWith(" (request id anon-1)");
        assertThat(awaitAccessLine("anon-1").has("user")).isTrue();
        assertThat(awaitAccessLine("anon-1").path("user").isNull()).isTrue();

        // Jetty refuses this one itself while it reads the request (an encoded NUL in the path), before any
        // handler: the client's id is not known there, so the answer gets a new one, and so does its access line.
        HttpResponse<String> refused = send("GET", "/api/v3.1/snapshots/a%00b", Map.of("X-Request-Id", "nul-1"));
        assertThat(refused.statusCode()).isEqualTo(400);
        String fresh = refused.headers().firstValue("X-Request-Id").orElseThrow();
        assertThat(fresh).matches("[A-Za-z0-9_-]{16}");
        assertThat(Api.JSON.readTree(refused.body()).path("message").asText()).endsWith(" (request id " + fresh + ")");
        assertThat(awaitAccessLine(fresh).path("status").asInt()).isEqualTo(400);
    }

    @Test
    void a_request_jetty_refuses_while_reading_it_gets_a_new_id_in_header_body_and_access_line() throws Exception {
        String request = "GET /api/v3.1/snapshots HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Request-Id: big-1\r\nX-Big: "
                + "b".repeat(64 * 1024) + "\r\nConnection: close\r\n\r\n";
        String answer;
        try (Socket socket = new Socket("127.0.0.1", server.uri().getPort())) {
            socket.setSoTimeout(60_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            answer = readAll(socket.getInputStream());
        }
        assertThat(answer).startsWith("HTTP/1.1 431 ");
        String id = answer.lines().filter(l -> l.toLowerCase(java.util.Locale.ROOT).startsWith("x-request-id:"))
                .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElseThrow(() -> new AssertionError(answer));
        assertThat(id).matches("[A-Za-z0-9_-]{16}");
        JsonNode body = Api.JSON.readTree(answer.substring(answer.indexOf("\r\n\r\n") + 4));
        assertThat(body.path("message").asText()).endsWith(" (request id " + id + ")");
        assertThat(awaitAccessLine(id).path("status").asInt()).isEqualTo(431);
    }

    private static String basic() {
        return "Basic " + Base64.getEncoder().encodeToString(("admin:" + PASSWORD).getBytes(StandardCharsets.UTF_8));
    }

    private static HttpResponse<String> send(String method, String path, Map<String, String> headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.uri() + path)).timeout(LIMIT)
                .method(method, HttpRequest.BodyPublishers.noBody());
        headers.forEach(b::header);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Every line the server printed, each parsed as JSON: a line that is not JSON fails the test. */
    private static List<JsonNode> jsonLines() throws IOException {
        List<JsonNode> parsed = new ArrayList<>();
        for (String line : server.output().split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            try {
                JsonNode node = Api.JSON.readTree(line);
                assertThat(node.isObject()).as(line).isTrue();
                parsed.add(node);
            } catch (IOException e) {
                throw new AssertionError("not a JSON line: " + line, e);
            }
        }
        return parsed;
    }

    /** The access line of request {@code id}: it is written once the answer is complete, so polled for. */
    private static JsonNode awaitAccessLine(String id) throws Exception {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        while (true) {
            Optional<JsonNode> found = jsonLines().stream()
                    .filter(l -> l.path("logger").asText().equals("io.snapkeep.access"))
                    .filter(l -> l.path("request_id").asText().equals(id)).findFirst();
            if (found.isPresent()) {
                return found.get();
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no access line with request id " + id + ":\n" + server.output());
            }
            Thread.sleep(20);
        }
    }

    private static String readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        in.transferTo(out);
        return out.toString(StandardCharsets.ISO_8859_1);
    }
}
