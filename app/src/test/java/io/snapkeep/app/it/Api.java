package io.snapkeep.app.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A plain HTTP client for the Snapshots API, speaking as the admin user. */
final class Api {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Set<String> END = Set.of("terminated", "failed", "cancelled");

    private final HttpClient http;
    private final URI base;
    private final String auth;

    Api(URI server, String password) {
        this(server, password, HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build());
    }

    /** The same over HTTPS, trusting what {@code tls} trusts. */
    Api(URI server, String password, javax.net.ssl.SSLContext tls) {
        this(server, password, HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).sslContext(tls).build());
    }

    private Api(URI server, String password, HttpClient http) {
        this.http = http;
        this.base = server.resolve("/api/v3.1/");
        this.auth = "Basic " + Base64.getEncoder().encodeToString(("admin:" + password)
                .getBytes(StandardCharsets.UTF_8));
    }

    HttpResponse<String> send(String method, String path, HttpRequest.BodyPublisher body, String contentType)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
                .header("Authorization", auth).method(method, body);
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * The same on a connection of its own: after refusing a malformed request Jetty closes the connection,
     * which a pooled client could otherwise pick up again for its next request.
     */
    HttpResponse<String> sendAlone(String method, String path, HttpRequest.BodyPublisher body, String contentType)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
                .header("Authorization", auth).method(method, body);
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return HttpClient.newBuilder().sslContext(http.sslContext()).build().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A GET of {@code path} from the server's root ({@code /metrics}), as the admin. */
    HttpResponse<String> getFromRoot(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(base.resolve("/" + path)).timeout(Duration.ofSeconds(60))
                .header("Authorization", auth).build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send("GET", path, HttpRequest.BodyPublishers.noBody(), null);
    }

    HttpResponse<byte[]> download(String id) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(base.resolve("snapshots/" + id + "/archive"))
                .header("Authorization", auth).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** Uploads as the Python client does: chunked, labelled application/json. */
    HttpResponse<String> upload(String id, byte[] archive) throws IOException, InterruptedException {
        HttpRequest.BodyPublisher chunked = HttpRequest.BodyPublishers.ofInputStream(
                () -> new java.io.ByteArrayInputStream(archive));
        return send("PUT", "snapshots/" + id + "/archive", chunked, "application/json");
    }

    /** Starts a create and returns the execution id. */
    String create(String id) throws IOException, InterruptedException {
        HttpResponse<String> r = send("PUT", "snapshots/" + id, HttpRequest.BodyPublishers.noBody(), null);
        check(r, 201);
        return field(r.body(), "id");
    }

    String restore(String id) throws IOException, InterruptedException {
        HttpResponse<String> r = send("POST", "snapshots/" + id + "/restore",
                HttpRequest.BodyPublishers.ofString("{\"force\": true}"), "application/json");
        check(r, 200);
        return field(r.body(), "id");
    }

    /** Polls an execution until it ends; returns its last JSON. */
    String awaitEnd(String executionId) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            String body = get("executions/" + executionId).body();
            String status = field(body, "status");
            if (status.equals("terminated") || status.equals("failed") || status.equals("cancelled")) {
                return body;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("execution " + executionId + " did not end within 120 s");
    }

    /** Uploads the archive in {@code file}, chunked, labelled application/json. */
    HttpResponse<String> uploadFile(String id, Path file) throws IOException, InterruptedException {
        HttpRequest.BodyPublisher chunked = HttpRequest.BodyPublishers.ofInputStream(() -> {
            try {
                return java.nio.file.Files.newInputStream(file);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        return send("PUT", "snapshots/" + id + "/archive", chunked, "application/json");
    }

    /** Starts a create, whatever the answer. */
    HttpResponse<String> tryCreate(String id) throws IOException, InterruptedException {
        return send("PUT", "snapshots/" + id, HttpRequest.BodyPublishers.noBody(), null);
    }

    /** Starts a create with {@code queue} given in the body, whatever the answer. */
    HttpResponse<String> tryCreate(String id, boolean queue) throws IOException, InterruptedException {
        return send("PUT", "snapshots/" + id, HttpRequest.BodyPublishers.ofString("{\"queue\": " + queue + "}"),
                "application/json");
    }

    /** Starts a forced restore, whatever the answer. */
    HttpResponse<String> tryRestore(String id) throws IOException, InterruptedException {
        return send("POST", "snapshots/" + id + "/restore", HttpRequest.BodyPublishers.ofString("{\"force\": true}"),
                "application/json");
    }

    HttpResponse<String> delete(String id) throws IOException, InterruptedException {
        return send("DELETE", "snapshots/" + id, HttpRequest.BodyPublishers.noBody(), null);
    }

    HttpResponse<String> cancel(String executionId) throws IOException, InterruptedException {
        return send("POST", "executions/" + executionId,
                HttpRequest.BodyPublishers.ofString("{\"action\": \"cancel\"}"), "application/json");
    }

    HttpResponse<String> verify(String id) throws IOException, InterruptedException {
        return send("POST", "snapshots/" + id + "/verify", HttpRequest.BodyPublishers.noBody(), null);
    }

    /** The download as a stream the caller reads at its own pace (and closes). */
    HttpResponse<InputStream> openDownload(String id) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(base.resolve("snapshots/" + id + "/archive"))
                .header("Authorization", auth).build(), HttpResponse.BodyHandlers.ofInputStream());
    }

    /** The snapshot, or empty on 404. */
    Optional<JsonNode> snapshot(String id) throws IOException, InterruptedException {
        HttpResponse<String> r = get("snapshots/" + id);
        if (r.statusCode() == 404) {
            return Optional.empty();
        }
        check(r, 200);
        return Optional.of(json(r.body()));
    }

    /** Every snapshot, in one page. */
    List<JsonNode> snapshots() throws IOException, InterruptedException {
        HttpResponse<String> r = get("snapshots?_size=100000");
        check(r, 200);
        List<JsonNode> items = new ArrayList<>();
        json(r.body()).path("items").forEach(items::add);
        return items;
    }

    /** The execution, or empty on 404. */
    Optional<JsonNode> execution(String id) throws IOException, InterruptedException {
        HttpResponse<String> r = get("executions/" + id);
        if (r.statusCode() == 404) {
            return Optional.empty();
        }
        check(r, 200);
        return Optional.of(json(r.body()));
    }

    /** Polls an execution until its status is one of {@code statuses}, at most {@code limit}; returns its JSON. */
    JsonNode awaitStatus(String executionId, Set<String> statuses, Duration limit)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        JsonNode e;
        do {
            e = execution(executionId).orElseThrow(() -> new AssertionError("no execution " + executionId));
            if (statuses.contains(e.path("status").asText())) {
                return e;
            }
            Thread.sleep(10);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("execution " + executionId + " did not reach " + statuses + " within " + limit
                + "; last seen " + e);
    }

    static JsonNode json(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + body, e);
        }
    }

    static void check(HttpResponse<?> r, int status) {
        if (r.statusCode() != status) {
            throw new AssertionError("expected " + status + " from " + r.request().method() + " " + r.uri()
                    + ", got " + r.statusCode() + ": " + r.body());
        }
    }

    /** A top-level string field of a JSON object (enough for ids and statuses). */
    static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(name) + "\"\\s*:\\s*(\"((?:[^\"\\\\]|\\\\.)*)\"|null|true|false|-?\\d+)")
                .matcher(json);
        if (!m.find()) {
            throw new AssertionError("no field `" + name + "` in " + json);
        }
        return m.group(2) != null ? m.group(2) : m.group(1);
    }

    static byte[] readAll(InputStream in) throws IOException {
        try (in) {
            return in.readAllBytes();
        }
    }
}
