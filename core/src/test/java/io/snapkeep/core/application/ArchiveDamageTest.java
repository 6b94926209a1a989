package io.snapkeep.core.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snapkeep.core.domain.Execution;
import io.snapkeep.core.domain.ExecutionStatus;
import io.snapkeep.core.domain.Snapshot;
import io.snapkeep.core.domain.SnapshotId;
import io.snapkeep.core.domain.SnapshotStatus;
import io.snapkeep.core.error.NotFoundException;
import io.snapkeep.core.error.SnapshotActionException;
import io.snapkeep.core.port.in.DownloadSnapshot.Download;
import io.snapkeep.core.port.in.UploadSnapshot.UploadCommand;
import io.snapkeep.core.port.in.VerifySnapshot.VerifyResult;
import io.snapkeep.core.port.out.StoreKey;
import io.snapkeep.core.testing.LogCapture;
import io.snapkeep.core.testing.TestBytes;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Damage at rest (a flipped byte, a cut) is found by a whole download, a restore and a verification, said at
 * ERROR with the snapshot's id, and turns the snapshot failed; nothing damaged reaches a client whole-looking.
 */
class ArchiveDamageTest extends EngineTestBase {
    private static final SnapshotId S1 = SnapshotId.of("s1");

    /** A snapshot whose archive is well over the held-back tail, so most of it streams before the check. */
    private long bigSnapshot() {
        resources.with("big.bin", TestBytes.randomArray(5, 300_000));
        createAndWait("s1");
        long size = snapshot("s1").archive().size();
        assertThat(size).isGreaterThan(3L * CheckedDownloadStream.HELD_BACK);
        return size;
    }

    private static UnaryOperator<byte[]> flipAt(int at) {
        return b -> {
            b[at] ^= 0x10;
            return b;
        };
    }

    private static UnaryOperator<byte[]> cut(int bytes) {
        return b -> Arrays.copyOf(b, b.length - bytes);
    }

    /** Reads the whole download; the bytes read and the failure, if any. */
    private record Read(long bytes, IOException failure) {
    }

    private static Read readAll(Download d) throws IOException {
        long n = 0;
        byte[] buffer = new byte[8192];
        try (InputStream in = d.open(0, d.size())) {
            for (int r = in.read(buffer); r >= 0; r = in.read(buffer)) {
                n += r;
            }
            return new Read(n, null);
        } catch (IOException e) {
            return new Read(n, e);
        }
    }

    @Test
    void a_whole_download_of_an_intact_archive_is_the_archive() throws Exception {
        long size = bigSnapshot();
        Download d = snapkeep.download(S1);
        try (InputStream in = d.open(0, size)) {
            byte[] bytes = in.readAllBytes();
            assertThat(bytes).isEqualTo(archiveBytes("s1"));
            assertThat(in.read()).isEqualTo(-1);
        }
        assertThat(snapshot("s1").status()).isEqualTo(SnapshotStatus.CREATED);
    }

    @Test
    void a_flipped_byte_stops_the_download_before_its_end_and_fails_the_snapshot() throws Exception {
        long size = bigSnapshot();
        Download d = snapkeep.download(S1);
        store.damage(new StoreKey("s1"), flipAt((int) size / 3));
        try (LogCapture log = LogCapture.of(ArchiveIntegrity.class)) {
            Read read = readAll(d);
            assertThat(read.failure()).isNotNull().hasMessageContaining("`s1`").hasMessageContaining("archive damaged");
            assertThat(read.bytes()).as("the held-back tail never left").isEqualTo(size - CheckedDownloadStream.HELD_BACK);
            assertThat(log.at(System.Logger.Level.ERROR)).singleElement().satisfies(l -> assertThat(l.message())
                    .contains("`s1`").contains("damaged").contains("download"));
        }
        Snapshot failed = snapshot("s1");
        assertThat(failed.status()).isEqualTo(SnapshotStatus.FAILED);
        assertThat(failed.error()).startsWith("archive damaged: its SHA-256 is ").contains("was recorded");
        assertThatThrownBy(() -> snapkeep.download(S1)).isInstanceOf(SnapshotActionException.class)
                .hasMessage("Failed snapshot cannot be downloaded");
        assertThatThrownBy(() -> restore("s1", true)).isInstanceOf(SnapshotActionException.class);
        assertThat(snapkeep.delete(S1).status()).isEqualTo(SnapshotStatus.FAILED);
    }

