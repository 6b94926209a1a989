package io.snapkeep.core.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snapkeep.core.application.archive.RecordCodec;
import io.snapkeep.core.application.archive.SnapshotRecord;
import io.snapkeep.core.domain.Execution;
import io.snapkeep.core.domain.ExecutionStatus;
import io.snapkeep.core.domain.Snapshot;
import io.snapkeep.core.domain.SnapshotId;
import io.snapkeep.core.domain.SnapshotStatus;
import io.snapkeep.core.error.AlreadyExistsException;
import io.snapkeep.core.error.InvalidArchiveException;
import io.snapkeep.core.error.NotFoundException;
import io.snapkeep.core.error.SnapshotActionException;
import io.snapkeep.core.port.in.DownloadSnapshot.Download;
import io.snapkeep.core.port.in.UploadSnapshot.UploadCommand;
import io.snapkeep.core.port.out.StoreKey;
import io.snapkeep.core.testing.LogCapture;
import io.snapkeep.core.testing.TestBytes;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class UploadDownloadDeleteTest extends EngineTestBase {

    Snapshot upload(String id, byte[] bytes) {
        return snapkeep.upload(new UploadCommand(SnapshotId.of(id), new ByteArrayInputStream(bytes), "admin"));
    }

    static byte[] read(Download d, long offset, long length) throws IOException {
        try (InputStream in = d.open(offset, length)) {
            return in.readAllBytes();
        }
    }

    @Test
    void a_downloaded_archive_uploads_under_a_new_id_and_restores() throws Exception {
        createAndWait("s1");
        Download d = snapkeep.download(SnapshotId.of("s1"));
        byte[] bytes = read(d, 0, Long.MAX_VALUE);
        assertThat(bytes.length).isEqualTo(d.size());
        assertThat(TestBytes.sha256(bytes)).isEqualTo(d.sha256());

        Snapshot uploaded = upload("copy", bytes);
        assertThat(uploaded.status()).isEqualTo(SnapshotStatus.UPLOADED);
        assertThat(uploaded.archive()).isEqualTo(snapshot("s1").archive());
        assertThat(snapshot("copy")).isEqualTo(uploaded);
        assertThat(archiveBytes("copy")).isEqualTo(bytes);

        resources.clear().with("x", "y");
        Execution done = awaitEnd(restore("copy", true));
        assertThat(done.status()).as(done.error()).isEqualTo(ExecutionStatus.TERMINATED);
        assertThat(resources.text()).containsKeys("a.txt", "dir/b.json");
    }

    @Test
    void ranged_downloads_read_any_part() throws Exception {
        createAndWait("s1");
        Download d = snapkeep.download(SnapshotId.of("s1"));
        byte[] all = read(d, 0, Long.MAX_VALUE);
        assertThat(read(d, 10, 20)).isEqualTo(Arrays.copyOfRange(all, 10, 30));
        assertThat(read(d, all.length - 1, 5)).containsExactly(all[all.length - 1]);
    }

    static Stream<Arguments> damagedArchives() throws Exception {
        byte[] good = goodArchive();
        return Stream.of(
                Arguments.of("empty body", new byte[0]),
                Arguments.of("not a zip", "hello, this is not a zip".getBytes()),
                Arguments.of("cut 1 byte", Arrays.copyOf(good, good.length - 1)),
                Arguments.of("cut 16 bytes", Arrays.copyOf(good, good.length - 16)),
                Arguments.of("cut 200 bytes", Arrays.copyOf(good, good.length - 200)),
                Arguments.of("cut in half", Arrays.copyOf(good, good.length / 2)),
                Arguments.of("bit flip", flip(good, good.length / 3)));
    }

    private static byte[] goodArchive() throws Exception {
        UploadDownloadDeleteTest t = new UploadDownloadDeleteTest();
        t.setUpEngine();
        try {
            t.createAndWait("src");
            return t.archiveBytes("src");
        } finally {
            t.closeEngine();
        }
    }

    private static byte[] flip(byte[] bytes, int at) {
        byte[] copy = bytes.clone();
        copy[at] ^= 0x10;
        return copy;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("damagedArchives")
    void a_damaged_upload_is_refused_and_leaves_nothing(String what, byte[] bytes) {
        assertThatThrownBy(() -> upload("bad", bytes)).isInstanceOf(InvalidArchiveException.class)
                .satisfies(e -> assertThat(e.getMessage()).isNotBlank());
        assertThat(snapshots.find(SnapshotId.of("bad"))).isEmpty();
        assertThat(store.inventory().archives().keySet()).isEmpty();
        assertThat(store.openWrites()).isZero();
    }

    @Test
    void an_upload_cut_off_by_the_client_leaves_nothing() {
        InputStream dying = new InputStream() {
            int left = 100;

            @Override
            public int read() throws IOException {
                if (left-- == 0) {
                    throw new IOException("connection reset");
                }
                return 'P';
            }
        };
        assertThatThrownBy(() -> snapkeep.upload(new UploadCommand(SnapshotId.of("cut"), dying, "admin")))
                .isInstanceOf(InvalidArchiveException.class);
        assertThat(snapshots.find(SnapshotId.of("cut"))).isEmpty();
        assertThat(store.inventory().archives().keySet()).isEmpty();
    }

    @Test
    void a_client_that_goes_away_mid_upload_is_one_warning_with_the_id_and_the_bytes_received() throws Exception {
        createAndWait("s1");
        byte[] archive = archiveBytes("s1");
        InputStream dying = new InputStream() {
            int next;

            @Override
            public int read() throws IOException {
                if (next == 300) {
                    throw new IOException("connection reset");
                }
                return archive[next++] & 0xff;
            }
        };
        try (LogCapture log = LogCapture.of("io.snapkeep.core")) {
            assertThatThrownBy(() -> snapkeep.upload(new UploadCommand(SnapshotId.of("cut"), dying, "admin")))
                    .isInstanceOf(InvalidArchiveException.class).hasMessageContaining("after 300 bytes")
                    .hasMessageContaining("connection reset");
            assertThat(log.lines()).as("one WARN line, nothing else").singleElement().satisfies(l -> {
                assertThat(l.level()).isEqualTo(System.Logger.Level.WARNING);
                assertThat(l.message()).contains("`cut`").contains("300 bytes received").contains("connection reset");
            });
        }
        assertThat(snapshots.find(SnapshotId.of("cut"))).isEmpty();
        assertThat(store.stat(new StoreKey("cut"))).isEmpty();
        assertThat(store.openWrites()).isZero();
    }

    @Test
    void an_upload_keeps_its_record_with_the_archives_format() throws Exception {
        createAndWait("s1");
        Snapshot copy = upload("copy", archiveBytes("s1"));
        Snapshot foreign = upload("cfy", foreignArchive());
        assertThat(RecordCodec.decode(store.readRecord(new StoreKey("copy")).orElseThrow()))
                .isEqualTo(SnapshotRecord.of(copy, "snapkeep/1"));
        assertThat(RecordCodec.decode(store.readRecord(new StoreKey("cfy")).orElseThrow()))
                .isEqualTo(SnapshotRecord.of(foreign, "foreign"));
    }

    @Test
    void a_refused_upload_logs_nothing_above_debug() throws Exception {
        try (LogCapture log = LogCapture.of("io.snapkeep.core")) {
            assertThatThrownBy(() -> upload("bad", "not a zip".getBytes())).isInstanceOf(InvalidArchiveException.class);
            assertThat(log.lines()).isEmpty();
        }
    }

    @Test
    void an_upload_over_an_existing_id_conflicts_and_keeps_the_original() throws Exception {
        createAndWait("s1");
        byte[] bytes = archiveBytes("s1");
        assertThatThrownBy(() -> upload("s1", bytes)).isInstanceOf(AlreadyExistsException.class);
        assertThat(snapshot("s1").status()).isEqualTo(SnapshotStatus.CREATED);
        assertThat(archiveBytes("s1")).isEqualTo(bytes);
    }

    @Test
    void download_refuses_missing_failed_and_unfinished_snapshots() throws Exception {
        assertThatThrownBy(() -> snapkeep.download(SnapshotId.of("nope"))).isInstanceOf(NotFoundException.class);
        resources.failAt = "export";
        awaitEnd(create("broken"));
        assertThatThrownBy(() -> snapkeep.download(SnapshotId.of("broken")))
                .isInstanceOf(SnapshotActionException.class).hasMessage("Failed snapshot cannot be downloaded");
        resources.failAt = null;
        resources.pause = new CountDownLatch(1);
        Execution running = create("busy");
        assertThat(resources.paused.await(30, TimeUnit.SECONDS)).isTrue();
        assertThatThrownBy(() -> snapkeep.download(SnapshotId.of("busy")))
                .isInstanceOf(SnapshotActionException.class).hasMessageContaining("creating");
        resources.pause.countDown();
        awaitEnd(running);
    }

    @Test
    void delete_removes_row_and_archive_and_returns_the_snapshot() throws Exception {
        createAndWait("s1");
        Snapshot before = snapshot("s1");
        assertThat(snapkeep.delete(SnapshotId.of("s1"))).isEqualTo(before);
        assertThat(snapshots.find(SnapshotId.of("s1"))).isEmpty();
        assertThat(store.inventory().archives().keySet()).isEmpty();
        assertThatThrownBy(() -> snapkeep.delete(SnapshotId.of("s1"))).isInstanceOf(NotFoundException.class);
        createAndWait("s1");
    }

    @Test
    void delete_is_refused_while_an_execution_targets_the_snapshot() throws Exception {
        resources.pause = new CountDownLatch(1);
        Execution running = create("s1");
        assertThat(resources.paused.await(30, TimeUnit.SECONDS)).isTrue();
        assertThatThrownBy(() -> snapkeep.delete(SnapshotId.of("s1"))).isInstanceOf(SnapshotActionException.class)
                .hasMessage("Cannot delete snapshot `s1` which has an active `create_snapshot` execution");
        resources.pause.countDown();
        awaitEnd(running);
        snapkeep.delete(SnapshotId.of("s1"));
    }

    @Test
    void a_failed_snapshot_can_be_deleted() {
        resources.failAt = "export";
        awaitEnd(create("broken"));
        assertThat(snapkeep.delete(SnapshotId.of("broken")).status()).isEqualTo(SnapshotStatus.FAILED);
    }
}
