package io.snapkeep.core.application;

import io.snapkeep.core.application.archive.ArchiveObserver;
import io.snapkeep.core.domain.ExecutionId;
import io.snapkeep.core.domain.Progress;
import io.snapkeep.core.port.out.ExecutionCatalog;
import java.util.concurrent.TimeUnit;

/**
 * Counts entries and bytes as an archive is written or read, stores the figures at most a few times a
 * second (the catalog is not a hot path), and checks for cancellation at every step.
 */
final class ProgressTracker implements ArchiveObserver {
    private static final long STORE_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

    private final ExecutionCatalog executions;
    private final ExecutionId id;
    private final Cancellation cancellation;
    private Progress progress = Progress.NONE;
    private long lastStored = System.nanoTime();

    ProgressTracker(ExecutionCatalog executions, ExecutionId id, Cancellation cancellation) {
        this.executions = executions;
        this.id = id;
        this.cancellation = cancellation;
    }

    void planned(long totalEntries) {
        progress = progress.withTotal(totalEntries);
        store();
    }

    @Override
    public void entryDone(String path, long bytes) {
        cancellation.check();
        progress = progress.plusEntry(0);
        maybeStore();
    }

    @Override
    public void copied(long bytes) {
        cancellation.check();
        progress = new Progress(progress.totalOperations(), progress.finishedOperations(), progress.bytes() + bytes);
        maybeStore();
    }

    Progress progress() {
        return progress;
    }

    /** Stores the final figures, whatever the interval. */
    void store() {
        executions.updateProgress(id, progress);
        lastStored = System.nanoTime();
    }

    private void maybeStore() {
        if (System.nanoTime() - lastStored >= STORE_INTERVAL_NANOS) {
            store();
        }
    }
}
