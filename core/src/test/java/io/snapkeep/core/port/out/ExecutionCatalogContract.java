package io.snapkeep.core.port.out;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snapkeep.core.domain.CreateOptions;
import io.snapkeep.core.domain.Execution;
import io.snapkeep.core.domain.ExecutionField;
import io.snapkeep.core.domain.ExecutionId;
import io.snapkeep.core.domain.ExecutionStatus;
import io.snapkeep.core.domain.ListQuery;
import io.snapkeep.core.domain.Page;
import io.snapkeep.core.domain.Progress;
import io.snapkeep.core.domain.RestoreOptions;
import io.snapkeep.core.domain.SnapshotId;
import io.snapkeep.core.domain.Sort;
import io.snapkeep.core.domain.Workflow;
import io.snapkeep.core.error.AlreadyExistsException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The promises every {@link ExecutionCatalog} keeps. An implementation's test extends this class and
 * returns a fresh, empty catalog from {@link #newCatalog()}.
 */
public abstract class ExecutionCatalogContract {

    protected abstract ExecutionCatalog newCatalog() throws Exception;

    protected ExecutionCatalog catalog;

    protected static final Instant T0 = Instant.parse("2026-11-28T12:00:00.123Z");

    @BeforeEach
    void createCatalog() throws Exception {
        catalog = newCatalog();
    }

    protected static Execution create(String snapshot, int secondsAfterT0, boolean queued) {
        Map<String, Object> params = new LinkedHashMap<>(CreateOptions.DEFAULTS.asParameters());
        params.put("snapshot_id", snapshot);
        return Execution.newExecution(Workflow.CREATE_SNAPSHOT, SnapshotId.of(snapshot), params, "admin",
                T0.plusSeconds(secondsAfterT0), queued);
    }

    protected static Execution restore(String snapshot, int secondsAfterT0) {
        Map<String, Object> params = new LinkedHashMap<>(RestoreOptions.DEFAULTS.asParameters());
        params.put("snapshot_id", snapshot);
        return Execution.newExecution(Workflow.RESTORE_SNAPSHOT, SnapshotId.of(snapshot), params, "admin",
                T0.plusSeconds(secondsAfterT0), false);
    }

    private Execution ended(Execution e) {
        return e.started(T0.plusSeconds(100)).terminated(T0.plusSeconds(101));
    }

    @Test
    void an_inserted_execution_is_found_as_written() {
        Execution e = create("s1", 0, false);
        catalog.insert(e);
        assertThat(catalog.find(e.id())).contains(e);
        assertThat(catalog.find(ExecutionId.random())).isEmpty();
    }

    @Test
    void every_status_field_and_parameter_round_trips() {
        Execution r = restore("s2", 1);
        assertThat(r.parameters()).containsEntry("tenant_name", null);
        Execution failed = r.started(T0.plusSeconds(2)).progressed(new Progress(10, 4, 1L << 40))
                .failed("participant `x` failed: ünïcode", T0.plusSeconds(3));
        Execution cancelled = create("s3", 2, true).cancelling().cancelled(T0.plusSeconds(9));
        Execution forcing = create("s4", 3, false).forceCancelling();
        for (Execution e : List.of(failed, cancelled, forcing, ended(create("s5", 4, false)))) {
            catalog.insert(e);
        }
        assertThat(catalog.find(failed.id())).contains(failed);
        assertThat(catalog.find(cancelled.id())).contains(cancelled);
        assertThat(catalog.find(forcing.id())).contains(forcing);
    }

    @Test
    void a_second_insert_of_an_id_fails() {
        Execution e = create("s1", 0, false);
        catalog.insert(e);
        assertThatThrownBy(() -> catalog.insert(e)).isInstanceOf(AlreadyExistsException.class);
    }

    @Test
    void insert_if_none_active_refuses_while_any_execution_is_active() {
        Execution first = create("s1", 0, false);
        assertThat(catalog.insertIfNoneActive(first)).isTrue();
        Execution second = create("s2", 1, false);
        assertThat(catalog.insertIfNoneActive(second)).isFalse();
        assertThat(catalog.find(second.id())).isEmpty();

        catalog.update(ExecutionStatus.PENDING, ended(first));
        Execution queued = create("s3", 2, true);
        catalog.insert(queued);
        assertThat(catalog.insertIfNoneActive(second)).as("a queued execution keeps its turn").isFalse();

        catalog.update(ExecutionStatus.QUEUED, queued.cancelling().cancelled(T0.plusSeconds(3)));
        assertThat(catalog.insertIfNoneActive(second)).isTrue();
        assertThat(catalog.find(second.id())).contains(second);
    }

    @Test
    void of_concurrent_exclusive_inserts_exactly_one_wins() throws Exception {
        int racers = 8;
        ExecutorService pool = Executors.newFixedThreadPool(racers);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < racers; i++) {
                Execution e = create("race" + i, i, false);
                results.add(pool.submit(() -> {
                    start.await();
                    return catalog.insertIfNoneActive(e);
                }));
            }
            start.countDown();
            int wins = 0;
            for (Future<Boolean> f : results) {
                wins += f.get(30, TimeUnit.SECONDS) ? 1 : 0;
            }
            assertThat(wins).isEqualTo(1);
            assertThat(catalog.list(ListQuery.all()).total()).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void promote_moves_the_oldest_queued_execution_once_the_slot_is_free() {
        assertThat(catalog.promoteNextQueued("node-a")).isEmpty();
        Execution running = create("s1", 0, false).started(T0);
        catalog.insert(running);
        Execution q2 = create("s2", 2, true);
        Execution q1 = create("s3", 1, true);
        catalog.insert(q2);
        catalog.insert(q1);
        assertThat(catalog.promoteNextQueued("node-a")).as("the slot is held").isEmpty();

        catalog.update(ExecutionStatus.STARTED, running.terminated(T0.plusSeconds(5)));
        assertThat(catalog.promoteNextQueued("node-a")).contains(q1.promoted().claimedBy("node-a"));
        assertThat(catalog.find(q1.id())).map(Execution::status).contains(ExecutionStatus.PENDING);
        assertThat(catalog.promoteNextQueued("node-a")).as("the promoted one holds the slot").isEmpty();

        catalog.update(ExecutionStatus.PENDING, q1.promoted().claimedBy("node-a").failed("x", T0.plusSeconds(6)));
        assertThat(catalog.promoteNextQueued("node-a")).contains(q2.promoted().claimedBy("node-a"));
        assertThat(catalog.promoteNextQueued("node-a")).isEmpty();
    }

    @Test
    void the_promoted_execution_is_stamped_with_the_node_that_promoted_it() {
        Execution queued = create("s1", 0, true);
        catalog.insert(queued);
        assertThat(catalog.find(queued.id())).map(Execution::node).contains("");
        assertThat(catalog.promoteNextQueued("node-b")).map(Execution::node).contains("node-b");
        assertThat(catalog.find(queued.id())).contains(queued.promoted().claimedBy("node-b"));
    }

    @Test
    void the_node_round_trips_through_insert_and_update() {
        Execution claimed = create("s1", 0, false).claimedBy("node-a");
        catalog.insert(claimed);
        assertThat(catalog.find(claimed.id())).contains(claimed);
        Execution elsewhere = claimed.started(T0.plusSeconds(1)).claimedBy("node-c");
        assertThat(catalog.update(ExecutionStatus.PENDING, elsewhere)).isTrue();
        assertThat(catalog.find(claimed.id())).map(Execution::node).contains("node-c");

        Execution back = create("s2", 1, false).claimedBy("node-a");
        catalog.insert(back);
        assertThat(catalog.update(ExecutionStatus.PENDING, back.queued())).isTrue();
        assertThat(catalog.find(back.id())).map(Execution::node).contains("");
    }

    @Test
    void begin_finish_applies_once_and_only_to_a_started_execution() {
        Execution pending = create("s1", 0, false);
        catalog.insert(pending);
        assertThat(catalog.beginFinish(pending.id())).as("pending").isFalse();
        assertThat(catalog.beginFinish(ExecutionId.random())).as("missing").isFalse();
        Execution started = pending.started(T0.plusSeconds(1));
        catalog.update(ExecutionStatus.PENDING, started);
        assertThat(catalog.beginFinish(pending.id())).isTrue();
        assertThat(catalog.beginFinish(pending.id())).as("already finishing").isFalse();
        assertThat(catalog.find(pending.id())).as("the mark is not part of the execution").contains(started);
    }

    @Test
    void a_cancel_is_refused_once_the_execution_began_to_finish() {
        Execution started = create("s1", 0, false).started(T0);
        catalog.insert(started);
        assertThat(catalog.beginFinish(started.id())).isTrue();
        assertThat(catalog.update(ExecutionStatus.STARTED, started.cancelling())).isFalse();
        assertThat(catalog.update(ExecutionStatus.STARTED, started.forceCancelling())).isFalse();
        assertThat(catalog.find(started.id())).contains(started);
        Execution done = started.terminated(T0.plusSeconds(2));
        assertThat(catalog.update(ExecutionStatus.STARTED, done)).as("the finish itself applies").isTrue();
        assertThat(catalog.find(started.id())).contains(done);
    }

    @Test
    void begin_finish_is_refused_once_a_cancel_applied() {
        Execution started = create("s1", 0, false).started(T0);
        catalog.insert(started);
        assertThat(catalog.update(ExecutionStatus.STARTED, started.cancelling())).isTrue();
        assertThat(catalog.beginFinish(started.id())).isFalse();
        assertThat(catalog.find(started.id())).contains(started.cancelling());
    }

    @Test
    void any_update_but_a_cancel_clears_the_finishing_mark() {
        Execution started = create("s1", 0, false).started(T0);
        catalog.insert(started);
        assertThat(catalog.beginFinish(started.id())).isTrue();
        Execution progressed = started.progressed(new Progress(3, 3, 99));
        assertThat(catalog.update(ExecutionStatus.STARTED, progressed)).isTrue();
        assertThat(catalog.update(ExecutionStatus.STARTED, progressed.cancelling())).as("the mark is gone").isTrue();
        assertThat(catalog.find(started.id())).contains(progressed.cancelling());
    }

    @Test
    void of_a_finish_and_cancels_racing_on_one_execution_exactly_one_wins() throws Exception {
        int racers = 6;
        for (int round = 0; round < 4; round++) {
            Execution started = create("race" + round, round, false).started(T0);
            catalog.insert(started);
            ExecutorService pool = Executors.newFixedThreadPool(racers);
            CountDownLatch start = new CountDownLatch(1);
            try {
                List<Future<Boolean>> finishes = new ArrayList<>();
                List<Future<Boolean>> cancels = new ArrayList<>();
                for (int i = 0; i < racers; i++) {
                    boolean finish = i % 2 == round % 2;
                    Execution cancel = i % 3 == 0 ? started.forceCancelling() : started.cancelling();
                    (finish ? finishes : cancels).add(pool.submit(() -> {
                        start.await();
                        return finish ? catalog.beginFinish(started.id())
                                : catalog.update(ExecutionStatus.STARTED, cancel);
                    }));
                }
                start.countDown();
                int finishWins = 0;
                int cancelWins = 0;
                for (Future<Boolean> f : finishes) {
                    finishWins += f.get(30, TimeUnit.SECONDS) ? 1 : 0;
                }
                for (Future<Boolean> f : cancels) {
                    cancelWins += f.get(30, TimeUnit.SECONDS) ? 1 : 0;
                }
                assertThat(finishWins + cancelWins).as("round %d", round).isEqualTo(1);
                Execution after = catalog.find(started.id()).orElseThrow();
                if (finishWins == 1) {
                    assertThat(after).isEqualTo(started);
                    assertThat(catalog.update(ExecutionStatus.STARTED, started.cancelling())).isFalse();
                    assertThat(catalog.update(ExecutionStatus.STARTED, started.terminated(T0.plusSeconds(1))))
                            .isTrue();
                } else {
                    assertThat(after.status()).isIn(ExecutionStatus.CANCELLING, ExecutionStatus.FORCE_CANCELLING);
                    assertThat(catalog.update(after.status(), after.cancelled(T0.plusSeconds(1)))).isTrue();
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void update_is_a_compare_and_set_on_the_status() {
        Execution e = create("s1", 0, false);
        catalog.insert(e);
        Execution started = e.started(T0.plusSeconds(1));
        assertThat(catalog.update(ExecutionStatus.PENDING, started)).isTrue();
        assertThat(catalog.update(ExecutionStatus.PENDING, e.cancelling())).isFalse();
        assertThat(catalog.find(e.id())).contains(started);
        assertThat(catalog.update(ExecutionStatus.PENDING, create("s9", 0, false))).isFalse();
    }

    @Test
    void progress_is_recorded_while_active_and_dropped_after_the_end() {
        Execution e = create("s1", 0, false).started(T0);
        catalog.insert(e);
        assertThat(catalog.updateProgress(e.id(), new Progress(5, 2, 1234))).isTrue();
        assertThat(catalog.find(e.id())).map(Execution::progress).contains(new Progress(5, 2, 1234));
        Execution done = catalog.find(e.id()).orElseThrow().terminated(T0.plusSeconds(1));
        assertThat(catalog.update(ExecutionStatus.STARTED, done)).isTrue();
        assertThat(catalog.updateProgress(e.id(), new Progress(9, 9, 9))).isFalse();
        assertThat(catalog.find(e.id())).contains(done);
        assertThat(catalog.updateProgress(ExecutionId.random(), Progress.NONE)).isFalse();
    }

    @Test
    void every_progress_figure_is_kept_and_unknown_ones_stay_unknown() {
        Execution e = create("s1", 0, false).started(T0);
        catalog.insert(e);
        Progress writing = new Progress(257, 100, 400L << 20, Progress.Phases.WRITING, 1L << 30, 257,
                123_456_789, 5);
        assertThat(catalog.updateProgress(e.id(), writing)).isTrue();
        assertThat(catalog.find(e.id())).map(Execution::progress).contains(writing);
        Progress unknown = new Progress(0, 0, 1, Progress.Phases.RECEIVING, Progress.UNKNOWN, Progress.UNKNOWN,
                Progress.UNKNOWN, Progress.UNKNOWN);
        assertThat(catalog.updateProgress(e.id(), unknown)).isTrue();
        assertThat(catalog.find(e.id())).map(Execution::progress).contains(unknown);
        // A full update (the end) keeps them as well, and a list reads them alike.
        Execution done = e.progressed(writing.done()).terminated(T0.plusSeconds(1));
        assertThat(catalog.update(ExecutionStatus.STARTED, done)).isTrue();
        assertThat(catalog.find(e.id())).contains(done);
        assertThat(catalog.list(ListQuery.<ExecutionField>all()).items()).contains(done);
        Execution queued = create("s2", 1, true);
        catalog.insert(queued.progressed(writing));
        assertThat(catalog.find(queued.id())).map(Execution::progress).contains(writing);
    }

    @Test
    void the_active_execution_of_a_snapshot_is_the_oldest_one_not_ended() {
        catalog.insert(ended(create("a", 0, false)));
        assertThat(catalog.findActive(SnapshotId.of("a"))).as("an ended execution is not active").isEmpty();
        Execution running = restore("a", 3).started(T0.plusSeconds(3));
        Execution queuedForB = create("b", 1, true);
        catalog.insert(running);
        catalog.insert(queuedForB);
        assertThat(catalog.findActive(SnapshotId.of("a"))).contains(running);
        assertThat(catalog.findActive(SnapshotId.of("b"))).as("queued is active").contains(queuedForB);
        assertThat(catalog.findActive(SnapshotId.of("c"))).isEmpty();
        Execution older = create("a", 2, true);
        catalog.insert(older);
        assertThat(catalog.findActive(SnapshotId.of("a"))).contains(older);
    }

    @Test
    void a_queued_execution_is_found_by_workflow_and_snapshot() {
        catalog.insert(create("a", 0, true));
        catalog.insert(restore("b", 1));
        catalog.insert(create("c", 2, true).cancelling().cancelled(T0.plusSeconds(3)));
        assertThat(catalog.hasQueued(Workflow.CREATE_SNAPSHOT, SnapshotId.of("a"))).isTrue();
        assertThat(catalog.hasQueued(Workflow.RESTORE_SNAPSHOT, SnapshotId.of("a"))).isFalse();
        assertThat(catalog.hasQueued(Workflow.CREATE_SNAPSHOT, SnapshotId.of("b"))).isFalse();
        assertThat(catalog.hasQueued(Workflow.RESTORE_SNAPSHOT, SnapshotId.of("b")))
                .as("pending is past the queue").isFalse();
        assertThat(catalog.hasQueued(Workflow.CREATE_SNAPSHOT, SnapshotId.of("c")))
                .as("a cancelled one left the queue").isFalse();
    }

    @Test
    void the_executions_holding_the_slot_are_every_pending_started_or_cancelling_one() {
        assertThat(catalog.findHoldingSlot()).isEmpty();
        assertThat(catalog.isSlotHeldBy(Workflow.CREATE_SNAPSHOT)).isFalse();
        Execution pending = create("p", 3, false);
        Execution forcing = create("f", 4, false).forceCancelling();
        catalog.insert(create("q", 0, true));
        catalog.insert(ended(create("e", 1, false)));
        catalog.insert(create("x", 5, false).started(T0).failed("x", T0.plusSeconds(6)));
        catalog.insert(forcing);
        catalog.insert(pending);
        assertThat(catalog.findHoldingSlot()).containsExactly(pending, forcing);
        assertThat(catalog.isSlotHeldBy(Workflow.CREATE_SNAPSHOT)).isTrue();
        assertThat(catalog.isSlotHeldBy(Workflow.RESTORE_SNAPSHOT)).isFalse();

        Execution cancelling = restore("r", 2).started(T0.plusSeconds(2)).cancelling();
        catalog.insert(cancelling);
        assertThat(catalog.findHoldingSlot()).containsExactly(cancelling, pending, forcing);
        assertThat(catalog.isSlotHeldBy(Workflow.RESTORE_SNAPSHOT)).isTrue();
    }

    private static List<String> snapshots(Page<Execution> page) {
        return page.items().stream().map(e -> e.snapshotId().value()).toList();
    }

    @Test
    void lists_filter_sort_and_page() {
        catalog.insert(ended(create("a", 3, false)));
        catalog.insert(ended(restore("a", 4)));
        catalog.insert(create("b", 1, false).started(T0.plusSeconds(1)).failed("x", T0.plusSeconds(2)));
        catalog.insert(create("c", 2, true));

        assertThat(snapshots(catalog.list(ListQuery.all()))).containsExactly("b", "c", "a", "a");
        assertThat(snapshots(catalog.list(ListQuery.<ExecutionField>all()
                .withFilter(ExecutionField.WORKFLOW_ID, "create_snapshot")
                .withFilter(ExecutionField.STATUS, "terminated", "queued")))).containsExactly("c", "a");
        Page<Execution> forA = catalog.list(ListQuery.<ExecutionField>all()
                .withFilter(ExecutionField.SNAPSHOT_ID, "a"));
        assertThat(forA.items()).extracting(Execution::workflow).extracting(w -> w.wireName())
                .containsExactly("create_snapshot", "restore_snapshot");
        assertThat(snapshots(catalog.list(ListQuery.<ExecutionField>all()
                .sortedBy(Sort.desc(ExecutionField.CREATED_AT)).page(1, 2)))).containsExactly("a", "c");
        assertThat(snapshots(catalog.list(ListQuery.<ExecutionField>all()
                .sortedBy(Sort.asc(ExecutionField.ENDED_AT))))).containsExactly("c", "b", "a", "a");
        Page<Execution> page = catalog.list(ListQuery.<ExecutionField>all().page(3, 10));
        assertThat(page.total()).isEqualTo(4);
        assertThat(page.items()).hasSize(1);
    }
}
