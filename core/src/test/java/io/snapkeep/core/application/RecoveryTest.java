package io.snapkeep.core.application;

import static org.assertj.core.api.Assertions.assertThat;

import io.snapkeep.core.application.archive.ArchiveMetadata;
import io.snapkeep.core.application.archive.ArchiveObserver;
import io.snapkeep.core.application.archive.ArchiveWriter;
import io.snapkeep.core.application.archive.RecordCodec;
import io.snapkeep.core.application.archive.SnapshotRecord;
import io.snapkeep.core.domain.ArchiveInfo;
import io.snapkeep.core.domain.CreateOptions;
import io.snapkeep.core.domain.Execution;
import io.snapkeep.core.domain.ExecutionEvent;
import io.snapkeep.core.domain.ExecutionStatus;
import io.snapkeep.core.domain.RestoreOptions;
import io.snapkeep.core.domain.Snapshot;
import io.snapkeep.core.domain.SnapshotId;
import io.snapkeep.core.domain.SnapshotStatus;
import io.snapkeep.core.domain.StateCategory;
import io.snapkeep.core.domain.Workflow;
import io.snapkeep.core.port.out.ArchiveStore.StagedWrite;
import io.snapkeep.core.port.out.StoreKey;
import java.io.ByteArrayInputStream;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A crash is simulated by writing into the ports exactly what a process would have left at each step,
 * then starting a new engine on them. Start-up never deletes an archive: what was committed is completed or
 * imported, what cannot be read is left where it is.
 */
class RecoveryTest extends EngineTestBase {
    private static final Instant T = Instant.parse("2026-11-28T12:00:00Z");
    private static final String SHA = "cd".repeat(32);

    private void restart() {
        snapkeep.close();
        snapkeep = newSnapkeep().start();
    }

    private Execution execution(Workflow workflow, String snapshot, boolean queued) {
        Map<String, Object> p = new LinkedHashMap<>(workflow == Workflow.CREATE_SNAPSHOT
                ? CreateOptions.DEFAULTS.asParameters() : RestoreOptions.DEFAULTS.asParameters());
        p.put("snapshot_id", snapshot);
        return Execution.newExecution(workflow, SnapshotId.of(snapshot), p, "admin", T, queued);
    }

    private void commitArchive(String key) throws Exception {
        try (StagedWrite w = store.beginWrite(new StoreKey(key))) {
            w.stream().write(new byte[] {1, 2, 3});
            w.commit();
        }
    }

    /** Commits a valid snapkeep archive under {@code key} as the create {@code executionId} of snapshot {@code key} writes it. */
    private ArchiveInfo commitSnapkeepArchive(String key, String executionId) throws Exception {
        return commitSnapkeepArchive(key, key, executionId);
    }

    /** Commits under {@code key} a valid snapkeep archive made by {@code executionId} as snapshot {@code madeAs}. */
    private ArchiveInfo commitSnapkeepArchive(String key, String madeAs, String executionId) throws Exception {
        try (StagedWrite w = store.beginWrite(new StoreKey(key))) {
            ArchiveWriter writer = new ArchiveWriter(w.stream(), ArchiveObserver.NONE);
            writer.writeMetadata(new ArchiveMetadata(ArchiveMetadata.FORMAT, ArchiveMetadata.CURRENT_VERSION, madeAs,
                    executionId, T, Map.of(), List.of(new ArchiveMetadata.ParticipantInfo("resources",
                    StateCategory.STATE))));
            writer.participantSink("resources").addEntry("a.txt", 5, new ByteArrayInputStream("alpha".getBytes()));
            ArchiveInfo info = writer.finish().archive();
            w.commit();
            return info;
        }
    }

    private void writeRecord(Snapshot complete, String format) {
        store.writeRecord(StoreKey.of(complete.id()), RecordCodec.encode(SnapshotRecord.of(complete, format)));
    }

