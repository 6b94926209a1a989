package io.snapkeep.core.application;

import static org.assertj.core.api.Assertions.assertThat;

import io.snapkeep.core.Snapkeep;
import io.snapkeep.core.domain.CreateOptions;
import io.snapkeep.core.domain.Execution;
import io.snapkeep.core.domain.ExecutionStatus;
import io.snapkeep.core.domain.Snapshot;
import io.snapkeep.core.domain.SnapshotId;
import io.snapkeep.core.domain.SnapshotStatus;
import io.snapkeep.core.domain.StateCategory;
import io.snapkeep.core.domain.Workflow;
import io.snapkeep.core.error.AlreadyExistsException;
import io.snapkeep.core.port.in.CreateSnapshot.CreateCommand;
import io.snapkeep.core.port.in.UploadSnapshot.UploadCommand;
import io.snapkeep.core.port.out.NodeCatalog.NodeLease;
import io.snapkeep.core.port.out.StateParticipant;
import io.snapkeep.core.testing.InMemoryArchiveStore;
import io.snapkeep.core.testing.InMemoryExecutionCatalog;
import io.snapkeep.core.testing.InMemoryExecutionEventLog;
import io.snapkeep.core.testing.InMemoryNodeCatalog;
import io.snapkeep.core.testing.InMemorySnapshotCatalog;
import io.snapkeep.core.testing.MapParticipant;
import io.snapkeep.core.testing.Poll;
import io.snapkeep.core.testing.TickingClock;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Engines as nodes of one cluster, in one JVM: they share in-memory catalogs, store and node catalog. The
 * clock ticks a millisecond per reading, so a live engine's lease never runs out during a test; a node that
 * stopped responding is a lease that expired before the clock's start.
 */
class ClusterEngineTest {
    static final Duration WAIT = Duration.ofSeconds(20);
    static final Instant T0 = Instant.parse("2026-12-01T12:00:00Z");

    final InMemoryArchiveStore store = new InMemoryArchiveStore();
    final InMemorySnapshotCatalog snapshots = new InMemorySnapshotCatalog();
    final InMemoryExecutionCatalog executions = new InMemoryExecutionCatalog();
    final InMemoryExecutionEventLog events = new InMemoryExecutionEventLog();
    final InMemoryNodeCatalog nodes = new InMemoryNodeCatalog();
    final TickingClock clock = new TickingClock(T0);
    final List<Snapkeep> started = new ArrayList<>();

    @AfterEach
    void closeAll() {
        started.forEach(Snapkeep::close);
    }

    Snapkeep node(String id, StateParticipant... participants) {
        Snapkeep s = Snapkeep.builder().archiveStore(store).snapshotCatalog(snapshots).executionCatalog(executions)
                .eventLog(events).participants(List.of(participants)).clock(clock)
                .node(id).nodeCatalog(nodes).leaseTtl(Duration.ofSeconds(15)).build().start();
        started.add(s);
        return s;
    }

    static MapParticipant resources() {
        return new MapParticipant("resources", StateCategory.STATE).with("a.txt", "alpha");
    }

    static CreateCommand createOf(String id) {
        return new CreateCommand(SnapshotId.of(id), CreateOptions.DEFAULTS, "admin");
    }

    static Execution awaitEnd(Snapkeep on, Execution e) {
        return Poll.until(() -> on.getExecution(e.id()), x -> x.status().isEnd(), WAIT);
    }

    /** A node that stopped responding: its lease ran out before the test began. */
    void deadNode(String id) {
        nodes.join(new NodeLease(id, "gone", T0.minusSeconds(60), T0.minusSeconds(30)));
    }

    @Test
    void every_node_sees_one_state_and_an_execution_names_the_node_that_runs_it() {
        Snapkeep a = node("node-a", resources());
        Snapkeep b = node("node-b", resources());
        Execution e = a.create(createOf("s1"));
        assertThat(e.node()).isEqualTo("node-a");
        assertThat(awaitEnd(b, e).status()).isEqualTo(ExecutionStatus.TERMINATED);
        assertThat(b.getSnapshot(SnapshotId.of("s1")).status()).isEqualTo(SnapshotStatus.CREATED);
        assertThat(nodes.nodes()).extracting(NodeLease::node).containsExactly("node-a", "node-b");
    }

    @Test
    void a_cancel_sent_to_another_node_reaches_the_node_that_runs_the_execution() {
        Snapkeep a = node("node-a", new EndlessParticipant());
        Snapkeep b = node("node-b", new EndlessParticipant());
        Execution e = a.create(createOf("s1"));
        Poll.until(() -> b.getExecution(e.id()), x -> x.status() == ExecutionStatus.STARTED && x.progress().finishedOperations() > 0, WAIT);

        assertThat(b.cancel(e.id(), false).status()).isEqualTo(ExecutionStatus.CANCELLING);

        // The endless export only stops when node a notices the cancel in the catalog.
        Execution done = awaitEnd(b, e);
        assertThat(done.status()).isEqualTo(ExecutionStatus.CANCELLED);
        assertThat(b.getSnapshot(SnapshotId.of("s1")).error()).isEqualTo("cancelled");
        assertThat(store.openWrites()).isZero();
    }

