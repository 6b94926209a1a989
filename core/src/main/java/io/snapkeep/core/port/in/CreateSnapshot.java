package io.snapkeep.core.port.in;

import io.snapkeep.core.domain.CreateOptions;
import io.snapkeep.core.domain.Execution;
import io.snapkeep.core.domain.SnapshotId;
import java.util.Objects;

/** Starts a {@code create_snapshot} execution. */
public interface CreateSnapshot {

    /**
     * Reserves the id as a {@code creating} snapshot and starts (or queues) its execution.
     *
     * @return the new execution, {@code pending} or {@code queued}
     * @throws io.snapkeep.core.error.AlreadyExistsException     the id exists, in any status
     * @throws io.snapkeep.core.error.RunningExecutionException  another execution is active and the options
     *                                                           do not ask to queue; no snapshot is left
     */
    Execution create(CreateCommand command);

    record CreateCommand(SnapshotId id, CreateOptions options, String requestedBy) {
        public CreateCommand {
            Objects.requireNonNull(id, "id");
            options = options == null ? CreateOptions.DEFAULTS : options;
            Objects.requireNonNull(requestedBy, "requestedBy");
        }
    }
}
