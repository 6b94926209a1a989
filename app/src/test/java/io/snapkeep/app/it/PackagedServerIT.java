package io.snapkeep.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import org.gaul.s3proxy.S3Proxy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged jar, started as a separate process with its embedded defaults (plus a data directory and a
 * password), driven over HTTP through the whole life of a snapshot: on the filesystem store, on S3, and
 * through a crash.
 */
class PackagedServerIT {
    private static final String PASSWORD = "it-admin-password";

    @TempDir
    Path temp;

    private Path dataDir() throws IOException {
        return Files.createDirectories(temp.resolve("data"));
    }

    @Test
    void the_whole_flow_on_the_filesystem_store() throws Exception {
        Path data = dataDir();
        try (ServerProcess server = ServerProcess.start(data, Map.of("SNAPKEEP_ADMIN_PASSWORD", PASSWORD))) {
            walkThrough(new Api(server.uri(), PASSWORD), data.resolve("resources"));
            errorsJettyAnswersAreInTheContractsFormat(new Api(server.uri(), PASSWORD));
        }
    }

    /**
     * The same life over HTTPS, the key and certificate given as PEM files made for the test; a client
     * that checks the certificate and its host name; plain HTTP only on a port that redirects.
     */
    @Test
    void the_whole_flow_over_https() throws Exception {
        Path data = dataDir();
        io.snapkeep.app.SelfSignedCertificate certificate = io.snapkeep.app.SelfSignedCertificate.create(
                Files.createDirectories(temp.resolve("tls")), "EC");
        Map<String, String> env = Map.of("SNAPKEEP_ADMIN_PASSWORD", PASSWORD,
                "SNAPKEEP_TLS_CERTIFICATE", certificate.certificatePem().toString(),
                "SNAPKEEP_TLS_PRIVATE_KEY", certificate.privateKeyPem().toString(),
                "SNAPKEEP_TLS_REDIRECT_HTTP_PORT", "0");
        try (ServerProcess server = ServerProcess.start(data, env)) {
            assertThat(server.uri().getScheme()).isEqualTo("https");
            Api api = new Api(server.uri(), PASSWORD, certificate.clientContext());
            walkThrough(api, data.resolve("resources"));
            errorsJettyAnswersAreInTheContractsFormat(api);
            java.util.regex.Matcher redirect = java.util.regex.Pattern.compile("Plain HTTP on port (\\d+)")
                    .matcher(server.output());
            assertThat(redirect.find()).isTrue();
            HttpResponse<String> moved = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest
                    .newBuilder(URI.create("http://127.0.0.1:" + redirect.group(1) + "/api/v3.1/snapshots")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(moved.statusCode()).isEqualTo(308);
            assertThat(moved.headers().firstValue("Location"))
                    .contains(server.uri().resolve("/api/v3.1/snapshots").toString());
        }
    }

    /** Requests refused before they reach the API still get the three-key JSON error body. */
    private static void errorsJettyAnswersAreInTheContractsFormat(Api api) throws Exception {
        for (String path : List.of("snapshots//archive", "snapshots/a%00b/archive", "snapshots/..%2Fx/archive")) {
            HttpResponse<String> r = api.sendAlone("PUT", path, java.net.http.HttpRequest.BodyPublishers.ofString("x"),
                    "application/zip");
            assertThat(r.statusCode()).as(path).isEqualTo(400);
            assertThat(r.headers().firstValue("Content-Type")).as(path).hasValueSatisfying(
                    t -> assertThat(t).startsWith("application/json"));
            assertThat(Api.field(r.body(), "error_code")).as(path).isEqualTo("bad_parameters_error");
            assertThat(r.body()).as(path).contains("\"server_traceback\"").contains("\"message\"");
        }
    }

    @Test
    void the_whole_flow_on_s3() throws Exception {
        Path data = dataDir();
        Path objects = Files.createDirectories(temp.resolve("s3"));
        S3Proxy s3 = LocalS3.start(objects, 0, "it-access", "it-secret-key");
        try {
            Map<String, String> env = Map.of(
                    "SNAPKEEP_ADMIN_PASSWORD", PASSWORD,
                    "SNAPKEEP_STORAGE_TYPE", "s3",
                    "SNAPKEEP_S3_ENDPOINT", "http://127.0.0.1:" + s3.getPort(),
                    "SNAPKEEP_S3_REGION", "us-east-1",
                    "SNAPKEEP_S3_BUCKET", "snapkeep-it",
                    "SNAPKEEP_S3_ACCESS_KEY", "it-access",
                    "SNAPKEEP_S3_SECRET_KEY", "it-secret-key",
                    "SNAPKEEP_S3_CREATE_BUCKET", "true");
            try (ServerProcess server = ServerProcess.start(data, env)) {
                walkThrough(new Api(server.uri(), PASSWORD), data.resolve("resources"));
                assertThat(server.output()).contains("storage: s3").doesNotContain("it-secret-key");
            }
            try (Stream<Path> stored = Files.walk(objects)) {
                assertThat(stored.filter(Files::isRegularFile).map(p -> p.getFileName().toString()))
                        .contains("first.zip", "second.zip");
            }
        } finally {
            s3.stop();
        }
    }

    /** Create, download, change, restore, upload under a new id, restore that: the files come back each time. */
    private void walkThrough(Api api, Path resources) throws Exception {
        Files.createDirectories(resources.resolve("sub"));
        Files.createDirectories(resources.resolve("empty"));
        Files.writeString(resources.resolve("a.txt"), "alpha");
        byte[] blob = new byte[300_000];
        new SplittableRandom(7).nextBytes(blob);
        Files.write(resources.resolve("sub/b.bin"), blob);

        String created = api.awaitEnd(api.create("first"));
        assertThat(Api.field(created, "status")).as(created).isEqualTo("terminated");
        assertThat(Api.field(api.get("snapshots/first").body(), "status")).isEqualTo("created");

        HttpResponse<byte[]> download = api.download("first");
        Api.check(download, 200);
        assertThat(download.headers().firstValueAsLong("Content-Length")).hasValue(download.body().length);
        assertThat(download.headers().firstValue("Content-Disposition")).hasValue("attachment; filename=first.zip");
        Path zip = temp.resolve("first.zip");
        Files.write(zip, download.body());
        try (ZipFile z = new ZipFile(zip.toFile())) {
            List<String> names = new ArrayList<>();
            z.stream().forEach(e -> names.add(e.getName()));
            assertThat(names).first().isEqualTo("metadata.json");
            assertThat(names).last().isEqualTo("MANIFEST.sha256");
            assertThat(names).contains("participants/resources/files/a.txt", "participants/resources/files/sub/b.bin");
        }

        Files.writeString(resources.resolve("a.txt"), "changed");
        Files.delete(resources.resolve("sub/b.bin"));
        Files.writeString(resources.resolve("new.txt"), "not in the snapshot");
        String restored = api.awaitEnd(api.restore("first"));
        assertThat(Api.field(restored, "status")).as(restored).isEqualTo("terminated");
        assertOriginal(resources, blob);

        HttpResponse<String> uploaded = api.upload("second", download.body());
        Api.check(uploaded, 201);
        assertThat(Api.field(uploaded.body(), "status")).isEqualTo("uploaded");
        Files.writeString(resources.resolve("a.txt"), "changed again");
        String restoredUpload = api.awaitEnd(api.restore("second"));
        assertThat(Api.field(restoredUpload, "status")).as(restoredUpload).isEqualTo("terminated");
        assertOriginal(resources, blob);
    }

    private static void assertOriginal(Path resources, byte[] blob) throws IOException {
        assertThat(Files.readString(resources.resolve("a.txt"))).isEqualTo("alpha");
        assertThat(Files.readAllBytes(resources.resolve("sub/b.bin"))).isEqualTo(blob);
        assertThat(resources.resolve("new.txt")).doesNotExist();
        assertThat(resources.resolve("empty")).isDirectory();
    }

    @Test
    void a_server_killed_mid_create_recovers_at_the_next_start() throws Exception {
        Path data = dataDir();
        Path resources = Files.createDirectories(data.resolve("resources"));
        writeLargeTree(resources);
        Map<String, String> env = Map.of("SNAPKEEP_ADMIN_PASSWORD", PASSWORD);

        String executionId;
        try (ServerProcess server = ServerProcess.start(data, env)) {
            Api api = new Api(server.uri(), PASSWORD);
            executionId = api.create("doomed");
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            String status = "pending";
            while (!status.equals("started") && System.nanoTime() < deadline) {
                status = Api.field(api.get("executions/" + executionId).body(), "status");
            }
            assertThat(status).as("the create must still be running when the server is killed").isEqualTo("started");
            server.kill();
        }

        try (ServerProcess server = ServerProcess.start(data, env)) {
            Api api = new Api(server.uri(), PASSWORD);
            String execution = api.get("executions/" + executionId).body();
            assertThat(Api.field(execution, "status")).isEqualTo("failed");
            assertThat(Api.field(execution, "error")).isEqualTo("interrupted by a restart");
            String snapshot = api.get("snapshots/doomed").body();
            assertThat(Api.field(snapshot, "status")).isEqualTo("failed");
            assertThat(Api.field(snapshot, "error")).isEqualTo("interrupted by a restart");
            try (Stream<Path> archives = Files.walk(data.resolve("archives"))) {
                assertThat(archives.filter(Files::isRegularFile).map(p -> p.getFileName().toString()))
                        .as("no staged or partial bytes").isEmpty();
            }
            String next = api.awaitEnd(api.create("after-crash"));
            assertThat(Api.field(next, "status")).as(next).isEqualTo("terminated");
        }
    }

    /** A tree big enough that a create is still running when the test looks: one large file, many small. */
    private static void writeLargeTree(Path root) throws IOException {
        byte[] block = new byte[1 << 20];
        new SplittableRandom(1).nextBytes(block);
        try (var out = Files.newOutputStream(root.resolve("large.bin"))) {
            for (int i = 0; i < 384; i++) {
                block[i] ^= 1;
                out.write(block);
            }
        }
        byte[] small = new byte[4096];
        for (int i = 0; i < 3000; i++) {
            Path dir = Files.createDirectories(root.resolve("d" + (i % 30)));
            small[0] = (byte) i;
            Files.write(dir.resolve("f" + i + ".json"), small);
        }
    }
}