    @Test
    void the_work_of_a_node_that_stopped_responding_is_failed_and_the_slot_freed() {
        deadNode("node-dead");
        Snapkeep b = node("node-b", resources());
        Execution orphan = Execution.newExecution(Workflow.CREATE_SNAPSHOT, SnapshotId.of("s1"),
                Map.of("snapshot_id", "s1"), "admin", T0, false).claimedBy("node-dead").started(T0);
        snapshots.insert(Snapshot.creating(SnapshotId.of("s1"), "admin", T0));
        executions.insert(orphan);

        Execution failed = awaitEnd(b, orphan);
        assertThat(failed.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(failed.error()).isEqualTo("node node-dead stopped responding");
        assertThat(b.getSnapshot(SnapshotId.of("s1")).error()).isEqualTo("node node-dead stopped responding");
        assertThat(awaitEnd(b, b.create(createOf("s2"))).status()).isEqualTo(ExecutionStatus.TERMINATED);
        // Once its work is taken over, the dead node's row goes: should it still run, its next renewal fails.
        Poll.until(nodes::nodes, list -> list.stream().noneMatch(l -> l.node().equals("node-dead")), WAIT);
        assertThat(nodes.renew("node-dead", "gone", T0.plusSeconds(60))).isFalse();
    }

    @Test
    void a_starting_node_leaves_a_live_nodes_execution_and_upload_alone() {
        nodes.join(new NodeLease("node-live", "i1", T0, T0.plus(Duration.ofDays(1))));
        assertThat(nodes.tryLock(Coordination.uploadClaim(SnapshotId.of("u1")), "node-live", "i1", T0)).isTrue();
        snapshots.insert(Snapshot.uploading(SnapshotId.of("u1"), "admin", T0));
        Execution running = Execution.newExecution(Workflow.CREATE_SNAPSHOT, SnapshotId.of("s1"),
                Map.of("snapshot_id", "s1"), "admin", T0, false).claimedBy("node-live").started(T0);
        snapshots.insert(Snapshot.creating(SnapshotId.of("s1"), "admin", T0));
        executions.insert(running);

        Snapkeep b = node("node-b", resources());

        assertThat(b.getSnapshot(SnapshotId.of("u1")).status()).isEqualTo(SnapshotStatus.UPLOADING);
        assertThat(b.getExecution(running.id()).status()).isEqualTo(ExecutionStatus.STARTED);
        assertThat(b.getSnapshot(SnapshotId.of("s1")).status()).isEqualTo(SnapshotStatus.CREATING);

        // Once that node's lease runs out, its work is taken over.
        nodes.join(new NodeLease("node-live", "i1", T0, T0.minusSeconds(1)));
        assertThat(awaitEnd(b, running).error()).isEqualTo("node node-live stopped responding");
        Poll.until(() -> snapshots.find(SnapshotId.of("u1")), java.util.Optional::isEmpty, WAIT);
    }

    @Test
    void a_restarted_node_settles_its_previous_lifes_work_at_once() {
        nodes.join(new NodeLease("node-c", "previous-life", T0, T0.plus(Duration.ofDays(1))));
        Execution interrupted = Execution.newExecution(Workflow.CREATE_SNAPSHOT, SnapshotId.of("s1"),
                Map.of("snapshot_id", "s1"), "admin", T0, false).claimedBy("node-c").started(T0);
        snapshots.insert(Snapshot.creating(SnapshotId.of("s1"), "admin", T0));
        executions.insert(interrupted);

        Snapkeep c = node("node-c", resources());

        assertThat(c.getExecution(interrupted.id()).error()).isEqualTo(ExecutionLifecycle.INTERRUPTED_BY_RESTART);
    }

    @Test
    void an_upload_of_an_id_that_another_node_uploads_is_refused_as_on_one_node() {
        nodes.join(new NodeLease("node-live", "i1", T0, T0.plus(Duration.ofDays(1))));
        assertThat(nodes.tryLock(Coordination.uploadClaim(SnapshotId.of("u1")), "node-live", "i1", T0)).isTrue();
        Snapkeep b = node("node-b", resources());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> b.upload(new UploadCommand(SnapshotId.of("u1"),
                        new ByteArrayInputStream(new byte[10]), "admin")))
                .isInstanceOf(AlreadyExistsException.class);
        assertThat(snapshots.find(SnapshotId.of("u1"))).isEmpty();
    }

    @Test
    void a_node_that_finds_its_lease_taken_over_stops_its_running_work_and_joins_again() {
        Snapkeep a = node("node-a", new EndlessParticipant());
        Execution e = a.create(createOf("s1"));
        Poll.until(() -> a.getExecution(e.id()), x -> x.status() == ExecutionStatus.STARTED, WAIT);

        // What another process under the same id, or a take-over after a missed renewal, leaves in the catalog.
        nodes.join(new NodeLease("node-a", "someone-else", T0, T0.plus(Duration.ofDays(1))));

        Execution failed = awaitEnd(a, e);
        assertThat(failed.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(failed.error()).isEqualTo("node node-a stopped responding");
        assertThat(store.openWrites()).isZero();
        Poll.until(() -> nodes.nodes().get(0).instance(), i -> !i.equals("someone-else"), WAIT);
    }

    /** Exports small entries until it is stopped: only a cancel the engine notices ends it. */
    static final class EndlessParticipant implements StateParticipant {
        @Override
        public String name() {
            return "endless";
        }

        @Override
        public StateCategory category() {
            return StateCategory.STATE;
        }

        @Override
        public boolean isEmpty() {
            return false;
        }

        @Override
        public void exportTo(ExportSink sink) throws IOException {
            for (int i = 0; i < 50_000_000; i++) {
                sink.addEntry("e/" + i, 1, new ByteArrayInputStream(new byte[] {1}));
            }
        }

        @Override
        public RestorePlan prepareRestore(EntrySource entries) {
            throw new UnsupportedOperationException("export only");
        }
    }
}
