package io.snapkeep.core.port.out;

import io.snapkeep.core.domain.EventQuery;
import io.snapkeep.core.domain.ExecutionEvent;
import io.snapkeep.core.domain.Page;

/**
 * Each execution's append-only log of events and log lines. Thread-safe. Failures of the database throw
 * {@code StorageUnavailableException}.
 */
public interface ExecutionEventLog {

    /**
     * Appends one event; durable when this returns, so a reader that runs afterwards sees it. Events of one
     * execution keep the order of their appends.
     */
    void append(ExecutionEvent event);

    /**
     * One page of an execution's events matching {@code query}, ordered by timestamp, then by order of
     * append (reversed when descending), with the total number of matches. An unknown execution has no
     * events: an empty page, not an error.
     */
    Page<ExecutionEvent> read(EventQuery query);
}
