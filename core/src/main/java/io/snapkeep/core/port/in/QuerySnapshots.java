package io.snapkeep.core.port.in;

import io.snapkeep.core.domain.ListQuery;
import io.snapkeep.core.domain.Page;
import io.snapkeep.core.domain.Snapshot;
import io.snapkeep.core.domain.SnapshotField;
import io.snapkeep.core.domain.SnapshotId;

/** Reads snapshots. */
public interface QuerySnapshots {

    /** @throws io.snapkeep.core.error.NotFoundException no such snapshot */
    Snapshot getSnapshot(SnapshotId id);

    Page<Snapshot> listSnapshots(ListQuery<SnapshotField> query);
}
