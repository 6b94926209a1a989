package io.snapkeep.rest;

import static io.snapkeep.rest.Wire.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.snapkeep.core.Snapkeep;
import io.snapkeep.core.testing.InMemoryArchiveStore;
import io.snapkeep.core.testing.InMemoryExecutionCatalog;
import io.snapkeep.core.testing.InMemoryExecutionEventLog;
import io.snapkeep.core.testing.InMemorySnapshotCatalog;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The flows a client walks, against the real engine ({@link Snapkeep} on the in-memory ports) over HTTP:
 * create and poll, events, download and upload back, restore.
 */
class SnapkeepFlowTest {
    private static final Set<String> END_STATES = Set.of("terminated", "failed", "cancelled");

    private final MapParticipant participant = new MapParticipant();
    private Snapkeep snapkeep;
    private TestServer server;

    @BeforeEach
    void start() {
        participant.put("colour", "blue".getBytes(StandardCharsets.UTF_8));
        participant.put("big.bin", Wire.archive(600_000, 31));
        snapkeep = Snapkeep.builder()
                .archiveStore(new InMemoryArchiveStore())
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

    /** Polls {@code GET /executions/{id}} as the CLI does, until an end state or the deadline. */
    private JsonNode pollUntilEnded(String base, String executionId) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (true) {
            JsonNode e = server.get(base + "/executions/" + executionId).json();
            if (END_STATES.contains(e.get("status").asText())) {
                return e;
            }
            assertThat(Instant.now()).as("execution %s still %s", executionId, e.get("status")).isBefore(deadline);
            java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(20).toNanos()); // a pause between polls, as a client makes
        }
    }

    private String create(String base, String id) {
        TestServer.Reply r = server.put(base + "/snapshots/" + id, "{\"include_logs\": false}");
        assertThat(r.status()).as("%s", r).isEqualTo(201);
        assertThat(r.json().get("status").asText()).isIn("pending", "queued");
        return r.json().get("id").asText();
    }

    @EachVersion
    void eventsOfAnExecutionPageInOrderStartedFirstTerminalLast(String base) {
        String execution = create(base, "s1");
        JsonNode ended = pollUntilEnded(base, execution);
        List<JsonNode> events = new ArrayList<>();
        long total;
        int offset = 0;
        do {
            JsonNode page = server.get(base + "/events?execution_id=" + execution + "&_offset=" + offset
                    + "&_size=2&_sort=reported_timestamp").json();
            total = page.get("metadata").get("pagination").get("total").asLong();
            page.get("items").forEach(events::add);
            assertThat(page.get("items").size()).isLessThanOrEqualTo(2);
            offset += 2;
        } while (offset < total);
        assertThat(events).hasSize((int) total).hasSizeGreaterThanOrEqualTo(2);
        assertThat(events.get(0).get("event_type").asText()).isEqualTo("workflow_started");
        assertThat(events.get(0).get("message").asText()).isEqualTo("Starting 'create_snapshot' workflow execution");
        String terminal = events.get(events.size() - 1).get("event_type").asText();
        assertThat(terminal).isEqualTo(ended.get("status").asText().equals("terminated") ? "workflow_succeeded"
                : "workflow_failed");
        for (JsonNode e : events) {
            assertThat(e.get("execution_id").asText()).isEqualTo(execution);
            assertThat(e.get("workflow_id").asText()).isEqualTo("create_snapshot");
        }
        List<String> times = events.stream().map(e -> e.get("reported_timestamp").asText()).toList();
        assertThat(times).isSorted();
    }

    @EachVersion
    void aCreateReachesTerminatedAndTheSnapshotIsCreated(String base) {
        String execution = create(base, "s1");
        JsonNode ended = pollUntilEnded(base, execution);
        assertThat(ended.get("status").asText()).as("%s", ended).isEqualTo("terminated");
        assertThat(ended.get("status_display").asText()).isEqualTo("completed");
        assertThat(ended.get("error").asText()).isEmpty();
        JsonNode snapshot = server.get(base + "/snapshots/s1").json();
        assertThat(snapshot.get("status").asText()).isEqualTo("created");
        assertThat(snapshot.get("archive_size").asLong()).isPositive();
        assertThat(snapshot.get("archive_sha256").asText()).hasSize(64);
    }

    @EachVersion
    void aDownloadedArchiveUploadsBackChunkedAsJsonAndDownloadsTheSame(String base) throws Exception {
        pollUntilEnded(base, create(base, "s1"));
        TestServer.Reply download = server.get(base + "/snapshots/s1/archive");
        assertThat(download.status()).isEqualTo(200);
        byte[] archive = download.body();
        assertThat(download.header("Content-Length")).isEqualTo(String.valueOf(archive.length));
        assertThat(download.header("ETag")).isEqualTo("\"" + SnapshotsApiTest.sha256(archive) + "\"");
        TestServer.Reply resumed = server.send(server.request(base + "/snapshots/s1/archive")
                .header("Range", "bytes=100-").GET().build());
        assertThat(resumed.status()).isEqualTo(206);
        assertThat(resumed.body()).isEqualTo(java.util.Arrays.copyOfRange(archive, 100, archive.length));

        HttpURLConnection c = (HttpURLConnection) server.uri(base + "/snapshots/copy/archive").toURL().openConnection();
        c.setRequestMethod("PUT");
        c.setDoOutput(true);
        c.setChunkedStreamingMode(8192);
        c.setRequestProperty("Authorization", TestUsers.ADMIN);
        c.setRequestProperty("Content-Type", "application/json");
        try (OutputStream out = c.getOutputStream()) {
            out.write(archive);
        }
        assertThat(c.getResponseCode()).isEqualTo(201);
        JsonNode copy = server.get(base + "/snapshots/copy").json();
        assertThat(copy.get("status").asText()).isEqualTo("uploaded");
        assertThat(server.get(base + "/snapshots/copy/archive").body()).isEqualTo(archive);

        byte[] truncated = java.util.Arrays.copyOf(archive, archive.length / 2);
        assertError(server.send(server.request(base + "/snapshots/cut/archive")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(truncated)).build()), 400, "invalid_archive_error");
        assertError(server.get(base + "/snapshots/cut"), 404, "not_found_error");
    }

    @EachVersion
    void aRestoreBringsTheStateBack(String base) {
        pollUntilEnded(base, create(base, "s1"));
        participant.put("colour", "red".getBytes(StandardCharsets.UTF_8));
        TestServer.Reply restore = server.post(base + "/snapshots/s1/restore", "{\"force\": true}");
        assertThat(restore.status()).as("%s", restore).isEqualTo(200);
        JsonNode ended = pollUntilEnded(base, restore.json().get("id").asText());
        assertThat(ended.get("status").asText()).as("%s", ended).isEqualTo("terminated");
        assertThat(new String(participant.state().get("colour"), StandardCharsets.UTF_8)).isEqualTo("blue");
        assertThat(server.get(base + "/snapshot-status").json().get("status").asText()).isEqualTo("not-running");
        TestServer.Reply deleted = server.delete(base + "/snapshots/s1");
        assertThat(deleted.status()).isEqualTo(200);
        assertThat(deleted.json().get("id").asText()).isEqualTo("s1");
    }
}
