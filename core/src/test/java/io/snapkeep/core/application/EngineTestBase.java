package io.snapkeep.core.application;

import static org.assertj.core.api.Assertions.assertThat;

import io.snapkeep.core.Snapkeep;
import io.snapkeep.core.domain.CreateOptions;
import io.snapkeep.core.domain.EventQuery;
import io.snapkeep.core.domain.Execution;
import io.snapkeep.core.domain.ExecutionEvent;
import io.snapkeep.core.domain.ExecutionStatus;
import io.snapkeep.core.domain.RestoreOptions;
import io.snapkeep.core.domain.Snapshot;
import io.snapkeep.core.domain.SnapshotId;
import io.snapkeep.core.domain.StateCategory;
import io.snapkeep.core.port.in.CreateSnapshot.CreateCommand;
import io.snapkeep.core.port.in.RestoreSnapshot.RestoreCommand;
import io.snapkeep.core.port.out.StoreKey;
import io.snapkeep.core.testing.InMemoryArchiveStore;
import io.snapkeep.core.testing.InMemoryExecutionCatalog;
import io.snapkeep.core.testing.InMemoryExecutionEventLog;
import io.snapkeep.core.testing.InMemorySnapshotCatalog;
import io.snapkeep.core.testing.MapParticipant;
import io.snapkeep.core.testing.Poll;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** Snapkeep on in-memory ports with two map participants: what the engine tests share. */
abstract class EngineTestBase {
    static final Duration WAIT = Duration.ofSeconds(30);

    InMemoryArchiveStore store;
    InMemorySnapshotCatalog snapshots;
    InMemoryExecutionCatalog executions;
    InMemoryExecutionEventLog events;
    MapParticipant resources;
    MapParticipant credentials;
    Snapkeep snapkeep;

    @BeforeEach
    void setUpEngine() {
        store = new InMemoryArchiveStore();
        snapshots = new InMemorySnapshotCatalog();
        executions = new InMemoryExecutionCatalog();
        events = new InMemoryExecutionEventLog();
        resources = new MapParticipant("resources", StateCategory.STATE)
                .with("a.txt", "alpha").with("dir/b.json", "{\"b\": 1}");
        credentials = new MapParticipant("credentials", StateCategory.CREDENTIALS).with("key", "secret");
        snapkeep = newSnapkeep().start();
    }

    Snapkeep newSnapkeep() {
        return Snapkeep.builder().archiveStore(store).snapshotCatalog(snapshots).executionCatalog(executions)
                .eventLog(events).participant(resources).participant(credentials)
                .clock(new io.snapkeep.core.testing.TickingClock(java.time.Instant.parse("2026-11-28T12:00:00Z")))
                .build();
    }

    @AfterEach
    void closeEngine() {
        snapkeep.close();
    }

    Execution create(String id) {
        return snapkeep.create(new CreateCommand(SnapshotId.of(id), CreateOptions.DEFAULTS, "admin"));
    }

    Execution create(String id, CreateOptions options) {
        return snapkeep.create(new CreateCommand(SnapshotId.of(id), options, "admin"));
    }

    Execution restore(String id, boolean force) {
        return snapkeep.restore(new RestoreCommand(SnapshotId.of(id),
                new RestoreOptions(force, true, false, false, false, null, false), "admin"));
    }

    Execution awaitEnd(Execution e) {
        return Poll.until(() -> snapkeep.getExecution(e.id()), x -> x.status().isEnd(), WAIT);
    }

    Execution createAndWait(String id) {
        Execution done = awaitEnd(create(id));
        assertThat(done.status()).as("create of %s: %s", id, done.error()).isEqualTo(ExecutionStatus.TERMINATED);
        return done;
    }

    Snapshot snapshot(String id) {
        return snapkeep.getSnapshot(SnapshotId.of(id));
    }

    /** A Cloudify snapshot: a zip with a metadata.json of its own and no manifest. */
    static byte[] foreignArchive() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry("metadata.json"));
            zip.write("{\"snapshot_version\": \"7.0.0\"}".getBytes(StandardCharsets.UTF_8));
            zip.putNextEntry(new ZipEntry("snapshot/db.dump"));
            zip.write("tables".getBytes(StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }

    List<ExecutionEvent> eventsOf(Execution e) {
        return snapkeep.events(EventQuery.all(e.id())).items();
    }

    byte[] archiveBytes(String id) throws IOException {
        try (InputStream in = store.open(new StoreKey(id))) {
            return in.readAllBytes();
        }
    }
}
