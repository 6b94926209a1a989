package io.snapkeep.core.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snapkeep.core.domain.CreateOptions;
import io.snapkeep.core.domain.Execution;
import io.snapkeep.core.domain.ExecutionEvent;
import io.snapkeep.core.domain.ExecutionId;
import io.snapkeep.core.domain.ExecutionStatus;
import io.snapkeep.core.domain.Snapshot;
import io.snapkeep.core.domain.SnapshotStatus;
import io.snapkeep.core.error.IllegalActionException;
import io.snapkeep.core.error.NotFoundException;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class CancelExecutionTest extends EngineTestBase {

    @Test
    void a_cancelled_create_leaves_a_failed_snapshot_and_no_archive() throws Exception {
        resources.pause = new CountDownLatch(1);
        Execution e = create("s1");
        assertThat(resources.paused.await(30, TimeUnit.SECONDS)).isTrue();
        Execution cancelling = snapkeep.cancel(e.id(), false);
        assertThat(cancelling.status()).isEqualTo(ExecutionStatus.CANCELLING);
        resources.pause.countDown();

        Execution done = awaitEnd(e);
        assertThat(done.status()).isEqualTo(ExecutionStatus.CANCELLED);
        Snapshot s = snapshot("s1");
        assertThat(s.status()).isEqualTo(SnapshotStatus.FAILED);
        assertThat(s.error()).isEqualTo("cancelled");
        assertThat(store.inventory().archives().keySet()).isEmpty();
        assertThat(store.openWrites()).isZero();
        List<ExecutionEvent> log = eventsOf(done);
        assertThat(log.get(log.size() - 1).eventType()).isEqualTo("workflow_cancelled");
    }

    @Test
    void force_cancel_ends_cancelled_too() throws Exception {
        resources.pause = new CountDownLatch(1);
        Execution e = create("s1");
        assertThat(resources.paused.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(snapkeep.cancel(e.id(), true).status()).isEqualTo(ExecutionStatus.FORCE_CANCELLING);
        resources.pause.countDown();
        assertThat(awaitEnd(e).status()).isEqualTo(ExecutionStatus.CANCELLED);
    }

    @Test
    void a_queued_execution_is_cancelled_at_once_and_the_queue_moves_on() throws Exception {
        resources.pause = new CountDownLatch(1);
        Execution first = create("s1");
        assertThat(resources.paused.await(30, TimeUnit.SECONDS)).isTrue();
        CreateOptions queue = new CreateOptions(true, false, true, true, true);
        Execution second = create("s2", queue);
        Execution third = create("s3", queue);
        snapkeep.cancel(second.id(), false);
        assertThat(snapkeep.getExecution(second.id()).status()).isEqualTo(ExecutionStatus.CANCELLED);
        assertThat(snapshot("s2").status()).isEqualTo(SnapshotStatus.FAILED);
        resources.pause.countDown();
        assertThat(awaitEnd(first).status()).isEqualTo(ExecutionStatus.TERMINATED);
        assertThat(awaitEnd(third).status()).isEqualTo(ExecutionStatus.TERMINATED);
        assertThat(snapkeep.getExecution(second.id()).startedAt()).isNull();
    }

    @Test
    void an_ended_execution_cannot_be_cancelled() {
        Execution done = awaitEnd(create("s1"));
        assertThatThrownBy(() -> snapkeep.cancel(done.id(), false)).isInstanceOf(IllegalActionException.class)
                .hasMessage("Can't cancel execution " + done.id() + " because it's in status terminated");
        assertThatThrownBy(() -> snapkeep.cancel(ExecutionId.random(), false)).isInstanceOf(NotFoundException.class);
    }

    @Test
    void closing_during_a_create_fails_it_and_keeps_no_archive() throws Exception {
        resources.pause = new CountDownLatch(1);
        Execution e = create("s1");
        assertThat(resources.paused.await(30, TimeUnit.SECONDS)).isTrue();
        Thread closer = new Thread(snapkeep::close);
        closer.start();
        // Once the closer waits for the worker, the stop has been requested.
        io.snapkeep.core.testing.Poll.until(closer::getState, s -> s == Thread.State.TIMED_WAITING, WAIT);
        resources.pause.countDown();
        closer.join(30_000);
        Execution done = executions.find(e.id()).orElseThrow();
        assertThat(done.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(done.error()).isEqualTo("interrupted by a shutdown");
        assertThat(snapshot("s1").status()).isEqualTo(SnapshotStatus.FAILED);
        assertThat(store.inventory().archives().keySet()).isEmpty();
    }

    @Test
    void stopping_executions_interrupts_a_create_and_starts_no_queued_one_while_reads_still_work() throws Exception {
        Execution done = awaitEnd(create("s0"));
        resources.pause = new CountDownLatch(1);
        Execution running = create("s1");
        assertThat(resources.paused.await(30, TimeUnit.SECONDS)).isTrue();
        Execution queued = snapkeep.create(new io.snapkeep.core.port.in.CreateSnapshot.CreateCommand(
                io.snapkeep.core.domain.SnapshotId.of("s2"),
                new io.snapkeep.core.domain.CreateOptions(true, false, true, true, true), "admin"));
        Thread stopper = new Thread(snapkeep::stopExecutions);
        stopper.start();
        io.snapkeep.core.testing.Poll.until(stopper::getState, s -> s == Thread.State.TIMED_WAITING, WAIT);
        resources.pause.countDown();
        stopper.join(30_000);
        assertThat(executions.find(running.id()).orElseThrow().error()).isEqualTo("interrupted by a shutdown");
        assertThat(executions.find(queued.id()).orElseThrow().startedAt()).as("the queued create never ran").isNull();
        // Reads and downloads keep working until close.
        assertThat(snapkeep.getExecution(done.id()).status()).isEqualTo(ExecutionStatus.TERMINATED);
        try (var in = snapkeep.download(io.snapkeep.core.domain.SnapshotId.of("s0")).open(0, Long.MAX_VALUE)) {
            assertThat(in.readAllBytes()).isNotEmpty();
        }
    }
}
