package io.snapkeep.core.application;

import io.snapkeep.core.support.DaemonThreads;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * What a node of a cluster does on its own while it runs, each on a thread of its own so that a slow one never
 * delays another: it looks for cancels, sent through other nodes, of what it runs (every
 * {@link ExecutionLifecycle#CANCEL_WATCH_PERIOD} ms), and for work that nodes which stopped responding left
 * unfinished (seven times per lease length, so that such work is taken over soon after the lease ran out).
 */
final class ClusterDuties {
    private static final System.Logger LOG = System.getLogger(ClusterDuties.class.getName());

    private final ScheduledExecutorService threads =
            new ScheduledThreadPoolExecutor(2, DaemonThreads.named("snapkeep-cluster"));

    ClusterDuties(ExecutionLifecycle lifecycle, Runnable takeOver, Duration leaseTtl) {
        long sweepPeriod = Math.max(100, leaseTtl.toMillis() / 7);
        threads.scheduleWithFixedDelay(guarded("the watch for cancels", lifecycle::watchForCancels),
                ExecutionLifecycle.CANCEL_WATCH_PERIOD, ExecutionLifecycle.CANCEL_WATCH_PERIOD, TimeUnit.MILLISECONDS);
        threads.scheduleWithFixedDelay(guarded("the take-over of dead nodes' work", takeOver),
                sweepPeriod, sweepPeriod, TimeUnit.MILLISECONDS);
    }

    /** A failure (the catalog away for a moment) is logged; the next round tries again. */
    private static Runnable guarded(String what, Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, what + " failed (" + e.getMessage() + "); it runs again shortly", e);
            }
        };
    }

    void stop() {
        threads.shutdownNow();
        try {
            threads.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
