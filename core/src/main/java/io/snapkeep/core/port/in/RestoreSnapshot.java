package io.snapkeep.core.port.in;

import io.snapkeep.core.domain.Execution;
import io.snapkeep.core.domain.RestoreOptions;
import io.snapkeep.core.domain.SnapshotId;
import java.util.Objects;

/** Starts a {@code restore_snapshot} execution. */
public interface RestoreSnapshot {

    /**
     * Checks that the snapshot can be restored and starts (or queues) the execution. Problems found inside
     * the archive (newer format, damage, non-empty state without force) are not thrown: the execution
     * ends {@code failed} with the reason.
     *
     * @throws io.snapkeep.core.error.NotFoundException          no such snapshot
     * @throws io.snapkeep.core.error.SnapshotActionException    the snapshot failed or is not complete yet
     * @throws io.snapkeep.core.error.RunningExecutionException  another execution is active, no queueing
     */
    Execution restore(RestoreCommand command);

    record RestoreCommand(SnapshotId id, RestoreOptions options, String requestedBy) {
        public RestoreCommand {
            Objects.requireNonNull(id, "id");
            options = options == null ? RestoreOptions.DEFAULTS : options;
            Objects.requireNonNull(requestedBy, "requestedBy");
        }
    }
}
