package io.snapkeep.core.port.in;

import io.snapkeep.core.domain.EventQuery;
import io.snapkeep.core.domain.Execution;
import io.snapkeep.core.domain.ExecutionEvent;
import io.snapkeep.core.domain.ExecutionField;
import io.snapkeep.core.domain.ExecutionId;
import io.snapkeep.core.domain.ListQuery;
import io.snapkeep.core.domain.Page;

/** Reads executions, their events, and whether a restore is running. */
public interface QueryExecutions {

    /** @throws io.snapkeep.core.error.NotFoundException no such execution */
    Execution getExecution(ExecutionId id);

    Page<Execution> listExecutions(ListQuery<ExecutionField> query);

    /** An execution's events; an unknown execution has none. */
    Page<ExecutionEvent> events(EventQuery query);

    /** Whether a {@code restore_snapshot} execution is running now (the {@code snapshot-status} answer). */
    boolean isRestoreRunning();
}
