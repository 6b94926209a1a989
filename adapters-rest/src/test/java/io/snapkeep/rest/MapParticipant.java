package io.snapkeep.rest;

import io.snapkeep.core.domain.StateCategory;
import io.snapkeep.core.port.out.StateParticipant;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** A participant whose state is a map of names to bytes: a stand-in for a host's state in the flow tests. */
final class MapParticipant implements StateParticipant {
    private volatile Map<String, byte[]> state = new TreeMap<>();

    synchronized void put(String name, byte[] content) {
        Map<String, byte[]> next = new TreeMap<>(state);
        next.put(name, content);
        state = next;
    }

    Map<String, byte[]> state() {
        return state;
    }

    @Override
    public String name() {
        return "settings";
    }

    @Override
    public StateCategory category() {
        return StateCategory.STATE;
    }

    @Override
    public boolean isEmpty() {
        return state.isEmpty();
    }

    @Override
    public void exportTo(ExportSink sink) throws IOException {
        for (Map.Entry<String, byte[]> e : state.entrySet()) {
            sink.addEntry(e.getKey(), e.getValue().length, new ByteArrayInputStream(e.getValue()));
        }
    }

    @Override
    public RestorePlan prepareRestore(EntrySource entries) throws IOException {
        Map<String, byte[]> staged = new TreeMap<>();
        for (Optional<Entry> e = entries.next(); e.isPresent(); e = entries.next()) {
            staged.put(e.get().path(), e.get().content().readAllBytes());
        }
        Map<String, byte[]> before = state;
        return new RestorePlan() {
            @Override
            public void commit() {
                state = staged;
            }

            @Override
            public void rollback() {
                state = before;
            }

            @Override
            public void release() {
            }
        };
    }
}
