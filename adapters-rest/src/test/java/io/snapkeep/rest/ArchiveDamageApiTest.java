package io.snapkeep.rest;

import static io.snapkeep.rest.Wire.assertError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.snapkeep.core.Snapkeep;
import io.snapkeep.core.port.out.StoreKey;
import io.snapkeep.core.testing.InMemoryArchiveStore;
import io.snapkeep.core.testing.InMemoryExecutionCatalog;
import io.snapkeep.core.testing.InMemoryExecutionEventLog;
import io.snapkeep.core.testing.InMemorySnapshotCatalog;
import io.snapkeep.core.testing.LogCapture;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Damage at rest seen over HTTP, against the real engine on in-memory ports: a whole download of a damaged
 * archive is cut before its end (fewer bytes than its Content-Length) with one ERROR line from the engine and
 * no incident, verify says what it found, and the snapshot is failed afterwards.
 */
class ArchiveDamageApiTest {
    private static final Set<String> END_STATES = Set.of("terminated", "failed", "cancelled");

    private final MapParticipant participant = new MapParticipant();
    private final InMemoryArchiveStore store = new InMemoryArchiveStore();
    private Snapkeep snapkeep;
    private TestServer server;

    @BeforeEach
    void start() {
        participant.put("colour", "blue".getBytes(StandardCharsets.UTF_8));
        participant.put("big.bin", Wire.archive(600_000, 31));
        snapkeep = Snapkeep.builder()
                .archiveStore(store)
                .snapshotCatalog(new InMemorySnapshotCatalog())
                .executionCatalog(new InMemoryExecutionCatalog())
                .eventLog(new InMemoryExecutionEventLog())
                .participant(participant)
                .build()
                .start();
        server = new TestServer(snapkeep, RestSettings.DEFAULTS);
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        snapkeep.close();
    }