    @Test
    void a_read_after_the_failure_fails_again_and_is_not_logged_again() throws Exception {
        createAndWait("s1");
        store.damage(new StoreKey("s1"), flipAt(100));
        Download d = snapkeep.download(S1);
        try (LogCapture log = LogCapture.of(ArchiveIntegrity.class); InputStream in = d.open(0, d.size())) {
            assertThatThrownBy(() -> in.read(new byte[10])).isInstanceOf(IOException.class);
            assertThatThrownBy(in::read).isInstanceOf(IOException.class);
            assertThatThrownBy(() -> in.readAllBytes()).isInstanceOf(IOException.class);
            assertThat(log.at(System.Logger.Level.ERROR)).hasSize(1);
        }
    }

    @Test
    void a_truncated_archive_is_an_error_never_a_quiet_short_download() throws Exception {
        long size = bigSnapshot();
        store.damage(new StoreKey("s1"), cut(1000));
        Download d = snapkeep.download(S1);
        try (LogCapture log = LogCapture.of(ArchiveIntegrity.class)) {
            Read read = readAll(d);
            assertThat(read.failure()).isNotNull().hasMessageContaining("archive damaged");
            assertThat(read.bytes()).isLessThan(size - 1000);
            assertThat(log.at(System.Logger.Level.ERROR)).singleElement().satisfies(l -> assertThat(l.message())
                    .contains("`s1`").contains("ended after " + (size - 1000) + " of the " + size));
        }
        assertThat(snapshot("s1").error()).isEqualTo("archive damaged: the store's stream of it ended after "
                + (size - 1000) + " of the " + size + " recorded bytes");
    }

    @Test
    void ranged_downloads_pass_through_unchecked() throws Exception {
        createAndWait("s1");
        byte[] before = archiveBytes("s1");
        store.damage(new StoreKey("s1"), flipAt(100));
        Download d = snapkeep.download(S1);
        try (InputStream in = d.open(90, 20)) {
            byte[] part = in.readAllBytes();
            assertThat(part).hasSize(20);
            assertThat(part[10]).isEqualTo((byte) (before[100] ^ 0x10));
        }
        assertThat(snapshot("s1").status()).isEqualTo(SnapshotStatus.CREATED);
    }

    @Test
    void a_ranged_download_cut_short_by_a_truncated_archive_is_an_error_and_fails_the_snapshot() throws Exception {
        long size = bigSnapshot();
        store.damage(new StoreKey("s1"), cut(1000));
        Download d = snapkeep.download(S1);
        try (LogCapture log = LogCapture.of(ArchiveIntegrity.class); InputStream in = d.open(size - 5000, 5000)) {
            assertThatThrownBy(in::readAllBytes).isInstanceOf(IOException.class).hasMessageContaining("`s1`");
            assertThat(log.at(System.Logger.Level.ERROR)).singleElement()
                    .satisfies(l -> assertThat(l.message()).contains("`s1`").contains("ended after " + (size - 1000)));
        }
        assertThat(snapshot("s1").error()).startsWith("archive damaged: ");
    }

    @Test
    void a_ranged_download_past_the_end_of_a_truncated_archive_is_refused_and_fails_the_snapshot() throws Exception {
        long size = bigSnapshot();
        store.damage(new StoreKey("s1"), cut(1000));
        Download d = snapkeep.download(S1);
        assertThatThrownBy(() -> d.open(size - 10, 10)).isInstanceOf(SnapshotActionException.class)
                .hasMessageContaining("archive damaged");
        assertThat(snapshot("s1").error()).startsWith("archive damaged: the store holds " + (size - 1000));
    }

