package io.snapkeep.core.port.out;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snapkeep.core.error.NotFoundException;
import io.snapkeep.core.error.StorageUnavailableException;
import io.snapkeep.core.port.out.ArchiveStore.Inventory;
import io.snapkeep.core.port.out.ArchiveStore.StagedWrite;
import io.snapkeep.core.port.out.ArchiveStore.StoredArchive;
import io.snapkeep.core.testing.InMemoryArchiveStore;
import io.snapkeep.core.testing.TestBytes;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The promises every {@link ArchiveStore} keeps. An implementation's test extends this class and returns
 * a fresh, empty store from {@link #newStore()}.
 */
public abstract class ArchiveStoreContract {

    /** A new, empty store; called before each test. */
    protected abstract ArchiveStore newStore() throws Exception;

    /**
     * A second instance of the store under test on the same medium ({@link #store}'s directory, or bucket and
     * prefix), as another node of a cluster opens it; its staged writes stand for that node's. The in-memory
     * store models one itself; every other store's test returns a new instance of its store here.
     */
    protected ArchiveStore secondInstance() throws Exception {
        if (store instanceof InMemoryArchiveStore memory) {
            return memory.anotherInstance();
        }
        throw new UnsupportedOperationException(getClass().getSimpleName()
                + " must override secondInstance() to open a second store on the same medium");
    }

    protected ArchiveStore store;

    @BeforeEach
    void createStore() throws Exception {
        store = newStore();
    }

    /** Bytes past 12 MiB, so that an S3 store must use more than one multipart part. */
    protected static final long LARGE = 12L * 1024 * 1024 + 12345;

    /** Bytes past one 5 MiB part, so that an S3 store has a pending upload while the write is open. */
    protected static final long PAST_ONE_PART = 5L * 1024 * 1024 + 4321;

    protected static StoreKey key(String value) {
        return new StoreKey(value);
    }

    protected StoredArchive put(String key, byte[] bytes) throws IOException {
        try (StagedWrite w = store.beginWrite(key(key))) {
            w.stream().write(bytes);
            return w.commit();
        }
    }

    protected byte[] read(String key) throws IOException {
        try (InputStream in = store.open(key(key))) {
            return in.readAllBytes();
        }
    }

    @Test
    void a_committed_archive_reads_back_whole() throws IOException {
        byte[] bytes = TestBytes.randomArray(1, 100_000);
        StoredArchive stored = put("snap-1", bytes);
        assertThat(stored).isEqualTo(new StoredArchive(key("snap-1"), bytes.length));
        assertThat(read("snap-1")).isEqualTo(bytes);
        assertThat(store.stat(key("snap-1"))).contains(new StoredArchive(key("snap-1"), bytes.length));
    }

    @Test
    void a_stream_of_unknown_length_over_12_MiB_round_trips() throws IOException {
        String expected;
        try (StagedWrite w = store.beginWrite(key("large"))) {
            OutputStream out = w.stream();
            try (InputStream in = TestBytes.random(7, LARGE)) {
                byte[] buf = new byte[8192];
                int n;
                while ((n = in.read(buf)) > 0) {
                    out.write(buf, 0, n);
                }
            }
            assertThat(w.commit().size()).isEqualTo(LARGE);
        }
        expected = TestBytes.sha256(TestBytes.random(7, LARGE));
        assertThat(store.stat(key("large"))).map(StoredArchive::size).contains(LARGE);
        assertThat(TestBytes.sha256(store.open(key("large")))).isEqualTo(expected);
    }

    @Test
    void an_empty_archive_is_stored() throws IOException {
        StoredArchive stored = put("empty", new byte[0]);
        assertThat(stored.size()).isZero();
        assertThat(store.stat(key("empty"))).contains(new StoredArchive(key("empty"), 0));
        assertThat(read("empty")).isEmpty();
    }

    @Test
    void nothing_is_visible_before_commit() throws IOException {
        try (StagedWrite w = store.beginWrite(key("staged"))) {
            w.stream().write(TestBytes.randomArray(2, 50_000));
            w.stream().flush();
            assertThat(store.stat(key("staged"))).isEmpty();
            assertThat(store.inventory().archives().keySet()).doesNotContain(key("staged"));
            assertThatThrownBy(() -> store.open(key("staged"))).isInstanceOf(NotFoundException.class);
            w.commit();
        }
        assertThat(store.stat(key("staged"))).isPresent();
    }

    @Test
    void abort_leaves_nothing_behind() throws IOException {
        try (StagedWrite w = store.beginWrite(key("aborted"))) {
            try (InputStream in = TestBytes.random(3, LARGE)) {
                in.transferTo(w.stream());
            }
            w.abort();
        }
        assertThat(store.stat(key("aborted"))).isEmpty();
        assertThat(store.inventory().archives().keySet()).doesNotContain(key("aborted"));
        assertThat(store.removeStaged(Set::of)).as("leftovers after abort").isZero();
    }

    @Test
    void closing_an_uncommitted_write_aborts_it() throws IOException {
        try (StagedWrite w = store.beginWrite(key("forgotten"))) {
            w.stream().write(TestBytes.randomArray(4, 1000));
        }
        assertThat(store.stat(key("forgotten"))).isEmpty();
        assertThat(store.removeStaged(Set::of)).isZero();
    }

    @Test
    void abort_after_commit_keeps_the_archive() throws IOException {
        byte[] bytes = TestBytes.randomArray(5, 1000);
        try (StagedWrite w = store.beginWrite(key("kept"))) {
            w.stream().write(bytes);
            w.commit();
            w.abort();
        }
        assertThat(read("kept")).isEqualTo(bytes);
    }

    @Test
    void a_commit_over_an_existing_key_replaces_it_whole() throws IOException {
        put("replaced", TestBytes.randomArray(6, 3000));
        byte[] second = TestBytes.randomArray(7, 1000);
        put("replaced", second);
        assertThat(read("replaced")).isEqualTo(second);
        assertThat(store.stat(key("replaced"))).map(StoredArchive::size).contains(1000L);
    }

    @Test
    void an_aborted_rewrite_keeps_the_old_archive() throws IOException {
        byte[] first = TestBytes.randomArray(8, 3000);
        put("stable", first);
        try (StagedWrite w = store.beginWrite(key("stable"))) {
            w.stream().write(TestBytes.randomArray(9, 5000));
            assertThat(read("stable")).isEqualTo(first);
            w.abort();
        }
        assertThat(read("stable")).isEqualTo(first);
    }

    @Test
    void ranged_reads_at_start_middle_and_last_byte() throws IOException {
        byte[] bytes = TestBytes.randomArray(10, 100_000);
        put("ranged", bytes);
        assertThat(readRange("ranged", 0, 10)).isEqualTo(Arrays.copyOfRange(bytes, 0, 10));
        assertThat(readRange("ranged", 40_000, 20_000)).isEqualTo(Arrays.copyOfRange(bytes, 40_000, 60_000));
        assertThat(readRange("ranged", 99_999, 1)).isEqualTo(new byte[] {bytes[99_999]});
        assertThat(readRange("ranged", 90_000, Long.MAX_VALUE))
                .as("a range past the end is cut at the end")
                .isEqualTo(Arrays.copyOfRange(bytes, 90_000, 100_000));
        assertThat(readRange("ranged", 5, 0)).isEmpty();
    }

    @Test
    void a_range_starting_past_the_end_is_refused() throws IOException {
        put("short", TestBytes.randomArray(11, 100));
        assertThatThrownBy(() -> store.openRange(key("short"), 101, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.openRange(key("short"), -1, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    protected byte[] readRange(String key, long offset, long length) throws IOException {
        try (InputStream in = store.openRange(key(key), offset, length)) {
            return in.readAllBytes();
        }
    }

    @Test
    void a_missing_key_is_absent_and_open_says_not_found() {
        assertThat(store.stat(key("missing"))).isEmpty();
        assertThatThrownBy(() -> store.open(key("missing"))).isInstanceOf(NotFoundException.class)
                .hasMessageContaining("missing");
    }

    @Test
    void a_reachable_store_answers_a_probe_empty_or_not() throws IOException {
        store.probe();
        put("probed", TestBytes.randomArray(13, 10));
        store.probe();
        assertThat(store.stat(key("probed"))).isPresent();
    }

    @Test
    void delete_removes_and_is_idempotent() throws IOException {
        put("doomed", TestBytes.randomArray(12, 100));
        assertThat(store.stat(key("doomed"))).isPresent();
        store.delete(key("doomed"));
        assertThat(store.stat(key("doomed"))).isEmpty();
        assertThatThrownBy(() -> store.open(key("doomed"))).isInstanceOf(NotFoundException.class);
        store.delete(key("doomed"));
        assertThat(store.stat(key("doomed"))).isEmpty();
        store.delete(key("never-there"));
        assertThat(store.stat(key("never-there"))).isEmpty();
    }

    @Test
    void list_names_every_committed_key_and_nothing_else() throws IOException {
        assertThat(store.inventory().archives().keySet()).isEmpty();
        put("a1", new byte[] {1});
        put("b.2", new byte[] {2});
        put("C_3-x", new byte[] {3});
        try (StagedWrite w = store.beginWrite(key("pending"))) {
            w.stream().write(4);
            assertThat(store.inventory().archives().keySet()).containsExactlyInAnyOrder(key("a1"), key("b.2"), key("C_3-x"));
        }
        store.delete(key("b.2"));
        assertThat(store.inventory().archives().keySet()).containsExactlyInAnyOrder(key("a1"), key("C_3-x"));
    }

    @Test
    void concurrent_writers_on_different_keys_do_not_interfere() throws Exception {
        int writers = 6;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<StoredArchive>> results = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                int seed = 100 + i;
                Callable<StoredArchive> task = () -> {
                    try (StagedWrite w = store.beginWrite(key("key-" + seed))) {
                        try (InputStream in = TestBytes.random(seed, 300_000 + seed)) {
                            in.transferTo(w.stream());
                        }
                        return w.commit();
                    }
                };
                results.add(pool.submit(task));
            }
            for (Future<StoredArchive> f : results) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        for (int i = 0; i < writers; i++) {
            int seed = 100 + i;
            assertThat(TestBytes.sha256(store.open(key("key-" + seed))))
                    .isEqualTo(TestBytes.sha256(TestBytes.random(seed, 300_000 + seed)));
        }
    }

    @Test
    void a_reader_sees_nothing_or_the_whole_archive() throws Exception {
        byte[] bytes = TestBytes.randomArray(13, 2_000_000);
        String digest = TestBytes.sha256(bytes);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        java.util.concurrent.CountDownLatch watching = new java.util.concurrent.CountDownLatch(1);
        try {
            Future<List<String>> observations = pool.submit(() -> {
                List<String> seen = new ArrayList<>();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (System.nanoTime() < deadline) {
                    if (store.stat(key("watched")).isPresent()) {
                        seen.add(TestBytes.sha256(store.open(key("watched"))));
                        break;
                    }
                    seen.add("absent");
                    watching.countDown();
                    Thread.onSpinWait();
                }
                return seen;
            });
            assertThat(watching.await(30, TimeUnit.SECONDS)).isTrue();
            try (StagedWrite w = store.beginWrite(key("watched"))) {
                for (int off = 0; off < bytes.length; off += 100_000) {
                    w.stream().write(bytes, off, 100_000);
                }
                w.commit();
            }
            List<String> seen = observations.get(60, TimeUnit.SECONDS);
            assertThat(seen).last().isEqualTo(digest);
            assertThat(seen).first().isEqualTo("absent");
            assertThat(seen.subList(0, seen.size() - 1)).allMatch("absent"::equals);
        } finally {
            pool.shutdownNow();
        }
    }

    // Records: the durable description of each committed archive.

    /**
     * The longest key the store is tested with: a snapshot id may be 256 characters, more than one file name
     * holds on most file systems. A store whose test server cannot take that many (not the store itself) may
     * return less.
     */
    protected String longestKey() {
        return "L" + "x".repeat(255);
    }

    @Test
    void a_record_round_trips_byte_for_byte() throws IOException {
        put("recorded", TestBytes.randomArray(20, 500));
        byte[] record = "{\"id\":\"recorded\",\"note\":\"\u00e9t\u00e9 \u2603\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        store.writeRecord(key("recorded"), record);
        assertThat(store.readRecord(key("recorded"))).hasValueSatisfying(r -> assertThat(r).isEqualTo(record));
        record[0] = 'X';
        assertThat(store.readRecord(key("recorded")).orElseThrow()[0]).as("the store kept its own copy").isEqualTo((byte) '{');
    }

    @Test
    void an_empty_record_and_a_long_keys_record_are_kept() throws IOException {
        put("empty-record", new byte[] {1});
        store.writeRecord(key("empty-record"), new byte[0]);
        assertThat(store.readRecord(key("empty-record"))).hasValueSatisfying(r -> assertThat(r).isEmpty());

        String longest = longestKey();
        byte[] record = TestBytes.randomArray(21, 300);
        put(longest, new byte[] {2});
        store.writeRecord(key(longest), record);
        assertThat(store.readRecord(key(longest))).hasValueSatisfying(r -> assertThat(r).isEqualTo(record));
        assertThat(store.inventory().records()).containsExactlyInAnyOrder(key("empty-record"), key(longest));
    }

    @Test
    void a_rewritten_record_replaces_the_old_one_whole_for_every_reader() throws Exception {
        put("rewritten", TestBytes.randomArray(22, 100));
        byte[] first = TestBytes.randomArray(23, 20_000);
        byte[] second = TestBytes.randomArray(24, 7_000);
        store.writeRecord(key("rewritten"), first);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        java.util.concurrent.CountDownLatch reading = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.atomic.AtomicBoolean written = new java.util.concurrent.atomic.AtomicBoolean();
        try {
            Future<Integer> reads = pool.submit(() -> {
                int seen = 0;
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (!written.get() && System.nanoTime() < deadline) {
                    byte[] read = store.readRecord(key("rewritten")).orElseThrow();
                    if (!Arrays.equals(read, first) && !Arrays.equals(read, second)) {
                        throw new AssertionError("a reader saw a record of " + read.length + " bytes that is neither");
                    }
                    seen++;
                    reading.countDown();
                }
                return seen;
            });
            assertThat(reading.await(30, TimeUnit.SECONDS)).isTrue();
            for (int i = 0; i < 20; i++) {
                store.writeRecord(key("rewritten"), i % 2 == 0 ? second : first);
            }
            written.set(true);
            assertThat(reads.get(60, TimeUnit.SECONDS)).isPositive();
        } finally {
            pool.shutdownNow();
        }
        assertThat(store.readRecord(key("rewritten"))).hasValueSatisfying(r -> assertThat(r).isEqualTo(first));
    }

    @Test
    void a_record_needs_its_committed_archive() throws IOException {
        assertThatThrownBy(() -> store.writeRecord(key("no-archive"), new byte[] {1}))
                .isInstanceOf(NotFoundException.class).hasMessageContaining("no-archive");
        try (StagedWrite w = store.beginWrite(key("staged-only"))) {
            w.stream().write(TestBytes.randomArray(25, 1000));
            assertThatThrownBy(() -> store.writeRecord(key("staged-only"), new byte[] {1}))
                    .as("a staged write is no archive yet").isInstanceOf(NotFoundException.class);
            w.abort();
        }
        assertThat(store.readRecord(key("no-archive"))).isEmpty();
        assertThat(store.readRecord(key("staged-only"))).isEmpty();
        assertThat(store.inventory().records()).isEmpty();
    }

    @Test
    void delete_removes_the_record_and_the_archive() throws IOException {
        put("gone", TestBytes.randomArray(26, 100));
        store.writeRecord(key("gone"), new byte[] {1, 2, 3});
        put("stays", TestBytes.randomArray(27, 100));
        store.writeRecord(key("stays"), new byte[] {4});

        store.delete(key("gone"));

        assertThat(store.readRecord(key("gone"))).isEmpty();
        assertThat(store.stat(key("gone"))).isEmpty();
        assertThatThrownBy(() -> store.writeRecord(key("gone"), new byte[] {1})).isInstanceOf(NotFoundException.class);
        Inventory inventory = store.inventory();
        assertThat(inventory.archives().keySet()).containsExactly(key("stays"));
        assertThat(inventory.records()).containsExactly(key("stays"));
        assertThat(store.readRecord(key("stays"))).hasValueSatisfying(r -> assertThat(r).containsExactly(4));
        store.delete(key("gone"));
    }

    @Test
    void inventory_reports_archives_with_their_sizes_and_records_and_nothing_staged() throws IOException {
        String longest = longestKey();
        put("a", new byte[] {1, 2, 3});
        put("b", TestBytes.randomArray(28, 1000));
        put(longest, new byte[] {4, 5});
        store.writeRecord(key("a"), new byte[] {9});
        store.writeRecord(key(longest), new byte[] {9});
        try (StagedWrite w = store.beginWrite(key("c"))) {
            try (InputStream in = TestBytes.random(29, LARGE)) {
                in.transferTo(w.stream());
            }
            Inventory inventory = store.inventory();
            assertThat(inventory.archives()).isEqualTo(Map.of(
                    key("a"), new StoredArchive(key("a"), 3),
                    key("b"), new StoredArchive(key("b"), 1000),
                    key(longest), new StoredArchive(key(longest), 2)));
            assertThat(inventory.records()).isEqualTo(Set.of(key("a"), key(longest)));
            w.abort();
        }
    }

    @Test
    void remove_staged_leaves_committed_archives_and_records() throws IOException {
        byte[] bytes = TestBytes.randomArray(30, 5000);
        put("kept", bytes);
        store.writeRecord(key("kept"), new byte[] {7, 7});
        Inventory before = store.inventory();

        assertThat(store.removeStaged(Set::of)).isZero();

        assertThat(store.inventory()).isEqualTo(before);
        assertThat(read("kept")).isEqualTo(bytes);
        assertThat(store.readRecord(key("kept"))).hasValueSatisfying(r -> assertThat(r).containsExactly(7, 7));
    }

    // Staged writes in a cluster: several nodes share the medium, and one cleans up after nodes that died.

    /** Begins a write of {@code key} in {@code on} and writes {@link #PAST_ONE_PART} bytes made from {@code seed}. */
    private static StagedWrite stage(ArchiveStore on, String key, int seed) throws IOException {
        StagedWrite write = on.beginWrite(key(key));
        try (InputStream in = TestBytes.random(seed, PAST_ONE_PART)) {
            in.transferTo(write.stream());
        } catch (IOException | RuntimeException e) {
            write.abort();
            throw e;
        }
        return write;
    }

    private void assertStored(String key, int seed) throws IOException {
        assertThat(store.stat(key(key))).map(StoredArchive::size).contains(PAST_ONE_PART);
        assertThat(TestBytes.sha256(store.open(key(key)))).isEqualTo(TestBytes.sha256(TestBytes.random(seed, PAST_ONE_PART)));
    }

    @Test
    void another_nodes_writes_survive_the_clean_up_while_their_keys_are_in_use_and_still_commit() throws Exception {
        ArchiveStore otherNode = secondInstance();
        String longest = longestKey();
        try (StagedWrite shortKey = stage(otherNode, "elsewhere", 40);
             StagedWrite longKey = stage(otherNode, longest, 41)) {

            assertThat(store.removeStaged(() -> Set.of(key("elsewhere"), key(longest)))).isZero();

            shortKey.commit();
            longKey.commit();
        }
        assertStored("elsewhere", 40);
        assertStored(longest, 41);
        assertThat(store.removeStaged(Set::of)).as("nothing is left staged").isZero();
    }

    @Test
    void another_nodes_write_whose_key_is_not_in_use_is_removed_and_cannot_commit() throws Exception {
        ArchiveStore otherNode = secondInstance();
        try (StagedWrite dead = stage(otherNode, "dead-node", 42);
             StagedWrite live = stage(otherNode, "live-node", 43)) {

            assertThat(store.removeStaged(() -> Set.of(key("live-node")))).isEqualTo(1);

            assertThatThrownBy(dead::commit).as("what the write of a node taken for dead sees")
                    .isInstanceOf(StorageUnavailableException.class).hasMessageContaining("dead-node");
            live.commit();
        }
        assertThat(store.stat(key("dead-node"))).isEmpty();
        assertThat(otherNode.stat(key("dead-node"))).isEmpty();
        assertStored("live-node", 43);
        assertThat(store.removeStaged(Set::of)).as("nothing is left staged").isZero();
    }

    @Test
    void a_write_of_this_instance_is_never_removed_whatever_is_in_use() throws Exception {
        try (StagedWrite mine = stage(store, "mine", 44)) {
            assertThat(store.removeStaged(Set::of)).isZero();
            assertThat(store.removeStaged(() -> Set.of(key("someone-else")))).isZero();
            mine.commit();
        }
        assertStored("mine", 44);
    }

    @Test
    void keys_in_use_are_asked_once_and_only_after_the_listing() throws Exception {
        ArchiveStore otherNode = secondInstance();
        AtomicInteger asked = new AtomicInteger();
        StagedWrite[] late = new StagedWrite[1];
        try (StagedWrite dead = stage(otherNode, "listed", 45)) {
            int removed = store.removeStaged(() -> {
                asked.incrementAndGet();
                try {
                    // begun after the listing: the clean-up must not touch it, though its key is not in use
                    late[0] = stage(otherNode, "begun-meanwhile", 46);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                return Set.of();
            });

            assertThat(asked).as("times keysInUse was asked").hasValue(1);
            assertThat(removed).as("the write that was listed").isEqualTo(1);
            assertThatThrownBy(dead::commit).isInstanceOf(StorageUnavailableException.class);
        }
        try (StagedWrite meanwhile = late[0]) {
            assertThat(meanwhile).isNotNull();
            meanwhile.commit();
        }
        assertStored("begun-meanwhile", 46);

        asked.set(0);
        assertThat(store.removeStaged(() -> {
            asked.incrementAndGet();
            return Set.of();
        })).isZero();
        assertThat(asked).as("asked even when nothing is staged").hasValue(1);
    }

    @Test
    void adopting_a_key_without_an_old_archive_finds_nothing_and_writes_nothing() throws IOException {
        assertThat(store.adoptLegacy(key("never-stored"))).isEmpty();
        assertThat(store.stat(key("never-stored"))).isEmpty();
        byte[] bytes = TestBytes.randomArray(31, 100);
        put("held", bytes);
        assertThat(store.adoptLegacy(key("held"))).as("a key the store holds").isEmpty();
        assertThat(read("held")).isEqualTo(bytes);
        assertThat(store.inventory().archives().keySet()).containsExactly(key("held"));
        assertThat(store.inventory().records()).isEmpty();
    }
}
