package io.snapkeep.core.port.out;

import static org.assertj.core.api.Assertions.assertThat;

import io.snapkeep.core.domain.EventQuery;
import io.snapkeep.core.domain.Execution;
import io.snapkeep.core.domain.ExecutionEvent;
import io.snapkeep.core.domain.ExecutionEvent.Kind;
import io.snapkeep.core.domain.ExecutionEvent.Level;
import io.snapkeep.core.domain.Page;
import io.snapkeep.core.domain.SnapshotId;
import io.snapkeep.core.domain.Workflow;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The promises every {@link ExecutionEventLog} keeps. An implementation's test extends this class and
 * returns a fresh, empty log from {@link #newLog()}.
 */
public abstract class ExecutionEventLogContract {

    protected abstract ExecutionEventLog newLog() throws Exception;

    protected ExecutionEventLog log;

    protected static final Instant T0 = Instant.parse("2026-11-28T12:00:00.123Z");

    @BeforeEach
    void createLog() throws Exception {
        log = newLog();
    }

    private static Execution execution(String snapshot) {
        return Execution.newExecution(Workflow.CREATE_SNAPSHOT, SnapshotId.of(snapshot), Map.of(), "admin", T0,
                false);
    }

    private static List<String> messages(Page<ExecutionEvent> page) {
        return page.items().stream().map(ExecutionEvent::message).toList();
    }

    @Test
    void events_read_back_as_appended_in_order() {
        Execution e = execution("s1");
        ExecutionEvent started = ExecutionEvent.event(e, T0, "workflow_started", "Starting");
        ExecutionEvent line = ExecutionEvent.log(e, T0.plusMillis(5), Level.INFO, "exported 3 entries: ünï");
        ExecutionEvent done = ExecutionEvent.event(e, T0.plusMillis(9), "workflow_succeeded", "done");
        log.append(started);
        log.append(line);
        log.append(done);
        Page<ExecutionEvent> page = log.read(EventQuery.all(e.id()));
        assertThat(page.items()).containsExactly(started, line, done);
        assertThat(page.total()).isEqualTo(3);
    }

    @Test
    void events_with_one_timestamp_keep_their_append_order() {
        Execution e = execution("s1");
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            log.append(ExecutionEvent.log(e, T0, Level.DEBUG, "line " + i));
            expected.add("line " + i);
        }
        assertThat(messages(log.read(EventQuery.all(e.id())))).containsExactlyElementsOf(expected);
        List<String> reversed = new ArrayList<>(expected);
        java.util.Collections.reverse(reversed);
        assertThat(messages(log.read(new EventQuery(e.id(), Set.of(), null, null, true, 0, 100))))
                .containsExactlyElementsOf(reversed);
    }

    @Test
    void reads_filter_by_execution_kind_and_time_and_page() {
        Execution a = execution("a");
        Execution b = execution("b");
        log.append(ExecutionEvent.event(a, T0, "workflow_started", "a0"));
        log.append(ExecutionEvent.event(b, T0, "workflow_started", "b0"));
        log.append(ExecutionEvent.log(a, T0.plusSeconds(1), Level.INFO, "a1"));
        log.append(ExecutionEvent.log(a, T0.plusSeconds(2), Level.WARNING, "a2"));
        log.append(ExecutionEvent.event(a, T0.plusSeconds(3), "workflow_succeeded", "a3"));

        assertThat(messages(log.read(EventQuery.all(a.id())))).containsExactly("a0", "a1", "a2", "a3");
        assertThat(messages(log.read(new EventQuery(a.id(), Set.of(Kind.EVENT), null, null, false, 0, 10))))
                .containsExactly("a0", "a3");
        assertThat(messages(log.read(new EventQuery(a.id(), Set.of(Kind.LOG), null, null, false, 0, 10))))
                .containsExactly("a1", "a2");
        assertThat(messages(log.read(new EventQuery(a.id(), Set.of(), T0.plusSeconds(1), T0.plusSeconds(2), false,
                0, 10)))).containsExactly("a1", "a2");
        Page<ExecutionEvent> page = log.read(new EventQuery(a.id(), Set.of(), null, null, false, 1, 2));
        assertThat(messages(page)).containsExactly("a1", "a2");
        assertThat(page.total()).isEqualTo(4);
        assertThat(messages(log.read(new EventQuery(a.id(), Set.of(), null, null, false, 4, 2)))).isEmpty();
    }

    @Test
    void an_unknown_execution_has_no_events() {
        Page<ExecutionEvent> page = log.read(EventQuery.all(execution("x").id()));
        assertThat(page.items()).isEmpty();
        assertThat(page.total()).isZero();
    }
}
