package io.snapkeep.core.domain;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * One line in an execution's event log: an event ({@code workflow_started}, {@code workflow_succeeded},
 * ...) or a log line with a level.
 *
 * @param eventType for {@link Kind#EVENT} only, else null
 * @param level     for {@link Kind#LOG} only, else null
 */
public record ExecutionEvent(ExecutionId executionId, Workflow workflow, Instant timestamp, Kind kind,
                             String eventType, Level level, String message) {

    public enum Kind {
        /** {@code cloudify_event} on the wire. */
        EVENT,
        /** {@code cloudify_log} on the wire. */
        LOG
    }

    public enum Level { DEBUG, INFO, WARNING, ERROR }

    public ExecutionEvent {
        Objects.requireNonNull(executionId, "executionId");
        Objects.requireNonNull(workflow, "workflow");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(message, "message");
        timestamp = Objects.requireNonNull(timestamp, "timestamp").truncatedTo(ChronoUnit.MILLIS);
        if ((kind == Kind.EVENT) != (eventType != null) || (kind == Kind.LOG) != (level != null)) {
            throw new IllegalArgumentException("an event has an event type, a log line has a level");
        }
    }

    public static ExecutionEvent event(Execution e, Instant at, String eventType, String message) {
        return new ExecutionEvent(e.id(), e.workflow(), at, Kind.EVENT, eventType, null, message);
    }

    public static ExecutionEvent log(Execution e, Instant at, Level level, String message) {
        return new ExecutionEvent(e.id(), e.workflow(), at, Kind.LOG, null, level, message);
    }
}
