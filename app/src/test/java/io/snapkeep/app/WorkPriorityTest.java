package io.snapkeep.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.snapkeep.core.support.BulkWork;
import io.snapkeep.core.support.DaemonThreads;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
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
        CompletableFuture<int[]> seen = new CompletableFuture<>();
        BulkWork.start("bulk-test", () -> {
            try {
                int bulk = WorkPriority.currentNice();
                CompletableFuture<Integer> child = new CompletableFuture<>();
                DaemonThreads.start("child-test", () -> {
                    try {
                        child.complete(WorkPriority.currentNice());
                    } catch (Exception e) {
                        child.completeExceptionally(e);
                    }
                });
                seen.complete(new int[] {bulk, child.get(30, TimeUnit.SECONDS)});
            } catch (Exception e) {
                seen.completeExceptionally(e);
            }
        });
        int[] nice = seen.get(30, TimeUnit.SECONDS);
        assertThat(nice[0]).as("the bulk thread").isEqualTo(7);
        assertThat(nice[1]).as("a thread the bulk thread made").isEqualTo(7);
        assertThat(WorkPriority.currentNice()).as("the thread that installed it").isEqualTo(before);
        assertThat(niceOfAPlainThread()).as("a thread that is not bulk work").isEqualTo(before);
    }

    @Test
    void zero_leaves_bulk_threads_at_the_priority_of_the_process() throws Exception {
        WorkPriority.install(0);
        CompletableFuture<Integer> seen = new CompletableFuture<>();
        BulkWork.start("bulk-test", () -> {
            try {
                seen.complete(WorkPriority.currentNice());
            } catch (Exception e) {
                seen.completeExceptionally(e);
            }
        });
        assertThat(seen.get(30, TimeUnit.SECONDS)).isEqualTo(before);
    }

    private static int niceOfAPlainThread() throws Exception {
        CompletableFuture<Integer> seen = new CompletableFuture<>();
        DaemonThreads.start("plain-test", () -> {
            try {
                seen.complete(WorkPriority.currentNice());
            } catch (Exception e) {
                seen.completeExceptionally(e);
            }
        });
        return seen.get(30, TimeUnit.SECONDS);
    }
}
