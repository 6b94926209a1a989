package io.snapkeep.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.snapkeep.core.support.BulkWork;
import io.snapkeep.core.support.DaemonThreads;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Bulk threads run at the configured nice value; every other thread keeps the process's. */
class WorkPriorityTest {
    private int before;

    @BeforeEach
    void onLinux() throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/proc/thread-self")), "per-thread nice values are Linux's");
        before = WorkPriority.currentNice();
        assumeTrue(before < 7, "the test runs at a nice value below the one it sets");
    }

    @AfterEach
    void reset() {
        WorkPriority.install(0);
    }

    @Test
    void a_bulk_thread_runs_at_the_nice_value_and_what_it_starts_inherits_it() throws Exception {
        WorkPriority.install(7);
        CompletableFuture<Integer> child = new CompletableFuture<>();
        int bulk = niceOf(task -> BulkWork.start("bulk-test", () -> {
            DaemonThreads.start("child-test", niceInto(child));
            task.run();
        }));
        assertThat(bulk).as("the bulk thread").isEqualTo(7);
        assertThat(child.get(30, TimeUnit.SECONDS)).as("a thread the bulk thread made").isEqualTo(7);
        assertThat(WorkPriority.currentNice()).as("the thread that installed it").isEqualTo(before);
        assertThat(niceOf(task -> DaemonThreads.start("plain-test", task))).as("a thread that is not bulk work")
                .isEqualTo(before);
    }

    @Test
    void zero_leaves_bulk_threads_at_the_priority_of_the_process() throws Exception {
        WorkPriority.install(0);
        assertThat(niceOf(task -> BulkWork.start("bulk-test", task))).isEqualTo(before);
    }

    /** The nice value seen by the thread that {@code start} starts on the task it is given. */
    private static int niceOf(Consumer<Runnable> start) throws Exception {
        CompletableFuture<Integer> seen = new CompletableFuture<>();
        start.accept(niceInto(seen));
        return seen.get(30, TimeUnit.SECONDS);
    }

    /** A task that completes {@code seen} with the nice value of the thread that runs it. */
    private static Runnable niceInto(CompletableFuture<Integer> seen) {
        return () -> {
            try {
                seen.complete(WorkPriority.currentNice());
            } catch (Exception e) {
                seen.completeExceptionally(e);
            }
        };
    }
}
