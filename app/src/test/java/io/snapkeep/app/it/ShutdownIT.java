package io.snapkeep.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM, the orderly stop, on the packaged jar: a running create and a running restore are interrupted and
 * their end recorded as "interrupted by a shutdown" (the catalog is still open when the engine records it), an
 * interrupted restore leaves the participant's tree exactly as it was, and a download in progress finishes
 * with all its bytes within the grace period while new requests are refused.
 */
class ShutdownIT {
    private static final String PASSWORD = "it-admin-password";
    private static final Duration GRACE = Duration.ofSeconds(20);
    private static final String INTERRUPTED = "interrupted by a shutdown";

    @TempDir
    Path temp;

    @Test
    void sigterm_interrupts_a_create_and_a_restore_cleanly_and_lets_a_download_finish() throws Exception {
        Path data = Files.createDirectories(temp.resolve("data"));
        Path resources = data.resolve("resources");
        Disk.writeLargeTree(resources);
        Map<String, String> env = Map.of("SNAPKEEP_ADMIN_PASSWORD", PASSWORD,
                "SNAPKEEP_SHUTDOWN_GRACE_PERIOD", GRACE.toSeconds() + "s");

        String doomed;
        JsonNode big;
        String stopped;
        try (ServerProcess server = ServerProcess.start(data, env)) {
            Api api = new Api(server.uri(), PASSWORD);
            JsonNode created = api.awaitStatus(api.create("big"), Api.END, Duration.ofMinutes(2));
            assertThat(created.path("status").asText()).as(created.toString()).isEqualTo("terminated");
            big = api.snapshot("big").orElseThrow();

            doomed = api.create("doomed");
            api.awaitStatus(doomed, Set.of("started"), Duration.ofMinutes(1));
            assertThat(server.terminate(Duration.ofSeconds(60))).as(server.output()).isEqualTo(143);
            stopped = server.output();
            assertThat(stopped).contains("Stopping: a running create or restore is interrupted, new requests are refused",
                    "Snapkeep stopped");
        }

        Files.writeString(resources.resolve("d0/f0.json"), "changed after the snapshot");
        Files.writeString(resources.resolve("added.txt"), "not in the snapshot");
        String before = Disk.treeDigest(resources, true);
        String restore;
        try (ServerProcess server = ServerProcess.start(data, env)) {
            Api api = new Api(server.uri(), PASSWORD);
            assertInterrupted(api.execution(doomed).orElseThrow(), stopped);
            JsonNode snapshot = api.snapshot("doomed").orElseThrow();
            assertThat(snapshot.path("status").asText()).as(snapshot.toString()).isEqualTo("failed");
            assertThat(snapshot.path("error").asText()).isEqualTo(INTERRUPTED);
            assertThat(snapshot.path("archive_size").isNull()).as(snapshot.toString()).isTrue();

            restore = api.restore("big");
            api.awaitStatus(restore, Set.of("started"), Duration.ofMinutes(1));
            assertThat(server.terminate(Duration.ofSeconds(60))).as(server.output()).isEqualTo(143);
            stopped = server.output();
        }
        assertThat(Disk.treeDigest(resources, true)).as("the tree after an interrupted restore").isEqualTo(before);

        try (ServerProcess server = ServerProcess.start(data, env)) {
            Api api = new Api(server.uri(), PASSWORD);
            assertInterrupted(api.execution(restore).orElseThrow(), stopped);
            assertThat(Disk.treeDigest(resources, true)).as("the tree after the restart").isEqualTo(before);
            assertThat(api.snapshot("big").orElseThrow()).isEqualTo(big);
            aDownloadInProgressFinishesWithinTheGracePeriod(server, api, big);
        }
    }

    /** The execution ended failed, interrupted by the shutdown whose server output is {@code stopped}. */
    private static void assertInterrupted(JsonNode execution, String stopped) {
        String why = execution + "\nThe server's output up to its stop:\n" + stopped;
        assertThat(execution.path("status").asText()).as(why).isEqualTo("failed");
        assertThat(execution.path("error").asText()).as(why).isEqualTo(INTERRUPTED);
    }

