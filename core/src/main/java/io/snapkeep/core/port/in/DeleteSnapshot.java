package io.snapkeep.core.port.in;

import io.snapkeep.core.domain.Snapshot;
import io.snapkeep.core.domain.SnapshotId;

/** Removes a snapshot and its archive. */
public interface DeleteSnapshot {

    /**
     * @return the snapshot as it was before deletion
     * @throws io.snapkeep.core.error.NotFoundException        no such snapshot
     * @throws io.snapkeep.core.error.SnapshotActionException  an active execution targets it, or it is
     *                                                         still uploading
     */
    Snapshot delete(SnapshotId id);
}
