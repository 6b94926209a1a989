package io.snapkeep.core.application;

import static org.assertj.core.api.Assertions.assertThat;

import io.snapkeep.core.domain.Execution;
import io.snapkeep.core.domain.ExecutionId;
import io.snapkeep.core.domain.ExecutionStatus;
import io.snapkeep.core.testing.InMemoryExecutionCatalog;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Polling a running execution is answered from memory, and never shows what the catalog does not hold. */
class LiveExecutionsTest extends EngineTestBase {
    private final AtomicInteger reads = new AtomicInteger();

    @BeforeEach
    void countCatalogReads() {
        snapkeep.close();
        executions = new InMemoryExecutionCatalog() {
            @Override
            public synchronized Optional<Execution> find(ExecutionId id) {
                reads.incrementAndGet();
                return super.find(id);
            }
        };
        snapkeep = newSnapkeep().start();
    }

    @Test
    void a_running_execution_is_polled_without_a_catalog_read_and_shows_what_the_catalog_holds() throws Exception {
        resources.pause = new CountDownLatch(1);
        Execution e = create("s1");
        assertThat(resources.paused.await(30, TimeUnit.SECONDS)).isTrue();

        int before = reads.get();
        Execution polled = snapkeep.getExecution(e.id());
        for (int i = 0; i < 100; i++) {
            polled = snapkeep.getExecution(e.id());
        }
        assertThat(reads.get()).isEqualTo(before);
        assertThat(polled.status()).isEqualTo(ExecutionStatus.STARTED);
        assertThat(polled).isEqualTo(executions.find(e.id()).orElseThrow());
        resources.pause.countDown();
    }

    @Test
    void a_cancel_is_seen_at_once_and_the_end_comes_from_the_catalog() throws Exception {
        resources.pause = new CountDownLatch(1);
        Execution e = create("s1");
        assertThat(resources.paused.await(30, TimeUnit.SECONDS)).isTrue();
        snapkeep.cancel(e.id(), false);
        assertThat(snapkeep.getExecution(e.id()).status()).isEqualTo(ExecutionStatus.CANCELLING);
        assertThat(snapkeep.getExecution(e.id())).isEqualTo(executions.find(e.id()).orElseThrow());
        resources.pause.countDown();

        Execution done = awaitEnd(e);
        assertThat(done.status()).isEqualTo(ExecutionStatus.CANCELLED);
        int before = reads.get();
        assertThat(snapkeep.getExecution(e.id())).isEqualTo(done);
        assertThat(reads.get()).as("an ended execution is read from the catalog").isGreaterThan(before);
    }

    @Test
    void a_status_changed_in_the_catalog_by_another_node_is_served_once_the_cancel_watch_sees_it() throws Exception {
        resources.pause = new CountDownLatch(1);
        Execution e = create("s1");
        assertThat(resources.paused.await(30, TimeUnit.SECONDS)).isTrue();
        Execution running = snapkeep.getExecution(e.id());
        // What a cancel through another node does: a compare-and-set in the shared catalog only.
        assertThat(executions.update(ExecutionStatus.STARTED, running.cancelling())).isTrue();
        ((SnapshotEngine) snapkeep).lifecycle().watchForCancels();

        assertThat(snapkeep.getExecution(e.id()).status()).isEqualTo(ExecutionStatus.CANCELLING);
        resources.pause.countDown();
        assertThat(awaitEnd(e).status()).isEqualTo(ExecutionStatus.CANCELLED);
    }

    @Test
    void the_progress_a_poll_shows_is_the_progress_the_catalog_took() {
        Execution done = createAndWait("s1");
        assertThat(done.progress().finishedOperations()).isPositive();
        assertThat(snapkeep.getExecution(done.id())).isEqualTo(executions.find(done.id()).orElseThrow());
    }
}
