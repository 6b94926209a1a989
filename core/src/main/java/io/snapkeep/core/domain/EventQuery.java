package io.snapkeep.core.domain;

import io.snapkeep.core.error.InvalidParameterException;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * A page of one execution's event log.
 *
 * @param kinds      which kinds to return; empty means both
 * @param from       inclusive lower bound on the timestamp, or null
 * @param to         inclusive upper bound on the timestamp, or null
 * @param descending newest first instead of oldest first
 */
public record EventQuery(ExecutionId executionId, Set<ExecutionEvent.Kind> kinds, Instant from, Instant to,
                         boolean descending, long offset, int size) {
    public EventQuery {
        Objects.requireNonNull(executionId, "executionId");
        kinds = kinds == null || kinds.isEmpty() ? EnumSet.allOf(ExecutionEvent.Kind.class) : EnumSet.copyOf(kinds);
        if (offset < 0 || size < 0) {
            throw new InvalidParameterException("`_offset` and `_size` must be non-negative integers");
        }
    }

    public static EventQuery all(ExecutionId id) {
        return new EventQuery(id, Set.of(), null, null, false, 0, ListQuery.DEFAULT_SIZE);
    }

    public boolean matches(ExecutionEvent e) {
        return e.executionId().equals(executionId) && kinds.contains(e.kind())
                && (from == null || !e.timestamp().isBefore(from))
                && (to == null || !e.timestamp().isAfter(to));
    }
}
