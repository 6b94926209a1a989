package io.snapkeep.core.port.in;

import io.snapkeep.core.domain.Execution;
import io.snapkeep.core.domain.ExecutionId;

/** Asks a running or waiting execution to stop. */
public interface CancelExecution {

    /**
     * Moves the execution to {@code cancelling} (or {@code force_cancelling}); it ends {@code cancelled}
     * once the workflow has stopped and cleaned up (a cancelled restore rolls back).
     *
     * @return the execution in its new status
     * @throws io.snapkeep.core.error.NotFoundException       no such execution
     * @throws io.snapkeep.core.error.IllegalActionException  it is not {@code pending}, {@code queued} or
     *                                                        {@code started}
     */
    Execution cancel(ExecutionId id, boolean force);
}
