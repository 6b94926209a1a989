package io.snapkeep.core.application;

import static org.assertj.core.api.Assertions.assertThat;

import io.snapkeep.core.domain.ArchiveInfo;
import io.snapkeep.core.domain.CreateOptions;
import io.snapkeep.core.domain.Execution;
import io.snapkeep.core.domain.ExecutionStatus;
import io.snapkeep.core.domain.RestoreOptions;
import io.snapkeep.core.domain.Snapshot;
import io.snapkeep.core.domain.SnapshotId;
import io.snapkeep.core.domain.SnapshotStatus;
import io.snapkeep.core.domain.Workflow;
import io.snapkeep.core.port.out.ArchiveStore.StagedWrite;
import io.snapkeep.core.port.out.StoreKey;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A crash is simulated by writing into the ports exactly what a process would have left at each step,
 * then starting a new engine on them.
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
    void crash_after_the_archive_commit_but_before_the_row_update_removes_the_archive() throws Exception {
        creating("s1");
        executions.insert(execution(Workflow.CREATE_SNAPSHOT, "s1", false).started(T));
        commitArchive("s1");
        restart();
        assertThat(snapshot("s1").status()).isEqualTo(SnapshotStatus.FAILED);
        assertThat(store.inventory().archives().keySet()).isEmpty();
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
    void crash_during_an_upload_removes_row_and_bytes() throws Exception {
        snapshots.insert(Snapshot.uploading(SnapshotId.of("up"), "admin", T));
        commitArchive("up");
        restart();
        assertThat(snapshots.find(SnapshotId.of("up"))).isEmpty();
        assertThat(store.inventory().archives().keySet()).isEmpty();
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
    void archives_no_snapshot_owns_are_removed_and_owned_ones_kept() throws Exception {
        snapshots.insert(Snapshot.creating(SnapshotId.of("kept"), "admin", T).created(new ArchiveInfo(3, SHA)));
        commitArchive("kept");
        commitArchive("orphan");
        snapshots.insert(Snapshot.creating(SnapshotId.of("failed"), "admin", T).failed("x"));
        commitArchive("failed");
        restart();
        assertThat(store.inventory().archives().keySet()).containsExactly(new StoreKey("kept"));
    }

    @Test
    void queued_executions_survive_and_run_after_recovery() {
        creating("q1");
        Execution queued = execution(Workflow.CREATE_SNAPSHOT, "q1", true);
        executions.insert(queued);
        creating("s0");
        executions.insert(execution(Workflow.CREATE_SNAPSHOT, "s0", false).started(T));
        restart();
        Execution done = awaitEnd(queued);
        assertThat(done.status()).as(done.error()).isEqualTo(ExecutionStatus.TERMINATED);
        assertThat(snapshot("q1").status()).isEqualTo(SnapshotStatus.CREATED);
        assertThat(snapshot("s0").status()).isEqualTo(SnapshotStatus.FAILED);
        assertThat(List.of(snapshot("q1").archive())).doesNotContainNull();
    }
}