    /**
     * A slow client is reading a large archive when SIGTERM comes: it gets every byte, new connections are
     * refused, a request on a connection already open is answered 503 in the error body, and the process ends
     * within the grace period.
     */
    private static void aDownloadInProgressFinishesWithinTheGracePeriod(ServerProcess server, Api api, JsonNode big)
            throws Exception {
        long size = big.path("archive_size").asLong();
        int port = server.uri().getPort();
        try (Socket idle = new Socket("127.0.0.1", port)) {
            String version = "GET /api/v3.1/version HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Basic "
                    + Base64.getEncoder().encodeToString(("admin:" + PASSWORD).getBytes(StandardCharsets.UTF_8))
                    + "\r\n\r\n";
            assertThat(exchange(idle, version)).startsWith("HTTP/1.1 200");

            HttpResponse<InputStream> download = api.openDownload("big");
            Api.check(download, 200);
            assertThat(download.headers().firstValueAsLong("Content-Length")).hasValue(size);
            MessageDigest digest = Disk.sha256();
            long read = 0;
            long stopAsked;
            try (InputStream in = download.body()) {
                byte[] buffer = new byte[64 * 1024];
                read += readAtMost(in, buffer, 8 << 20, digest);
                stopAsked = System.nanoTime();
                server.signalTerm();
                server.awaitOutput("new requests are refused; 1 running request", Duration.ofSeconds(20));

                // That line comes just before Jetty's graceful stop begins: poll for the closed listener and gate.
                awaitRefusedConnection(port, Duration.ofSeconds(10));
                String refused = awaitStatusOnOpenConnection(idle, version, "HTTP/1.1 503", Duration.ofSeconds(10));
                assertThat(refused).containsIgnoringCase("content-type: application/json")
                        .contains("\"error_code\":\"storage_unavailable_error\"").contains("shutting down");

                // The slow client: 1 MiB at a time, a pause between, for a few seconds.
                for (int n; (n = readAtMost(in, buffer, 1 << 20, digest)) > 0; ) {
                    read += n;
                    Thread.sleep(10);
                }
            }
            assertThat(read).isEqualTo(size);
            assertThat(HexFormat.of().formatHex(digest.digest())).isEqualTo(big.path("archive_sha256").asText());
            assertThat(server.awaitExit(GRACE.plusSeconds(30))).isEqualTo(143);
            assertThat(Duration.ofNanos(System.nanoTime() - stopAsked)).as("from SIGTERM to exit").isLessThan(GRACE);
            assertThat(server.output()).contains("Snapkeep stopped").doesNotContain("were cut off");
        }
    }

    /** Polls until a new connection to {@code port} is refused, at most {@code limit}. */
    private static void awaitRefusedConnection(int port, Duration limit) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                Thread.sleep(10);
            } catch (ConnectException refused) {
                return;
            }
        }
        throw new AssertionError("new connections were still accepted " + limit + " after SIGTERM");
    }

    /** Repeats {@code request} on {@code socket} until the answer starts with {@code status}, at most {@code limit}. */
    private static String awaitStatusOnOpenConnection(Socket socket, String request, String status, Duration limit)
            throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        String answer;
        do {
            answer = exchange(socket, request);
            if (answer.startsWith(status)) {
                return answer;
            }
            Thread.sleep(10);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("no " + status + " on an open connection within " + limit + "; last answer:\n"
                + answer);
    }

    /** Reads up to {@code limit} bytes (fewer only at the end), digesting them; returns how many. */
    private static int readAtMost(InputStream in, byte[] buffer, int limit, MessageDigest digest) throws Exception {
        int total = 0;
        while (total < limit) {
            int n = in.read(buffer, 0, Math.min(buffer.length, limit - total));
            if (n < 0) {
                break;
            }
            digest.update(buffer, 0, n);
            total += n;
        }
        return total;
    }

    /** Sends one request on {@code socket} and reads the whole answer (a Content-Length or a chunked body). */
    private static String exchange(Socket socket, String request) throws Exception {
        socket.setSoTimeout(10_000);
        OutputStream out = socket.getOutputStream();
        out.write(request.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = socket.getInputStream();
        StringBuilder answer = new StringBuilder();
        int contentLength = 0;
        boolean chunked = false;
        for (String line = line(in); ; line = line(in)) {
            answer.append(line).append('\n');
            String lower = line.toLowerCase(java.util.Locale.ROOT);
            if (lower.startsWith("content-length:")) {
                contentLength = Integer.parseInt(lower.substring(15).trim());
            } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                chunked = true;
            } else if (line.isEmpty()) {
                break;
            }
        }
        if (chunked) {
            for (int size = chunkSize(in); size > 0; size = chunkSize(in)) {
                answer.append(new String(in.readNBytes(size), StandardCharsets.UTF_8));
                line(in);
            }
            line(in);
        } else {
            answer.append(new String(in.readNBytes(contentLength), StandardCharsets.UTF_8));
        }
        return answer.toString();
    }

    private static int chunkSize(InputStream in) throws Exception {
        return Integer.parseInt(line(in).trim(), 16);
    }

    private static String line(InputStream in) throws Exception {
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new java.io.EOFException("the connection closed after: " + line);
            }
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }
}
