package io.snapkeep.core.port.in;

import io.snapkeep.core.domain.SnapshotId;
import java.util.List;

/**
 * Brings the catalog in line with the archive store, which is the record of every completed snapshot. Runs at
 * every start and on demand. It never deletes an archive or a record.
 *
 * <p>On a started Snapkeep it compares catalog and store and leaves live work alone (snapshots being created
 * or uploaded, executions, staged writes). On one that was built but not started (a command run while no
 * server uses these ports) it does what {@code start()} does before running anything: participants recover
 * (not in a dry run), every unfinished execution is taken as interrupted, interrupted creates whose archive
 * was committed are completed, and staged writes are removed. A dry run cannot try the previous release's
 * copy of an archive without moving it, so it reports such rows as missing; and it counts no staged writes.
 */
public interface Reconcile {

    /**
     * Compares the catalog with the store and, unless {@code dryRun}, acts on what differs.
     *
     * @return what was done (or, in a dry run, what would be done)
     */
    ReconcileReport reconcile(boolean dryRun);

    /**
     * What reconciliation did or would do.
     *
     * @param imported       complete archives the catalog did not know, listed again from their records
     * @param completed      snapshots whose archive was committed when the process stopped, now complete
     * @param missing        catalog rows whose archive is not in the store, now {@code failed}
     * @param damaged        snapshots whose archive at rest differs from its record, now {@code failed}
     * @param adopted        archives of the previous release's layout moved into the current one
     * @param stagedRemoved  staged writes removed from the store's staging area
     * @param catalogRebuilt the catalog was empty and was rebuilt from the store
     * @param dryRun         nothing was changed
     */
    record ReconcileReport(List<SnapshotId> imported, List<SnapshotId> completed, List<SnapshotId> missing,
                           List<SnapshotId> damaged, List<SnapshotId> adopted, int stagedRemoved,
                           boolean catalogRebuilt, boolean dryRun) {
        public ReconcileReport {
            imported = List.copyOf(imported);
            completed = List.copyOf(completed);
            missing = List.copyOf(missing);
            damaged = List.copyOf(damaged);
            adopted = List.copyOf(adopted);
        }

        /** Whether the catalog and the store agreed already: nothing to do. */
        public boolean inAgreement() {
            return imported.isEmpty() && completed.isEmpty() && missing.isEmpty() && damaged.isEmpty()
                    && adopted.isEmpty() && stagedRemoved == 0;
        }
    }
}