    private JsonNode createAndWait(String base, String id) {
        TestServer.Reply r = server.put(base + "/snapshots/" + id, "{}");
        assertThat(r.status()).as("%s", r).isEqualTo(201);
        String execution = r.json().get("id").asText();
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (true) {
            JsonNode e = server.get(base + "/executions/" + execution).json();
            if (END_STATES.contains(e.get("status").asText())) {
                assertThat(e.get("status").asText()).as("%s", e).isEqualTo("terminated");
                return server.get(base + "/snapshots/" + id).json();
            }
            assertThat(Instant.now()).isBefore(deadline);
            java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(20).toNanos()); // a client's pause
        }
    }

    /** What a raw HTTP/1.1 client receives for a GET: the status, the headers, and every body byte until EOF. */
    private record RawReply(int status, Map<String, String> headers, byte[] body) {
        long contentLength() {
            return Long.parseLong(headers.get("content-length"));
        }
    }

    private RawReply rawGet(String path) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", server.port)) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: " + TestUsers.ADMIN
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[65536];
            try {
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    all.write(buffer, 0, n);
                }
            } catch (IOException reset) {
                // an aborted response may end in a reset rather than a close
            }
            byte[] bytes = all.toByteArray();
            int end = indexOf(bytes, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            String[] head = new String(bytes, 0, end, StandardCharsets.US_ASCII).split("\r\n");
            Map<String, String> headers = new LinkedHashMap<>();
            for (int i = 1; i < head.length; i++) {
                int colon = head[i].indexOf(':');
                headers.put(head[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), head[i].substring(colon + 1).trim());
            }
            return new RawReply(Integer.parseInt(head[0].split(" ")[1]), headers,
                    Arrays.copyOfRange(bytes, end + 4, bytes.length));
        }
    }

    private static int indexOf(byte[] bytes, byte[] part) {
        for (int i = 0; i + part.length <= bytes.length; i++) {
            if (Arrays.equals(bytes, i, i + part.length, part, 0, part.length)) {
                return i;
            }
        }
        throw new AssertionError("no end of the headers");
    }

    /** Runs {@code request} and returns what the REST adapter and its container printed meanwhile. */
    private static String stderrOf(ThrowingRunnable request) throws Exception {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            request.run();
        } finally {
            System.setErr(original);
        }
        String text = captured.toString(StandardCharsets.UTF_8);
        original.print(text);
        return text;
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    private static UnaryOperator<byte[]> flipAt(int at) {
        return b -> {
            b[at] ^= 0x10;
            return b;
        };
    }

    private void damageDownloadIsCut(String base, UnaryOperator<byte[]> damage) throws Exception {
        JsonNode created = createAndWait(base, "s1");
        long size = created.get("archive_size").asLong();
        store.damage(new StoreKey("s1"), damage);
        RawReply[] reply = new RawReply[1];
        String printed;
        try (LogCapture engine = LogCapture.of("io.snapkeep.core"); LogCapture jersey = LogCapture.of("org.glassfish")) {
            printed = stderrOf(() -> reply[0] = rawGet(base + "/snapshots/s1/archive"));
            assertThat(engine.at(System.Logger.Level.ERROR)).singleElement().satisfies(l -> assertThat(l.message())
                    .contains("`s1`").contains("damaged"));
            assertThat(jersey.lines()).as("Jersey says nothing about it").isEmpty();
        }
        assertThat(reply[0].status()).isEqualTo(200);
        assertThat(reply[0].contentLength()).isEqualTo(size);
        assertThat((long) reply[0].body().length).as("the client sees the cut").isLessThan(size);
        assertThat(printed).as("no incident, no second report").doesNotContainIgnoringCase("incident")
                .doesNotContain("ERROR").doesNotContain("WARN");
        JsonNode failed = server.get(base + "/snapshots/s1").json();
        assertThat(failed.get("status").asText()).isEqualTo("failed");
        assertThat(failed.get("error").asText()).startsWith("archive damaged: ");
        assertError(server.get(base + "/snapshots/s1/archive"), 400, "snapshot_action_error");
        assertThat(server.delete(base + "/snapshots/s1").status()).isEqualTo(200);
    }

    @EachVersion
    void aWholeDownloadOfAnArchiveWithAFlippedByteIsCutBeforeItsEnd(String base) throws Exception {
        damageDownloadIsCut(base, flipAt(200_000));
    }

    @EachVersion
    void aWholeDownloadOfATruncatedArchiveIsCutBeforeItsEnd(String base) throws Exception {
        damageDownloadIsCut(base, b -> Arrays.copyOf(b, b.length - 5000));
    }

    @EachVersion
    void aKeptAliveClientFailsOnTheCutInsteadOfWaiting(String base) {
        createAndWait(base, "s1");
        store.damage(new StoreKey("s1"), flipAt(300_000));
        HttpRequest get = server.request(base + "/snapshots/s1/archive").timeout(Duration.ofSeconds(20)).GET().build();
        assertThatThrownBy(() -> server.http.send(get, java.net.http.HttpResponse.BodyHandlers.ofByteArray()))
                .isInstanceOf(IOException.class).isNotInstanceOf(java.net.http.HttpTimeoutException.class);
        assertThat(server.get(base + "/snapshots/s1").json().get("status").asText()).isEqualTo("failed");
    }

    @EachVersion
    void aWholeDownloadOfAnIntactArchiveIsComplete(String base) throws Exception {
        JsonNode created = createAndWait(base, "s1");
        RawReply reply = rawGet(base + "/snapshots/s1/archive");
        assertThat(reply.status()).isEqualTo(200);
        assertThat((long) reply.body().length).isEqualTo(created.get("archive_size").asLong()).isEqualTo(reply.contentLength());
        assertThat(SnapshotsApiTest.sha256(reply.body())).isEqualTo(created.get("archive_sha256").asText());
    }

    @EachVersion
    void aRangedDownloadOfADamagedArchiveIsPassedThrough(String base) throws Exception {
        createAndWait(base, "s1");
        store.damage(new StoreKey("s1"), flipAt(200_000));
        TestServer.Reply part = server.send(server.request(base + "/snapshots/s1/archive")
                .header("Range", "bytes=199990-200009").GET().build());
        assertThat(part.status()).isEqualTo(206);
        assertThat(part.body()).hasSize(20);
        assertThat(server.get(base + "/snapshots/s1").json().get("status").asText()).isEqualTo("created");
    }

    @EachVersion
    void verifyAnswersValidForAWholeArchive(String base) {
        createAndWait(base, "s1");
        TestServer.Reply r = server.send(server.request(base + "/snapshots/s1/verify")
                .POST(HttpRequest.BodyPublishers.noBody()).build());
        assertThat(r.status()).as("%s", r).isEqualTo(200);
        assertThat(r.header("Content-Type")).startsWith("application/json");
        assertThat(Wire.fieldNames(r.json())).containsExactly("id", "valid", "error");
        assertThat(r.json().get("id").asText()).isEqualTo("s1");
        assertThat(r.json().get("valid").asBoolean()).isTrue();
        assertThat(r.json().get("error").asText()).isEmpty();
        assertThat(server.get(base + "/snapshots/s1").json().get("status").asText()).isEqualTo("created");
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"/api/v2", "/api/v2.1", "/api/v3", "/api/v3.1"})
    void verifyAnswersUnderEveryVersionPrefix(String base) {
        createAndWait(base, "s1");
        TestServer.Reply r = server.post(base + "/snapshots/s1/verify", "");
        assertThat(r.status()).as("%s", r).isEqualTo(200);
        assertThat(r.json().get("valid").asBoolean()).isTrue();
        assertError(server.post("/api/v4/snapshots/s1/verify", ""), 404, "not_found_error");
    }

    @EachVersion
    void verifyFindsAFlippedByteAndTheSnapshotFails(String base) {
        createAndWait(base, "s1");
        store.damage(new StoreKey("s1"), flipAt(200_000));
        TestServer.Reply r = server.post(base + "/snapshots/s1/verify", "{}");
        assertThat(r.status()).as("%s", r).isEqualTo(200);
        assertThat(r.json().get("valid").asBoolean()).isFalse();
        String error = r.json().get("error").asText();
        assertThat(error).startsWith("archive damaged: ");
        JsonNode failed = server.get(base + "/snapshots/s1").json();
        assertThat(failed.get("status").asText()).isEqualTo("failed");
        assertThat(failed.get("error").asText()).isEqualTo(error);
        assertError(server.post(base + "/snapshots/s1/restore", "{\"force\": true}"), 400, "snapshot_action_error");
    }

    @EachVersion
    void verifyFindsATruncatedArchive(String base) {
        createAndWait(base, "s1");
        store.damage(new StoreKey("s1"), b -> Arrays.copyOf(b, b.length - 1));
        TestServer.Reply r = server.post(base + "/snapshots/s1/verify", "");
        assertThat(r.json().get("valid").asBoolean()).isFalse();
        assertThat(r.json().get("error").asText()).startsWith("archive damaged: ");
    }

    @EachVersion
    void verifyErrorsAndAccess(String base) {
        assertError(server.post(base + "/snapshots/missing/verify", ""), 404, "not_found_error");
        assertError(server.post(base + "/snapshots/bad..id/verify", ""), 404, "not_found_error");
        createAndWait(base, "s1");
        assertError(server.send(HttpRequest.newBuilder(server.uri(base + "/snapshots/s1/verify")).header("Authorization", TestUsers.VIEWER)
                .POST(HttpRequest.BodyPublishers.noBody()).build()), 403, "forbidden_error");
        assertError(server.send(HttpRequest.newBuilder(server.uri(base + "/snapshots/s1/verify"))
                .POST(HttpRequest.BodyPublishers.noBody()).build()), 401, "unauthorized_error");
        store.delete(new StoreKey("s1"));
        TestServer.Reply missing = server.post(base + "/snapshots/s1/verify", "");
        assertThat(missing.json().get("valid").asBoolean()).isFalse();
        assertThat(missing.json().get("error").asText()).isEqualTo("archive missing from the store");
        assertError(server.post(base + "/snapshots/s1/verify", ""), 400, "snapshot_action_error");
    }
}
