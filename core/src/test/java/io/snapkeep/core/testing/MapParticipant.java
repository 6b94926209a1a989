package io.snapkeep.core.testing;

import io.snapkeep.core.domain.StateCategory;
import io.snapkeep.core.error.InvalidArchiveException;
import io.snapkeep.core.port.out.StateParticipant;
import io.snapkeep.core.support.Printable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A participant whose state is a map of entry path to bytes, with switches to make it fail or pause at
 * chosen steps: the test double for the engine's rules about participants. It keeps the port's promises
 * ({@code MapParticipantTest} runs the contract suite on it): a restore refuses an unsafe path or a path
 * twice as an invalid archive, and touches the live map only on commit and rollback.
 */
public class MapParticipant implements StateParticipant {
    private final String name;
    private final StateCategory category;
    private volatile Map<String, byte[]> state = new TreeMap<>();

    /** Where to fail: null for nowhere. */
    public volatile String failAt;
    /** When set, export and prepare wait on it after their first entry (so a test can act mid-way). */
    public volatile CountDownLatch pause;
    /** Counted down when a paused step has been reached. */
    public final CountDownLatch paused = new CountDownLatch(1);
    /** What each start-up recovery was told: whether a restore had been interrupted. */
    public final java.util.List<Boolean> recoveries = new java.util.concurrent.CopyOnWriteArrayList<>();

    public MapParticipant(String name, StateCategory category) {
        this.name = name;
        this.category = category;
    }

    public MapParticipant with(String path, String content) {
        Map<String, byte[]> next = new TreeMap<>(state);
        next.put(path, content.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        state = next;
        return this;
    }

    public MapParticipant with(String path, byte[] content) {
        Map<String, byte[]> next = new TreeMap<>(state);
        next.put(path, content);
        state = next;
        return this;
    }

    public MapParticipant clear() {
        state = new TreeMap<>();
        return this;
    }

    /** The live state, as text, for assertions. */
    public Map<String, String> text() {
        Map<String, String> out = new TreeMap<>();
        state.forEach((k, v) -> out.put(k, new String(v, java.nio.charset.StandardCharsets.UTF_8)));
        return out;
    }

    public Map<String, byte[]> bytes() {
        return state;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public StateCategory category() {
        return category;
    }

    @Override
    public boolean isEmpty() {
        return state.isEmpty();
    }

    @Override
    public void recover(boolean restoreInterrupted) {
        recoveries.add(restoreInterrupted);
    }

    @Override
    public long plannedEntries() {
        return state.size();
    }

    @Override
    public long plannedBytes() {
        return state.values().stream().mapToLong(v -> v.length).sum();
    }

    @Override
    public void exportTo(ExportSink sink) throws IOException {
        fail("export");
        boolean first = true;
        for (Map.Entry<String, byte[]> e : state.entrySet()) {
            if (first && e.getKey().startsWith("stream/")) {
                try (OutputStream out = sink.newEntry(e.getKey())) {
                    out.write(e.getValue());
                }
            } else {
                sink.addEntry(e.getKey(), e.getValue().length, new java.io.ByteArrayInputStream(e.getValue()));
            }
            if (first) {
                waitIfPaused();
                first = false;
            }
        }
        fail("export-end");
    }

    @Override
    public RestorePlan prepareRestore(EntrySource entries) throws IOException {
        fail("prepare");
        Map<String, byte[]> staged = new TreeMap<>();
        boolean first = true;
        for (Optional<Entry> e = entries.next(); e.isPresent(); e = entries.next()) {
            String path = checkedPath(e.get().path());
            if (staged.containsKey(path)) {
                throw new InvalidArchiveException("The archive holds `" + Printable.of(path) + "` of participant `"
                        + name + "` twice");
            }
            try (InputStream in = e.get().content()) {
                staged.put(path, in.readAllBytes());
            }
            if (first) {
                waitIfPaused();
                first = false;
            }
        }
        Map<String, byte[]> before = state;
        return new RestorePlan() {
            @Override
            public void commit() throws IOException {
                fail("commit");
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

    /** Refuses what no participant may take: absolute, empty, {@code .} or {@code ..} segments, backslash, NUL. */
    private String checkedPath(String path) {
        boolean bad = path.isEmpty() || path.startsWith("/") || path.contains("\\") || path.indexOf('\0') >= 0;
        for (String segment : path.split("/", -1)) {
            bad |= segment.isEmpty() || segment.equals(".") || segment.equals("..");
        }
        if (bad) {
            throw new InvalidArchiveException("Participant `" + name + "` refuses the archive path \""
                    + Printable.of(path) + "\"");
        }
        return path;
    }

    private void fail(String step) throws IOException {
        if (step.equals(failAt)) {
            throw new IOException("participant `" + name + "` failed at " + step);
        }
    }

    private void waitIfPaused() throws IOException {
        CountDownLatch latch = pause;
        if (latch != null) {
            paused.countDown();
            try {
                if (!latch.await(30, TimeUnit.SECONDS)) {
                    throw new IOException("test pause was never released");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while paused", e);
            }
        }
    }
}
