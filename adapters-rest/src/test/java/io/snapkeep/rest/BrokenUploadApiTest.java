package io.snapkeep.rest;

import static org.assertj.core.api.Assertions.assertThat;

import io.snapkeep.core.Snapkeep;
import io.snapkeep.core.domain.Execution;
import io.snapkeep.core.domain.ExecutionStatus;
import io.snapkeep.core.domain.SnapshotId;
import io.snapkeep.core.port.in.CreateSnapshot;
import io.snapkeep.core.port.in.DownloadSnapshot;
import io.snapkeep.core.port.out.StoreKey;
import io.snapkeep.core.testing.InMemoryArchiveStore;
import io.snapkeep.core.testing.InMemoryExecutionCatalog;
import io.snapkeep.core.testing.InMemoryExecutionEventLog;
import io.snapkeep.core.testing.InMemorySnapshotCatalog;
import io.snapkeep.core.testing.LogCapture;
import io.snapkeep.core.testing.Poll;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * A client that goes away in the middle of an upload: one WARN line with the snapshot's id and the bytes
 * received, from the engine, and nothing else logged; no row and no bytes are left.
 */
class BrokenUploadApiTest {
    private final InMemoryArchiveStore store = new InMemoryArchiveStore();
    private final InMemorySnapshotCatalog snapshots = new InMemorySnapshotCatalog();
    private Snapkeep snapkeep;
    private TestServer server;

    private byte[] archive;

    @BeforeEach
    void start() throws Exception {
        MapParticipant participant = new MapParticipant();
        participant.put("big.bin", Wire.archive(600_000, 41));
        snapkeep = Snapkeep.builder().archiveStore(store).snapshotCatalog(snapshots)
                .executionCatalog(new InMemoryExecutionCatalog()).eventLog(new InMemoryExecutionEventLog())
                .participant(participant).build().start();
        server = new TestServer(snapkeep, RestSettings.DEFAULTS);
        Execution create = snapkeep.create(new CreateSnapshot.CreateCommand(SnapshotId.of("src"), null, "admin"));
        Poll.until(() -> snapkeep.getExecution(create.id()).status(), ExecutionStatus::isEnd, Duration.ofSeconds(20));
        DownloadSnapshot.Download d = snapkeep.download(SnapshotId.of("src"));
        try (InputStream in = d.open(0, d.size())) {
            archive = in.readAllBytes();
        }
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        snapkeep.close();
    }

    @EachVersion
    void aClientThatGoesAwayMidUploadIsOneWarningWithTheIdAndTheBytesReceived(String base) throws Exception {
        byte[] start = Arrays.copyOf(archive, 300_000);
        PrintStream original = System.err;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try (LogCapture engine = LogCapture.of("io.snapkeep"); LogCapture jersey = LogCapture.of("org.glassfish")) {
            System.setErr(new PrintStream(printed, true, StandardCharsets.UTF_8));
            try (Socket socket = new Socket("127.0.0.1", server.port)) {
                OutputStream out = socket.getOutputStream();
                out.write(("PUT " + base + "/snapshots/cut/archive HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: "
                        + TestUsers.ADMIN + "\r\nContent-Type: application/octet-stream\r\nContent-Length: 1000000\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.write(start);
                out.flush();
                // Wait until the engine holds the bytes sent, then go away without the rest.
                Poll.until(() -> snapshots.find(SnapshotId.of("cut")).isPresent(), b -> b,
                        Duration.ofSeconds(20));
                socket.setSoLinger(true, 0); // a reset, as a client that dies sends
            }
            List<LogCapture.Line> warnings = Poll.until(() -> engine.at(System.Logger.Level.WARNING),
                    w -> !w.isEmpty(), Duration.ofSeconds(20));
            Poll.until(() -> snapshots.find(SnapshotId.of("cut")).isEmpty(), b -> b,
                    Duration.ofSeconds(20));
            assertThat(warnings).singleElement().satisfies(l -> assertThat(l.message()).contains("`cut`")
                    .containsPattern("after \\d+ bytes received").contains("connection"));
            long received = Long.parseLong(warnings.get(0).message().replaceAll(".*after (\\d+) bytes received.*", "$1"));
            assertThat(received).isPositive().isLessThanOrEqualTo(start.length);
            assertThat(engine.at(System.Logger.Level.ERROR)).isEmpty();
            assertThat(jersey.lines()).as("Jersey says nothing").isEmpty();
        } finally {
            System.setErr(original);
            original.print(printed.toString(StandardCharsets.UTF_8));
        }
        assertThat(printed.toString(StandardCharsets.UTF_8)).as("nothing from the adapter or the container")
                .doesNotContain("ERROR").doesNotContain("WARN").doesNotContainIgnoringCase("incident");
        assertThat(store.inventory().archives().keySet()).containsExactly(new StoreKey("src"));
        assertThat(store.openWrites()).isZero();
    }
}
