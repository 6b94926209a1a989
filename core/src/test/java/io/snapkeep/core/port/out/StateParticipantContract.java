package io.snapkeep.core.port.out;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import io.snapkeep.core.error.InvalidArchiveException;
import io.snapkeep.core.port.out.StateParticipant.Entry;
import io.snapkeep.core.port.out.StateParticipant.EntrySource;
import io.snapkeep.core.port.out.StateParticipant.ExportSink;
import io.snapkeep.core.port.out.StateParticipant.RestorePlan;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The promises every {@link StateParticipant} keeps. An implementation's test extends this class and gives
 * the participant fresh state of its own from {@link #newParticipant()}, two sample states to write directly
 * ({@link #writeSampleState}), a way to read the live state directly ({@link #liveState}), and the entries of
 * a state holding one large value ({@link #exportHoldingLargeValue}).
 *
 * <p>The large-value test streams an entry of {@link #SEVERAL_GIB} generated as it is read: run it in a small
 * heap (the adapters' surefire {@code argLine}) so that a participant buffering an entry fails it.
 */
public abstract class StateParticipantContract {
    /** Past any {@code int}-sized buffer and many times a small test heap. */
    protected static final long SEVERAL_GIB = 3L << 30;

    /** The participant under test, from {@link #newParticipant()} before each test. */
    protected StateParticipant participant;

    /** A participant over new, empty state of its own (a new directory, new tables...). */
    protected abstract StateParticipant newParticipant() throws Exception;

    /**
     * Replaces the live state with sample {@code variant} (1 or 2), writing it directly rather than through the
     * participant. The two must differ, hold state ({@code isEmpty} false), and between them use every
     * feature of the participant's format that is cheap to set up.
     */
    protected abstract void writeSampleState(int variant) throws Exception;

    /** The live state read directly, in a form whose {@code equals} tells whether two states are the same. */
    protected abstract Object liveState() throws Exception;

    /**
     * The entries, byte for byte as this participant's export would write them, of a state that holds one
     * value of at least {@code size} bytes (a file, a table's rows...). Each entry's content must be generated
     * as it is read and may be opened more than once; {@link #generated} gives such bytes.
     */
    protected abstract List<TestEntry> exportHoldingLargeValue(long size) throws Exception;

    /**
     * The size {@link #exportHoldingLargeValue} is asked for: {@link #SEVERAL_GIB}, unless the participant kind
     * cannot take that in reasonable time (an override says why).
     */
    protected long largeValueSize() {
        return SEVERAL_GIB;
    }

    /**
     * Ways this participant's own format can be wrong, by description, each the whole list of entries of one
     * restore, derived from {@code validExport} (the export of sample state 1). The contract adds the ways
     * every participant refuses: unsafe paths and an entry twice.
     */
    protected Map<String, List<TestEntry>> malformedExports(List<TestEntry> validExport) throws Exception {
        return Map.of();
    }

    /** One entry of a test archive; {@code content} opens its bytes anew at each call. */
    public record TestEntry(String path, Supplier<InputStream> content) {
        public static TestEntry of(String path, byte[] bytes) {
            byte[] copy = bytes.clone();
            return new TestEntry(path, () -> new ByteArrayInputStream(copy));
        }

        public static TestEntry of(String path, String text) {
            return of(path, text.getBytes(StandardCharsets.UTF_8));
        }

        /** The whole content, for small entries. */
        public byte[] bytes() {
            try (InputStream in = content.get()) {
                return in.readAllBytes();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @BeforeEach
    void createParticipant() throws Exception {
        participant = newParticipant();
    }

    // ---------------------------------------------------------------- round trips

    @Test
    void export_then_restore_gives_back_the_same_state() throws Exception {
        writeSampleState(1);
        Object expected = liveState();
        List<TestEntry> archive = exportNow();
        writeSampleState(2);
        assertThat(liveState()).as("the two sample states differ").isNotEqualTo(expected);

        RestorePlan plan = participant.prepareRestore(sourceOf(archive));
        plan.commit();
        plan.release();

        assertThat(liveState()).isEqualTo(expected);
        assertThat(participant.isEmpty()).isFalse();
    }

    @Test
    void export_writes_relative_unique_paths_with_the_sizes_it_announces_and_changes_nothing() throws Exception {
        writeSampleState(1);
        Object before = liveState();
        CheckingSink sink = new CheckingSink(true);
        participant.exportTo(sink);
        sink.finish();

        assertThat(sink.summaries).isNotEmpty();
        long planned = participant.plannedEntries();
        assertThat(planned).as("planned entries: the count, or 0 for unknown").isIn(0L, (long) sink.summaries.size());
        long exported = sink.summaries.values().stream().mapToLong(Summary::size).sum();
        long plannedBytes = participant.plannedBytes();
        if (plannedBytes != -1) {
            assertThat(plannedBytes).as("planned bytes: -1 for unknown, else at most what the export writes")
                    .isBetween(0L, exported);
        }
        assertThat(liveState()).isEqualTo(before);
    }

    @Test
    void prepare_changes_no_live_state_and_rollback_before_commit_keeps_it() throws Exception {
        writeSampleState(1);
        List<TestEntry> archive = exportNow();
        writeSampleState(2);
        Object before = liveState();

        RestorePlan plan = participant.prepareRestore(sourceOf(archive));
        assertThat(liveState()).as("after prepare").isEqualTo(before);
        assertThat(participant.isEmpty()).isFalse();
        plan.rollback();
        assertThat(liveState()).as("after rollback").isEqualTo(before);
        plan.rollback();
        assertThat(liveState()).as("after a second rollback").isEqualTo(before);
    }

    @Test
    void commit_then_rollback_gives_back_the_state_from_before_even_twice() throws Exception {
        writeSampleState(1);
        Object restored = liveState();
        List<TestEntry> archive = exportNow();
        writeSampleState(2);
        Object before = liveState();

        RestorePlan plan = participant.prepareRestore(sourceOf(archive));
        plan.commit();
        assertThat(liveState()).as("after commit").isEqualTo(restored);
        plan.rollback();
        assertThat(liveState()).as("after rollback").isEqualTo(before);
        plan.rollback();
        assertThat(liveState()).as("after a second rollback").isEqualTo(before);
    }

    @Test
    void release_may_be_called_twice_and_keeps_the_restored_state() throws Exception {
        writeSampleState(1);
        Object restored = liveState();
        List<TestEntry> archive = exportNow();
        writeSampleState(2);

        RestorePlan plan = participant.prepareRestore(sourceOf(archive));
        plan.commit();
        plan.release();
        plan.release();

        assertThat(liveState()).isEqualTo(restored);
    }

    @Test
    void an_empty_participant_round_trips() throws Exception {
        assertThat(participant.isEmpty()).as("a new participant").isTrue();
        List<TestEntry> empty = exportNow();
        assertThat(participant.isEmpty()).as("after its export").isTrue();
        writeSampleState(2);

        RestorePlan plan = participant.prepareRestore(sourceOf(empty));
        plan.commit();
        plan.release();

        assertThat(participant.isEmpty()).as("after restoring the empty export").isTrue();
        // ...and the emptiness exports and restores again, over state.
        List<TestEntry> again = exportNow();
        writeSampleState(1);
        plan = participant.prepareRestore(sourceOf(again));
        plan.commit();
        plan.release();
        assertThat(participant.isEmpty()).isTrue();
    }

    @Test
    void is_empty_tells_the_truth_before_and_after_each_step() throws Exception {
        assertThat(participant.isEmpty()).isTrue();
        List<TestEntry> empty = exportNow();
        writeSampleState(1);
        assertThat(participant.isEmpty()).as("with state written").isFalse();
        List<TestEntry> full = exportNow();

        RestorePlan toEmpty = participant.prepareRestore(sourceOf(empty));
        assertThat(participant.isEmpty()).as("after preparing an empty restore").isFalse();
        toEmpty.commit();
        assertThat(participant.isEmpty()).as("after committing it").isTrue();
        toEmpty.rollback();
        assertThat(participant.isEmpty()).as("after rolling it back").isFalse();

        toEmpty = participant.prepareRestore(sourceOf(empty));
        toEmpty.commit();
        toEmpty.release();
        assertThat(participant.isEmpty()).as("after releasing it").isTrue();

        RestorePlan toFull = participant.prepareRestore(sourceOf(full));
        assertThat(participant.isEmpty()).as("after preparing a restore of state").isTrue();
        toFull.commit();
        assertThat(participant.isEmpty()).as("after committing it").isFalse();
        toFull.rollback();
        assertThat(participant.isEmpty()).as("after rolling it back").isTrue();
    }

    // ---------------------------------------------------------------- failures

    @Test
    void a_stream_failing_part_way_fails_prepare_and_leaves_the_live_state() throws Exception {
        writeSampleState(1);
        Object restored = liveState();
        List<TestEntry> archive = exportNow();
        writeSampleState(2);
        Object before = liveState();

        for (int failing = 0; failing < archive.size(); failing++) {
            List<TestEntry> broken = new ArrayList<>(archive);
            TestEntry good = archive.get(failing);
            IOException injected = new IOException("injected failure reading " + good.path());
            long cut = good.bytes().length / 2;
            broken.set(failing, new TestEntry(good.path(),
                    () -> new FailingAfter(good.content().get(), cut, injected)));

            Throwable thrown = catchFrom(() -> participant.prepareRestore(sourceOf(broken)));
            assertThat(causes(thrown)).as("failure of %s after %d bytes: %s", good.path(), cut, thrown)
                    .contains(injected);
            assertThat(thrown).as("a failing read is not bad content").isNotInstanceOf(InvalidArchiveException.class);
            assertThat(liveState()).as("after the failure of %s", good.path()).isEqualTo(before);
        }

        RestorePlan plan = participant.prepareRestore(sourceOf(archive));
        plan.commit();
        plan.release();
        assertThat(liveState()).as("a restore after the failed ones").isEqualTo(restored);
    }

    @Test
    void bad_entries_are_refused_as_an_invalid_archive_and_leave_the_live_state() throws Exception {
        writeSampleState(1);
        Object restored = liveState();
        List<TestEntry> archive = exportNow();
        writeSampleState(2);
        Object before = liveState();

        Map<String, List<TestEntry>> cases = new LinkedHashMap<>();
        for (String unsafe : List.of("../escaped", "/etc/passwd", "a/../../escaped", "a\\..\\escaped", "",
                "a//b", "./a", "nul\0byte")) {
            List<TestEntry> entries = new ArrayList<>(archive);
            entries.add(TestEntry.of(unsafe, "pwned"));
            cases.put("the unsafe path \"" + unsafe.replace("\0", "\\0") + "\"", entries);
        }
        List<TestEntry> twice = new ArrayList<>(archive);
        twice.add(archive.get(0));
        cases.put("the entry " + archive.get(0).path() + " twice", twice);
        cases.putAll(malformedExports(archive));

        for (Map.Entry<String, List<TestEntry>> c : cases.entrySet()) {
            assertThatThrownBy(() -> participant.prepareRestore(sourceOf(c.getValue())))
                    .as(c.getKey()).isInstanceOf(InvalidArchiveException.class);
            assertThat(liveState()).as("after refusing %s", c.getKey()).isEqualTo(before);
        }

        RestorePlan plan = participant.prepareRestore(sourceOf(archive));
        plan.commit();
        plan.release();
        assertThat(liveState()).as("a restore after the refused ones").isEqualTo(restored);
    }

    // ---------------------------------------------------------------- size

    @Test
    void a_large_entry_streams_through_restore_and_export() throws Exception {
        long size = largeValueSize();
        List<TestEntry> archive = exportHoldingLargeValue(size);
        Map<String, Summary> expected = new LinkedHashMap<>();
        for (TestEntry e : archive) {
            try (InputStream in = e.content().get()) {
                expected.put(e.path(), Summary.of(in));
            }
        }
        assertThat(expected.values().stream().mapToLong(Summary::size).max().orElse(0))
                .as("the largest entry").isGreaterThanOrEqualTo(size);
        writeSampleState(2);

        RestorePlan plan = participant.prepareRestore(sourceOf(archive));
        plan.commit();
        plan.release();
        assertThat(participant.isEmpty()).isFalse();

        CheckingSink sink = new CheckingSink(false);
        participant.exportTo(sink);
        sink.finish();
        assertThat(sink.summaries).as("the export of the restored state").isEqualTo(expected);
    }

    // ---------------------------------------------------------------- helpers

    /** The current export, entries in order, each held in memory. */
    protected final List<TestEntry> exportNow() throws IOException {
        CheckingSink sink = new CheckingSink(true);
        participant.exportTo(sink);
        sink.finish();
        List<TestEntry> entries = new ArrayList<>();
        sink.bytes.forEach((path, bytes) -> entries.add(TestEntry.of(path, bytes)));
        return entries;
    }

    /**
     * The entries as a restore reads them: each opened when reached, and the previous one drained when the
     * next is asked for, as the archive reader does.
     */
    protected static EntrySource sourceOf(List<TestEntry> entries) {
        Iterator<TestEntry> it = List.copyOf(entries).iterator();
        InputStream[] previous = new InputStream[1];
        return () -> {
            if (previous[0] != null) {
                try (InputStream done = previous[0]) {
                    previous[0] = null;
                    done.transferTo(OutputStream.nullOutputStream());
                }
            }
            if (!it.hasNext()) {
                return Optional.empty();
            }
            TestEntry e = it.next();
            previous[0] = e.content().get();
            return Optional.of(new Entry(e.path(), previous[0]));
        };
    }

    /**
     * {@code size} bytes from {@code seed}, made as they are read: a random pattern of a prime length
     * (never lining up with buffer sizes), rotated by a different amount at each repeat, so that a lost,
     * doubled or moved block shows. Nothing is held but the pattern, twice over.
     */
    protected static InputStream generated(long seed, long size) {
        int length = 65_521;
        byte[] twice = new byte[2 * length];
        new SplittableRandom(seed).nextBytes(twice);
        System.arraycopy(twice, 0, twice, length, length);
        return new InputStream() {
            private long position;

            @Override
            public int read() {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (position == size) {
                    return -1;
                }
                int n = (int) Math.min(len, size - position);
                for (int done = 0; done < n; ) {
                    int at = (int) (position % length);
                    int rotation = (int) ((position / length * 7_919) % length);
                    int chunk = Math.min(n - done, length - at);
                    System.arraycopy(twice, at + rotation, b, off + done, chunk);
                    done += chunk;
                    position += chunk;
                }
                return n;
            }
        };
    }

    /** Length and CRC-32C of an entry: enough to compare contents of any size without holding them. */
    protected record Summary(long size, long crc) {
        static Summary of(InputStream in) throws IOException {
            CRC32C crc = new CRC32C();
            byte[] buffer = new byte[64 * 1024];
            long size = 0;
            for (int n; (n = in.read(buffer)) >= 0; ) {
                crc.update(buffer, 0, n);
                size += n;
            }
            return new Summary(size, crc.getValue());
        }
    }

    /**
     * Checks what the port asks of an export: paths relative, {@code /}-separated and unique, one entry
     * open at a time, the size given to {@code addEntry} exact. Keeps each entry's bytes when asked to, and
     * always its {@link Summary}.
     */
    private static final class CheckingSink implements ExportSink {
        private final boolean keep;
        final Map<String, Summary> summaries = new LinkedHashMap<>();
        final Map<String, byte[]> bytes = new LinkedHashMap<>();
        private final Set<String> paths = new HashSet<>();
        private String open;

        CheckingSink(boolean keep) {
            this.keep = keep;
        }

        @Override
        public OutputStream newEntry(String path) {
            start(path);
            return new OutputStream() {
                private final CRC32C crc = new CRC32C();
                private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
                private long size;
                private boolean closed;

                @Override
                public void write(int b) {
                    write(new byte[] {(byte) b}, 0, 1);
                }

                @Override
                public void write(byte[] b, int off, int len) {
                    assertThat(closed).as("writing to the closed entry %s", path).isFalse();
                    crc.update(b, off, len);
                    size += len;
                    if (keep) {
                        kept.write(b, off, len);
                    }
                }

                @Override
                public void close() {
                    if (!closed) {
                        closed = true;
                        end(path, new Summary(size, crc.getValue()), kept.toByteArray());
                    }
                }
            };
        }

        @Override
        public void addEntry(String path, long size, InputStream content) throws IOException {
            start(path);
            ByteArrayOutputStream kept = new ByteArrayOutputStream();
            CRC32C crc = new CRC32C();
            byte[] buffer = new byte[64 * 1024];
            long read = 0;
            for (int n; (n = content.read(buffer)) >= 0; ) {
                crc.update(buffer, 0, n);
                read += n;
                if (keep) {
                    kept.write(buffer, 0, n);
                }
            }
            assertThat(read).as("bytes of %s, announced as %d", path, size).isEqualTo(size);
            end(path, new Summary(read, crc.getValue()), kept.toByteArray());
        }

        private void start(String path) {
            if (open != null) {
                fail("entry " + path + " opened before entry " + open + " was closed");
            }
            assertThat(path).as("an entry path").isNotEmpty().doesNotStartWith("/").doesNotContain("\\");
            for (String segment : path.split("/", -1)) {
                assertThat(segment).as("a segment of %s", path).isNotEmpty().isNotIn(".", "..");
            }
            assertThat(paths.add(path)).as("%s is written once", path).isTrue();
            open = path;
        }

        private void end(String path, Summary summary, byte[] content) {
            summaries.put(path, summary);
            if (keep) {
                bytes.put(path, content);
            }
            open = null;
        }

        void finish() {
            if (open != null) {
                fail("export returned with entry " + open + " still open");
            }
        }
    }

    /** A stream that gives the first {@code cut} bytes of {@code in}, then throws {@code failure}. */
    private static final class FailingAfter extends InputStream {
        private final InputStream in;
        private final IOException failure;
        private long left;

        FailingAfter(InputStream in, long cut, IOException failure) {
            this.in = in;
            this.left = cut;
            this.failure = failure;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (left == 0) {
                throw failure;
            }
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n < 0) {
                throw failure;
            }
            left -= n;
            return n;
        }
    }

    private interface Step {
        void run() throws Exception;
    }

    private static Throwable catchFrom(Step step) {
        try {
            step.run();
        } catch (Throwable t) {
            return t;
        }
        throw new AssertionError("expected a failure, but none came");
    }

    private static List<Throwable> causes(Throwable t) {
        List<Throwable> chain = new ArrayList<>();
        for (Throwable c = t; c != null && !chain.contains(c); c = c.getCause()) {
            chain.add(c);
        }
        return chain;
    }
}
