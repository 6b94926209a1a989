package io.snapkeep.core.testing;

import io.snapkeep.core.domain.EventQuery;
import io.snapkeep.core.domain.ExecutionEvent;
import io.snapkeep.core.domain.Page;
import io.snapkeep.core.port.out.ExecutionEventLog;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** An {@link ExecutionEventLog} in a list. */
public class InMemoryExecutionEventLog implements ExecutionEventLog {
    private final List<ExecutionEvent> events = new ArrayList<>();

    @Override
    public synchronized void append(ExecutionEvent event) {
        events.add(event);
    }

    @Override
    public synchronized Page<ExecutionEvent> read(EventQuery query) {
        // A stable sort keeps append order among equal timestamps.
        Comparator<ExecutionEvent> byTime = Comparator.comparing(ExecutionEvent::timestamp);
        List<ExecutionEvent> matches = new ArrayList<>(events.stream().filter(query::matches).sorted(byTime).toList());
        if (query.descending()) {
            java.util.Collections.reverse(matches);
        }
        List<ExecutionEvent> items = matches.stream().skip(query.offset()).limit(query.size()).toList();
        return new Page<>(items, matches.size(), query.offset(), query.size());
    }
}
