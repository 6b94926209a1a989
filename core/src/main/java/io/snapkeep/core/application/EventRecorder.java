package io.snapkeep.core.application;

import io.snapkeep.core.domain.Execution;
import io.snapkeep.core.domain.ExecutionEvent;
import io.snapkeep.core.domain.ExecutionEvent.Level;
import io.snapkeep.core.port.out.ExecutionEventLog;
import java.time.Clock;

/** Writes an execution's events with the messages Cloudify clients expect. */
final class EventRecorder {
    private final ExecutionEventLog log;
    private final Clock clock;

    EventRecorder(ExecutionEventLog log, Clock clock) {
        this.log = log;
        this.clock = clock;
    }

    void started(Execution e) {
        log.append(ExecutionEvent.event(e, clock.instant(), "workflow_started",
                "Starting '" + e.workflow().wireName() + "' workflow execution"));
    }

    void succeeded(Execution e) {
        log.append(ExecutionEvent.event(e, clock.instant(), "workflow_succeeded",
                "'" + e.workflow().wireName() + "' workflow execution succeeded"));
    }

    void failed(Execution e, String reason) {
        log.append(ExecutionEvent.event(e, clock.instant(), "workflow_failed",
                "'" + e.workflow().wireName() + "' workflow execution failed: " + reason));
    }

    void cancelled(Execution e) {
        log.append(ExecutionEvent.event(e, clock.instant(), "workflow_cancelled",
                "'" + e.workflow().wireName() + "' workflow execution cancelled"));
    }

    void info(Execution e, String message) {
        log.append(ExecutionEvent.log(e, clock.instant(), Level.INFO, message));
    }

    void warning(Execution e, String message) {
        log.append(ExecutionEvent.log(e, clock.instant(), Level.WARNING, message));
    }
}