    @Test
    void a_store_that_fails_mid_download_is_one_error_line_and_the_snapshot_stays() throws Exception {
        snapkeep.close();
        store = new io.snapkeep.core.testing.InMemoryArchiveStore() {
            @Override
            public InputStream openRange(StoreKey key, long offset, long length) {
                InputStream real = super.openRange(key, offset, length);
                return new java.io.FilterInputStream(real) {
                    private long served;

                    @Override
                    public int read(byte[] b, int off, int len) throws IOException {
                        if (served > 100_000) {
                            throw new IOException("connection to the bucket reset");
                        }
                        int n = super.read(b, off, Math.min(len, 8192));
                        served += Math.max(n, 0);
                        return n;
                    }
                };
            }
        };
        snapkeep = newSnapkeep().start();
        long size = bigSnapshot();
        Download d = snapkeep.download(S1);
        try (LogCapture log = LogCapture.of(ArchiveIntegrity.class)) {
            assertThat(readAll(d).failure()).hasMessageContaining("connection to the bucket reset");
            try (InputStream part = d.open(1000, size - 2000)) {
                assertThatThrownBy(part::readAllBytes).isInstanceOf(IOException.class);
            }
            assertThat(log.at(System.Logger.Level.ERROR)).hasSize(2).allSatisfy(l -> assertThat(l.message())
                    .contains("`s1`").contains("could not be read").contains("connection to the bucket reset"));
        }
        assertThat(snapshot("s1").status()).as("a failing store is not damage").isEqualTo(SnapshotStatus.CREATED);
    }

    @Test
    void a_whole_download_of_an_archive_gone_from_the_store_fails_the_snapshot() {
        createAndWait("s1");
        Download d = snapkeep.download(S1);
        store.delete(new StoreKey("s1"));
        assertThatThrownBy(() -> d.open(0, d.size())).isInstanceOf(NotFoundException.class)
                .hasMessageContaining("missing from the store");
        assertThat(snapshot("s1").error()).isEqualTo("archive missing from the store");
    }

    @Test
    void verify_reads_an_intact_archive_and_finds_it_valid() throws Exception {
        createAndWait("s1");
        assertThat(snapkeep.verify(S1)).isEqualTo(new VerifyResult(S1, true, ""));
        snapkeep.upload(new UploadCommand(SnapshotId.of("cfy"), new ByteArrayInputStream(foreignArchive()),
                "admin"));
        assertThat(snapkeep.verify(SnapshotId.of("cfy")).valid()).as("a foreign archive, whole").isTrue();
        assertThat(snapshot("s1").status()).isEqualTo(SnapshotStatus.CREATED);
    }

    @Test
    void verify_finds_a_flipped_byte_and_fails_the_snapshot() throws Exception {
        createAndWait("s1");
        store.damage(new StoreKey("s1"), flipAt((int) snapshot("s1").archive().size() / 2));
        VerifyResult result;
        try (LogCapture log = LogCapture.of(ArchiveIntegrity.class)) {
            result = snapkeep.verify(S1);
            assertThat(log.at(System.Logger.Level.ERROR)).singleElement()
                    .satisfies(l -> assertThat(l.message()).contains("`s1`").contains("verification"));
        }
        assertThat(result.valid()).isFalse();
        assertThat(result.id()).isEqualTo(S1);
        assertThat(result.error()).startsWith("archive damaged: ");
        assertThat(snapshot("s1").status()).isEqualTo(SnapshotStatus.FAILED);
        assertThat(snapshot("s1").error()).isEqualTo(result.error());
    }

    @Test
    void verify_finds_a_truncated_archive_and_fails_the_snapshot() {
        createAndWait("s1");
        store.damage(new StoreKey("s1"), cut(1));
        VerifyResult result = snapkeep.verify(S1);
        assertThat(result.valid()).isFalse();
        assertThat(result.error()).startsWith("archive damaged: ").contains("truncated");
        assertThat(snapshot("s1").error()).isEqualTo(result.error());
    }

    @Test
    void verify_finds_a_missing_archive_and_fails_the_snapshot() {
        createAndWait("s1");
        store.delete(new StoreKey("s1"));
        assertThat(snapkeep.verify(S1)).isEqualTo(new VerifyResult(S1, false, "archive missing from the store"));
        assertThat(snapshot("s1").error()).isEqualTo("archive missing from the store");
    }

    @Test
    void verify_refuses_a_snapshot_without_a_complete_archive() throws Exception {
        assertThatThrownBy(() -> snapkeep.verify(SnapshotId.of("nope"))).isInstanceOf(NotFoundException.class);
        resources.failAt = "export";
        awaitEnd(create("broken"));
        assertThatThrownBy(() -> snapkeep.verify(SnapshotId.of("broken"))).isInstanceOf(SnapshotActionException.class)
                .hasMessage("Failed snapshot cannot be verified");
        resources.failAt = null;
        resources.pause = new CountDownLatch(1);
        Execution running = create("busy");
        assertThat(resources.paused.await(30, TimeUnit.SECONDS)).isTrue();
        assertThatThrownBy(() -> snapkeep.verify(SnapshotId.of("busy"))).isInstanceOf(SnapshotActionException.class)
                .hasMessageContaining("creating");
        resources.pause.countDown();
        awaitEnd(running);
    }

