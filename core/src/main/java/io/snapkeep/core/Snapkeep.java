package io.snapkeep.core;

import io.snapkeep.core.application.SnapkeepBuilder;
import io.snapkeep.core.port.in.Reconcile;
import io.snapkeep.core.port.in.SnapshotPolicies;
import io.snapkeep.core.port.in.SnapshotService;

/**
 * Snapkeep, assembled from its ports: the one entry point for hosts that embed it. Every use case of
 * {@link SnapshotService}, plus starting and stopping.
 *
 * <pre>{@code
 * Snapkeep snapkeep = Snapkeep.builder()
 *         .archiveStore(store)
 *         .snapshotCatalog(snapshots).executionCatalog(executions).eventLog(events)
 *         .participant(myState)
 *         .build();
 * snapkeep.start();   // recovers from a crash, then runs executions
 * ...
 * snapkeep.close();   // stops; an interrupted execution ends failed
 * }</pre>
 */
public interface Snapkeep extends SnapshotService, Reconcile, AutoCloseable {

    /** Collects the ports to build a Snapkeep from. */
    static SnapkeepBuilder builder() {
        return new SnapkeepBuilder();
    }

    /**
     * Snapshot policies: schedules, retention and scheduled verification. Without a policy catalog and a cron
     * reader given to the builder, every call of it fails with a {@code NOT_FOUND} that says so.
     */
    SnapshotPolicies policies();

    /** Recovers what a previous process left unfinished, then starts running executions. Call once. */
    Snapkeep start();

    /**
     * The first step of an orderly stop: no policy starts anything more, a running create or restore is
     * interrupted (it ends failed, "interrupted by a shutdown") and no queued one starts; uploads, downloads and
     * queries keep working until {@link #close()}. A host calls it as soon as it decides to stop, so that work
     * which will not finish anyway does not run through the time it gives its requests. Idempotent.
     */
    void stopExecutions();

    /** Stops: {@link #stopExecutions()}, then everything else this Snapkeep runs. */
    @Override
    void close();
}
