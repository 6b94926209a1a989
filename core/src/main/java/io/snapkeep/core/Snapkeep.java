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
     * reader given to the builder, every call of it fails with an {@code ILLEGAL_ACTION} that says so.
     */
    SnapshotPolicies policies();

    /** Recovers what a previous process left unfinished, then starts running executions. Call once. */
    Snapkeep start();

    /** Stops running executions; one that is running is interrupted and ends failed. */
    @Override
    void close();
}