    @Test
    void a_restore_that_finds_damage_fails_and_fails_the_snapshot() {
        createAndWait("s1");
        Map<String, String> live = resources.with("a.txt", "changed").text();
        store.damage(new StoreKey("s1"), flipAt((int) snapshot("s1").archive().size() / 3));
        Execution done = awaitEnd(restore("s1", true));
        assertThat(done.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(done.error()).startsWith("archive damaged: ");
        assertThat(snapshot("s1").status()).isEqualTo(SnapshotStatus.FAILED);
        assertThat(snapshot("s1").error()).isEqualTo(done.error());
        assertThat(resources.text()).as("rolled back").isEqualTo(live);
    }

    @Test
    void a_restore_of_another_whole_archive_in_place_of_the_recorded_one_fails_the_snapshot() {
        createAndWait("s1");
        resources.with("a.txt", "another content");
        createAndWait("s2");
        byte[][] other = new byte[1][];
        store.damage(new StoreKey("s2"), b -> other[0] = b);
        // Valid in itself, every CRC and manifest digest right: only the recorded SHA-256 tells it apart.
        store.damage(new StoreKey("s1"), b -> other[0].clone());
        Map<String, String> live = resources.with("a.txt", "changed").text();
        Execution done = awaitEnd(restore("s1", true));
        assertThat(done.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(done.error()).startsWith("archive damaged: ");
        assertThat(snapshot("s1").status()).isEqualTo(SnapshotStatus.FAILED);
        assertThat(resources.text()).as("rolled back").isEqualTo(live);
    }

    @Test
    void a_restore_of_a_truncated_archive_fails_the_snapshot() {
        createAndWait("s1");
        store.damage(new StoreKey("s1"), cut(30));
        Execution done = awaitEnd(restore("s1", true));
        assertThat(done.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(snapshot("s1").error()).startsWith("archive damaged: ").isEqualTo(done.error());
    }

    @Test
    void a_restore_refused_for_whole_bytes_leaves_the_snapshot_as_it_is() throws Exception {
        snapkeep.upload(new UploadCommand(SnapshotId.of("cfy"), new ByteArrayInputStream(foreignArchive()),
                "admin"));
        Execution foreign = awaitEnd(restore("cfy", true));
        assertThat(foreign.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(foreign.error()).doesNotContain("damaged");
        assertThat(snapshot("cfy").status()).isEqualTo(SnapshotStatus.UPLOADED);

        createAndWait("s1");
        Execution notEmpty = awaitEnd(restore("s1", false));
        assertThat(notEmpty.error()).contains("not empty");
        assertThat(snapshot("s1").status()).isEqualTo(SnapshotStatus.CREATED);

        io.snapkeep.core.testing.MapParticipant ghost =
                new io.snapkeep.core.testing.MapParticipant("ghost", io.snapkeep.core.domain.StateCategory.STATE);
        snapkeep.close();
        snapkeep = io.snapkeep.core.Snapkeep.builder().archiveStore(store).snapshotCatalog(snapshots)
                .executionCatalog(executions).eventLog(events).participant(resources).participant(ghost).build()
                .start();
        createAndWait("with-ghost");
        snapkeep.close();
        snapkeep = newSnapkeep().start();
        Execution unknown = awaitEnd(restore("with-ghost", true));
        assertThat(unknown.error()).contains("`ghost`").contains("does not have");
        assertThat(snapshot("with-ghost").status()).isEqualTo(SnapshotStatus.CREATED);
    }

    @Test
    void a_restore_whose_archive_is_gone_fails_the_snapshot_as_missing() {
        createAndWait("s1");
        store.delete(new StoreKey("s1"));
        Execution done = awaitEnd(restore("s1", true));
        assertThat(done.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(done.error()).contains("archive missing from the store");
        assertThat(snapshot("s1").error()).isEqualTo("archive missing from the store");
    }
}
