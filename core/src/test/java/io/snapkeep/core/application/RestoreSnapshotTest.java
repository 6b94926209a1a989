package io.snapkeep.core.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snapkeep.core.application.archive.ArchiveMetadata;
import io.snapkeep.core.application.archive.ArchiveObserver;
import io.snapkeep.core.application.archive.ArchiveWriter;
import io.snapkeep.core.domain.ArchiveInfo;
import io.snapkeep.core.domain.CreateOptions;
import io.snapkeep.core.domain.Execution;
import io.snapkeep.core.domain.ExecutionEvent;
import io.snapkeep.core.domain.ExecutionStatus;
import io.snapkeep.core.domain.Snapshot;
import io.snapkeep.core.domain.SnapshotId;
import io.snapkeep.core.domain.StateCategory;
import io.snapkeep.core.domain.Workflow;
import io.snapkeep.core.error.NotFoundException;
import io.snapkeep.core.error.SnapshotActionException;
import io.snapkeep.core.port.out.ArchiveStore.StagedWrite;
import io.snapkeep.core.port.out.StoreKey;
import io.snapkeep.core.testing.Poll;
import java.io.ByteArrayInputStream;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RestoreSnapshotTest extends EngineTestBase {

    @Test
    void restore_with_force_replaces_changed_state_with_the_snapshot() {
        createAndWait("s1");
        Map<String, String> original = resources.text();
        resources.clear().with("new.txt", "changed");
        credentials.clear();

        Execution done = awaitEnd(restore("s1", true));
        assertThat(done.workflow()).isEqualTo(Workflow.RESTORE_SNAPSHOT);
        assertThat(done.status()).as(done.error()).isEqualTo(ExecutionStatus.TERMINATED);
        assertThat(resources.text()).isEqualTo(original);
        assertThat(credentials.text()).containsEntry("key", "secret");
        assertThat(snapshot("s1").status().wireName()).as("the snapshot stays listed").isEqualTo("created");
        List<ExecutionEvent> log = eventsOf(done);
        assertThat(log.get(0).eventType()).isEqualTo("workflow_started");
        assertThat(log.get(log.size() - 1).message()).isEqualTo("'restore_snapshot' workflow execution succeeded");
    }

    @Test
    void restore_over_non_empty_state_without_force_fails_and_changes_nothing() {
        createAndWait("s1");
        resources.clear().with("other", "state");
        Execution done = awaitEnd(restore("s1", false));
        assertThat(done.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(done.error()).contains("not empty").contains("`resources`").contains("force");
        assertThat(resources.text()).containsOnlyKeys("other");
    }

    @Test
    void restore_onto_empty_state_needs_no_force() {
        createAndWait("s1");
        resources.clear();
        credentials.clear();
        assertThat(awaitEnd(restore("s1", false)).status()).isEqualTo(ExecutionStatus.TERMINATED);
        assertThat(resources.text()).containsKeys("a.txt", "dir/b.json");
    }

    @Test
    void a_participant_absent_from_the_archive_is_left_as_it_is() {
        awaitEnd(create("nocreds", new CreateOptions(false, false, true, true, false)));
        credentials.clear().with("key", "rotated");
        Execution done = awaitEnd(restore("nocreds", true));
        assertThat(done.status()).isEqualTo(ExecutionStatus.TERMINATED);
        assertThat(credentials.text()).containsEntry("key", "rotated");
        assertThat(eventsOf(done)).anyMatch(e -> e.level() == ExecutionEvent.Level.WARNING
                && e.message().contains("`credentials`"));
    }

    @Test
    void when_the_second_participant_fails_to_stage_the_first_is_untouched() {
        createAndWait("s1");
        resources.clear().with("live", "1");
        credentials.clear().with("live", "2");
        credentials.failAt = "prepare";
        Execution done = awaitEnd(restore("s1", true));
        assertThat(done.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(done.error()).contains("participant `credentials` failed at prepare");
        assertThat(resources.text()).containsOnlyKeys("live");
        assertThat(credentials.text()).containsOnlyKeys("live");
    }

    @Test
    void when_the_second_participant_fails_to_commit_the_first_is_rolled_back() {
        createAndWait("s1");
        resources.clear().with("live", "1");
        credentials.clear().with("live", "2");
        credentials.failAt = "commit";
        Execution done = awaitEnd(restore("s1", true));
        assertThat(done.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(resources.text()).containsOnlyKeys("live");
        assertThat(credentials.text()).containsOnlyKeys("live");
    }

    @Test
    void a_cancelled_restore_rolls_back() throws Exception {
        createAndWait("s1");
        resources.clear().with("live", "1");
        credentials.clear().with("live", "2");
        resources.pause = new CountDownLatch(1);
        Execution e = restore("s1", true);
        assertThat(resources.paused.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(snapkeep.isRestoreRunning()).isTrue();
        assertThat(snapkeep.cancel(e.id(), false).status()).isEqualTo(ExecutionStatus.CANCELLING);
        resources.pause.countDown();
        Execution done = awaitEnd(e);
        assertThat(done.status()).isEqualTo(ExecutionStatus.CANCELLED);
        assertThat(resources.text()).containsOnlyKeys("live");
        assertThat(credentials.text()).containsOnlyKeys("live");
        Poll.until(snapkeep::isRestoreRunning, running -> !running, WAIT);
        List<ExecutionEvent> log = eventsOf(done);
        assertThat(log.get(log.size() - 1).eventType()).isEqualTo("workflow_cancelled");
    }

    @Test
    void a_snapshot_of_a_newer_format_version_fails_with_a_clear_error() throws Exception {
        try (StagedWrite w = store.beginWrite(new StoreKey("future"))) {
            ArchiveWriter writer = new ArchiveWriter(w.stream(), ArchiveObserver.NONE);
            writer.writeMetadata(new ArchiveMetadata(ArchiveMetadata.FORMAT, ArchiveMetadata.CURRENT_VERSION + 1,
                    "future", null, Instant.now(), Map.of(),
                    List.of(new ArchiveMetadata.ParticipantInfo("resources", StateCategory.STATE))));
            writer.participantSink("resources").addEntry("x", 1, new ByteArrayInputStream(new byte[] {1}));
            ArchiveInfo info = writer.finish().archive();
            w.commit();
            snapshots.insert(Snapshot.uploading(SnapshotId.of("future"), "admin", Instant.now()).uploaded(info));
        }
        resources.clear();
        credentials.clear();
        Execution done = awaitEnd(restore("future", true));
        assertThat(done.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(done.error()).contains("version").contains(String.valueOf(ArchiveMetadata.CURRENT_VERSION + 1));
        assertThat(resources.text()).isEmpty();
    }

    @Test
    void restore_refuses_missing_failed_and_unfinished_snapshots_at_once() throws Exception {
        assertThatThrownBy(() -> restore("missing", true)).isInstanceOf(NotFoundException.class);
        resources.failAt = "export";
        awaitEnd(create("broken"));
        assertThatThrownBy(() -> restore("broken", true)).isInstanceOf(SnapshotActionException.class)
                .hasMessage("Failed snapshot cannot be restored");
        resources.failAt = null;
        resources.pause = new CountDownLatch(1);
        Execution running = create("busy");
        assertThat(resources.paused.await(30, TimeUnit.SECONDS)).isTrue();
        assertThatThrownBy(() -> restore("busy", true)).isInstanceOf(SnapshotActionException.class)
                .hasMessageContaining("creating");
        resources.pause.countDown();
        awaitEnd(running);
    }
}