    private SnapshotRecord record(String id) {
        return RecordCodec.decode(store.readRecord(new StoreKey(id)).orElseThrow());
    }

    private Snapshot creating(String id) {
        Snapshot s = Snapshot.creating(SnapshotId.of(id), "admin", T);
        snapshots.insert(s);
        return s;
    }

    @Test
    void crash_after_the_create_started_fails_execution_and_snapshot() {
        creating("s1");
        Execution e = execution(Workflow.CREATE_SNAPSHOT, "s1", false).started(T);
        executions.insert(e);
        restart();
        Execution after = snapkeep.getExecution(e.id());
        assertThat(after.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(after.error()).isEqualTo("interrupted by a restart");
        assertThat(snapshot("s1").status()).isEqualTo(SnapshotStatus.FAILED);
        assertThat(snapshot("s1").error()).isEqualTo("interrupted by a restart");
        assertThat(eventsOf(after).get(eventsOf(after).size() - 1).eventType()).isEqualTo("workflow_failed");
    }

    @Test
    void a_create_whose_archive_was_committed_before_its_record_is_completed_at_start_up() throws Exception {
        Snapshot row = creating("s1");
        Execution e = execution(Workflow.CREATE_SNAPSHOT, "s1", false).started(T);
        executions.insert(e);
        ArchiveInfo committed = commitSnapkeepArchive("s1", e.id().value());
        restart();
        Snapshot after = snapshot("s1");
        assertThat(after.status()).isEqualTo(SnapshotStatus.CREATED);
        assertThat(after.archive()).isEqualTo(committed);
        assertThat(after.createdAt()).isEqualTo(row.createdAt());
        assertThat(record("s1").toSnapshot()).isEqualTo(after);
        assertThat(record("s1").archiveFormat()).isEqualTo("snapkeep/1");
        Execution ended = snapkeep.getExecution(e.id());
        assertThat(ended.status()).isEqualTo(ExecutionStatus.TERMINATED);
        assertThat(ended.error()).isEmpty();
        List<ExecutionEvent> log = eventsOf(ended);
        assertThat(log.get(log.size() - 2).message()).contains("completed at start-up");
        assertThat(log.get(log.size() - 1).eventType()).isEqualTo("workflow_succeeded");
        assertThat(store.inventory().archives().keySet()).containsExactly(new StoreKey("s1"));
    }

    @Test
    void a_create_whose_record_was_written_before_its_row_changed_is_completed_from_the_record() throws Exception {
        Snapshot row = creating("s1");
        Execution e = execution(Workflow.CREATE_SNAPSHOT, "s1", false).started(T);
        executions.insert(e);
        ArchiveInfo committed = commitSnapkeepArchive("s1", e.id().value());
        writeRecord(row.created(committed), "snapkeep/1");
        restart();
        assertThat(snapshot("s1")).isEqualTo(row.created(committed));
        assertThat(snapkeep.getExecution(e.id()).status()).isEqualTo(ExecutionStatus.TERMINATED);
    }

    @Test
    void a_create_whose_row_was_created_before_its_execution_ended_ends_terminated() throws Exception {
        Snapshot row = creating("s1");
        Execution e = execution(Workflow.CREATE_SNAPSHOT, "s1", false).started(T);
        executions.insert(e);
        ArchiveInfo committed = commitSnapkeepArchive("s1", e.id().value());
        writeRecord(row.created(committed), "snapkeep/1");
        snapshots.update(SnapshotStatus.CREATING, row.created(committed));
        restart();
        assertThat(snapshot("s1")).isEqualTo(row.created(committed));
        Execution ended = snapkeep.getExecution(e.id());
        assertThat(ended.status()).isEqualTo(ExecutionStatus.TERMINATED);
        assertThat(eventsOf(ended).get(eventsOf(ended).size() - 1).eventType()).isEqualTo("workflow_succeeded");
    }

    @Test
    void an_archive_under_an_interrupted_creates_key_that_is_not_its_own_fails_the_create_and_stays() throws Exception {
        creating("s1");
        Execution e = execution(Workflow.CREATE_SNAPSHOT, "s1", false).started(T);
        executions.insert(e);
        commitArchive("s1"); // three bytes: no archive at all
        restart();
        assertThat(snapshot("s1").status()).isEqualTo(SnapshotStatus.FAILED);
        assertThat(snapshot("s1").error()).isEqualTo("interrupted by a restart");
        assertThat(snapkeep.getExecution(e.id()).status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(archiveBytes("s1")).containsExactly(1, 2, 3);

        creating("s2");
        Execution other = execution(Workflow.CREATE_SNAPSHOT, "s2", false).started(T);
        executions.insert(other);
        commitSnapkeepArchive("s2", "another-execution");
        restart();
        assertThat(snapshot("s2").status()).as("an archive another create wrote").isEqualTo(SnapshotStatus.FAILED);
        assertThat(store.stat(new StoreKey("s2"))).isPresent();
    }

    @Test
    @org.junit.jupiter.api.Timeout(30)
    void recovery_ends_even_when_its_changes_lose_to_another_process() {
        creating("s1");
        Execution e = execution(Workflow.CREATE_SNAPSHOT, "s1", false).started(T);
        io.snapkeep.core.testing.InMemoryExecutionCatalog refusing = new io.snapkeep.core.testing.InMemoryExecutionCatalog() {
            @Override
            public synchronized boolean update(ExecutionStatus expected, Execution updated) {
                return false; // another process always got there first
            }
        };
        refusing.insert(e);
        executions = refusing;
        restart();
        assertThat(snapkeep.getExecution(e.id()).status()).isEqualTo(ExecutionStatus.STARTED);
        assertThat(snapshot("s1").status()).isEqualTo(SnapshotStatus.FAILED);
    }

    @Test
    void crash_before_the_execution_started_fails_it() {
        creating("s1");
        Execution e = execution(Workflow.CREATE_SNAPSHOT, "s1", false);
        executions.insert(e);
        restart();
        assertThat(snapkeep.getExecution(e.id()).status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(snapshot("s1").status()).isEqualTo(SnapshotStatus.FAILED);
    }

    @Test
    void crash_between_the_snapshot_row_and_its_execution_fails_the_snapshot() {
        creating("s1");
        restart();
        assertThat(snapshot("s1").status()).isEqualTo(SnapshotStatus.FAILED);
        assertThat(snapshot("s1").error()).isEqualTo("interrupted by a restart");
    }

    @Test
    void crash_during_a_cancel_fails_the_execution() {
        creating("s1");
        Execution e = execution(Workflow.CREATE_SNAPSHOT, "s1", false).started(T).cancelling();
        executions.insert(e);
        restart();
        assertThat(snapkeep.getExecution(e.id()).status()).isEqualTo(ExecutionStatus.FAILED);
    }

    @Test
    void crash_during_an_upload_before_its_commit_removes_the_row() throws Exception {
        snapshots.insert(Snapshot.uploading(SnapshotId.of("up"), "admin", T));
        restart();
        assertThat(snapshots.find(SnapshotId.of("up"))).isEmpty();
        assertThat(store.inventory().archives().keySet()).isEmpty();
    }

    @Test
    void crash_during_an_upload_that_committed_unreadable_bytes_removes_the_row_and_leaves_the_bytes() throws Exception {
        snapshots.insert(Snapshot.uploading(SnapshotId.of("up"), "admin", T));
        commitArchive("up");
        restart();
        assertThat(snapshots.find(SnapshotId.of("up"))).isEmpty();
        assertThat(archiveBytes("up")).as("never deleted").containsExactly(1, 2, 3);
    }

    @Test
    void an_upload_committed_and_recorded_before_the_crash_becomes_uploaded() throws Exception {
        Snapshot row = Snapshot.uploading(SnapshotId.of("up"), "bob", T);
        snapshots.insert(row);
        ArchiveInfo committed = commitSnapkeepArchive("up", "somewhere-else");
        writeRecord(row.uploaded(committed), "snapkeep/1");
        restart();
        assertThat(snapshot("up")).isEqualTo(row.uploaded(committed));
    }

    @Test
    void an_upload_committed_without_its_record_is_imported_with_the_rows_creator_and_time() throws Exception {
        Snapshot row = Snapshot.uploading(SnapshotId.of("up"), "bob", T);
        snapshots.insert(row);
        ArchiveInfo committed = commitSnapkeepArchive("up", "made-elsewhere", "somewhere-else");
        restart();
        assertThat(snapshot("up")).isEqualTo(row.uploaded(committed));
        assertThat(record("up").toSnapshot()).isEqualTo(row.uploaded(committed));
    }

    @Test
    void participants_recover_first_and_hear_whether_a_restore_was_cut_off() throws Exception {
        assertThat(resources.recoveries).containsExactly(false);
        snapshots.insert(Snapshot.creating(SnapshotId.of("s1"), "admin", T).created(new ArchiveInfo(3, SHA)));
        executions.insert(execution(Workflow.RESTORE_SNAPSHOT, "s1", false).started(T));
        restart();
        assertThat(resources.recoveries).containsExactly(false, true);
        assertThat(credentials.recoveries).containsExactly(false, true);
        restart();
        assertThat(resources.recoveries).as("the restore was failed by the previous recovery")
                .containsExactly(false, true, false);
    }

    @Test
    void crash_during_a_restore_fails_it_and_keeps_the_snapshot() throws Exception {
        snapshots.insert(Snapshot.creating(SnapshotId.of("s1"), "admin", T).created(new ArchiveInfo(3, SHA)));
        commitArchive("s1");
        Execution e = execution(Workflow.RESTORE_SNAPSHOT, "s1", false).started(T);
        executions.insert(e);
        restart();
        assertThat(snapkeep.getExecution(e.id()).status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(snapshot("s1").status()).isEqualTo(SnapshotStatus.CREATED);
        assertThat(store.inventory().archives().keySet()).containsExactly(new StoreKey("s1"));
    }

    @Test
    void no_archive_is_removed_whoever_owns_it() throws Exception {
        snapshots.insert(Snapshot.creating(SnapshotId.of("kept"), "admin", T).created(new ArchiveInfo(3, SHA)));
        commitArchive("kept");
        commitArchive("orphan");
        snapshots.insert(Snapshot.creating(SnapshotId.of("failed"), "admin", T).failed("x"));
        commitArchive("failed");
        restart();
        assertThat(store.inventory().archives().keySet())
                .containsExactlyInAnyOrder(new StoreKey("kept"), new StoreKey("orphan"), new StoreKey("failed"));
        assertThat(snapshot("kept").status()).isEqualTo(SnapshotStatus.CREATED);
        assertThat(snapshots.find(SnapshotId.of("orphan"))).as("not an archive: left alone, not listed").isEmpty();
        assertThat(snapshot("failed").error()).isEqualTo("x");
    }

    @Test
    void queued_executions_survive_and_run_after_recovery() {
        // The interrupted one first: while it holds the slot, the running engine cannot take the queued one
        // before the restart.
        creating("s0");
        executions.insert(execution(Workflow.CREATE_SNAPSHOT, "s0", false).started(T));
        creating("q1");
        Execution queued = execution(Workflow.CREATE_SNAPSHOT, "q1", true);
        executions.insert(queued);
        restart();
        Execution done = awaitEnd(queued);
        assertThat(done.status()).as(done.error()).isEqualTo(ExecutionStatus.TERMINATED);
        assertThat(snapshot("q1").status()).isEqualTo(SnapshotStatus.CREATED);
        assertThat(snapshot("s0").status()).isEqualTo(SnapshotStatus.FAILED);
        assertThat(List.of(snapshot("q1").archive())).doesNotContainNull();
    }
}
