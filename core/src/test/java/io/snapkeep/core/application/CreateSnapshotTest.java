package io.snapkeep.core.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snapkeep.core.application.archive.RecordCodec;
import io.snapkeep.core.application.archive.SnapshotRecord;
import io.snapkeep.core.domain.CreateOptions;
import io.snapkeep.core.domain.Execution;
import io.snapkeep.core.domain.ExecutionEvent;
import io.snapkeep.core.domain.ExecutionStatus;
import io.snapkeep.core.domain.Snapshot;
import io.snapkeep.core.domain.SnapshotId;
import io.snapkeep.core.domain.SnapshotStatus;
import io.snapkeep.core.domain.Workflow;
import io.snapkeep.core.error.AlreadyExistsException;
import io.snapkeep.core.error.RunningExecutionException;
import io.snapkeep.core.error.StorageUnavailableException;
import io.snapkeep.core.port.in.UploadSnapshot.UploadCommand;
import io.snapkeep.core.port.out.StoreKey;
import io.snapkeep.core.testing.InMemoryArchiveStore;
import io.snapkeep.core.testing.TestBytes;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;

class CreateSnapshotTest extends EngineTestBase {

    @Test
    void a_create_ends_terminated_with_a_created_snapshot_and_its_archive() throws Exception {
        Execution e = create("s1");
        assertThat(e.workflow()).isEqualTo(Workflow.CREATE_SNAPSHOT);
        assertThat(e.status()).isEqualTo(ExecutionStatus.PENDING);
        assertThat(e.parameters()).containsEntry("snapshot_id", "s1").containsEntry("include_credentials", true);

        Execution done = awaitEnd(e);
        assertThat(done.status()).isEqualTo(ExecutionStatus.TERMINATED);
        assertThat(done.error()).isEmpty();
        assertThat(done.startedAt()).isNotNull();
        assertThat(done.endedAt()).isNotNull();
        assertThat(done.progress().finishedOperations()).isEqualTo(3);
        assertThat(done.progress().totalOperations()).isEqualTo(3);

        Snapshot s = snapshot("s1");
        assertThat(s.status()).isEqualTo(SnapshotStatus.CREATED);
        byte[] archive = archiveBytes("s1");
        assertThat(s.archive().size()).isEqualTo(archive.length);
        assertThat(s.archive().sha256()).isEqualTo(TestBytes.sha256(archive));
        assertThat(entryNames(archive)).containsExactly("metadata.json", "participants/resources/a.txt",
                "participants/resources/dir/b.json", "participants/credentials/key", "MANIFEST.sha256");
    }

    @Test
    void a_create_keeps_its_record_beside_the_archive() {
        createAndWait("s1");
        SnapshotRecord record = RecordCodec.decode(store.readRecord(new StoreKey("s1")).orElseThrow());
        assertThat(record).isEqualTo(SnapshotRecord.of(snapshot("s1"), "snapkeep/1"));
        assertThat(record.createdBy()).isEqualTo("admin");
    }

    @Test
    void the_record_is_written_after_the_commit_and_before_the_row_changes() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        snapkeep.close();
        store = new InMemoryArchiveStore() {
            @Override
            public void writeRecord(StoreKey key, byte[] record) {
                seen.add(snapshots.find(SnapshotId.of(key.value())).orElseThrow().status().wireName()
                        + (stat(key).isPresent() ? ", committed" : ", not committed"));
                super.writeRecord(key, record);
            }
        };
        snapkeep = newSnapkeep().start();
        createAndWait("s1");
        byte[] archive = archiveBytes("s1");
        snapkeep.upload(new UploadCommand(SnapshotId.of("up"), new ByteArrayInputStream(archive), "admin"));
        assertThat(seen).containsExactly("creating, committed", "uploading, committed");
    }

    @Test
    void a_create_whose_record_cannot_be_written_fails_and_keeps_no_archive() {
        snapkeep.close();
        store = new InMemoryArchiveStore() {
            @Override
            public void writeRecord(StoreKey key, byte[] record) {
                throw new StorageUnavailableException("the records are unwritable");
            }
        };
        snapkeep = newSnapkeep().start();
        Execution done = awaitEnd(create("s1"));
        assertThat(done.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(done.error()).isEqualTo("the records are unwritable");
        assertThat(snapshot("s1").status()).isEqualTo(SnapshotStatus.FAILED);
        assertThat(store.inventory().archives().keySet()).isEmpty();
        assertThat(store.openWrites()).isZero();
    }

    @Test
    void options_select_participants_by_category() throws Exception {
        awaitEnd(create("nocreds", new CreateOptions(false, false, true, true, false)));
        assertThat(entryNames(archiveBytes("nocreds"))).containsExactly("metadata.json",
                "participants/resources/a.txt", "participants/resources/dir/b.json", "MANIFEST.sha256");
    }

    static List<String> entryNames(byte[] zip) throws Exception {
        List<String> names = new ArrayList<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                names.add(e.getName());
            }
        } catch (java.util.zip.ZipException stored) {
            // ZipInputStream cannot read STORED entries with data descriptors; use the central directory.
            names.clear();
            java.nio.file.Path tmp = java.nio.file.Files.createTempFile("archive", ".zip");
            try {
                java.nio.file.Files.write(tmp, zip);
                try (java.util.zip.ZipFile f = new java.util.zip.ZipFile(tmp.toFile())) {
                    f.stream().forEach(x -> names.add(x.getName()));
                }
            } finally {
                java.nio.file.Files.deleteIfExists(tmp);
            }
        }
        return names;
    }

    @Test
    void events_start_with_started_and_end_with_the_terminal_event() {
        Execution done = awaitEnd(create("s1"));
        List<ExecutionEvent> log = eventsOf(done);
        assertThat(log.get(0).eventType()).isEqualTo("workflow_started");
        assertThat(log.get(0).message()).isEqualTo("Starting 'create_snapshot' workflow execution");
        assertThat(log.get(log.size() - 1).eventType()).isEqualTo("workflow_succeeded");
        assertThat(log.get(log.size() - 1).message()).isEqualTo("'create_snapshot' workflow execution succeeded");
        assertThat(log).filteredOn(ev -> ev.kind() == ExecutionEvent.Kind.LOG).isNotEmpty();
        assertThat(log).filteredOn(ev -> ev.kind() == ExecutionEvent.Kind.EVENT).hasSize(2);
    }

    @Test
    void the_terminal_event_is_stored_before_the_end_status_is_visible() {
        for (int i = 0; i < 20; i++) {
            Execution e = create("s" + i);
            while (true) {
                Execution seen = snapkeep.getExecution(e.id());
                if (seen.status().isEnd()) {
                    List<ExecutionEvent> log = eventsOf(seen);
                    assertThat(log.get(log.size() - 1).eventType()).isEqualTo("workflow_succeeded");
                    break;
                }
            }
        }
    }

    @Test
    void an_existing_id_conflicts_whatever_its_status() {
        createAndWait("s1");
        assertThatThrownBy(() -> create("s1")).isInstanceOf(AlreadyExistsException.class)
                .hasMessageContaining("s1");
        resources.failAt = "export";
        awaitEnd(create("s2"));
        assertThatThrownBy(() -> create("s2")).isInstanceOf(AlreadyExistsException.class);
    }

    @Test
    void of_two_concurrent_creates_of_one_id_exactly_one_wins() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                results.add(pool.submit(() -> {
                    go.await();
                    try {
                        create("race", new CreateOptions(true, false, true, true, true));
                        return true;
                    } catch (AlreadyExistsException e) {
                        return false;
                    }
                }));
            }
            go.countDown();
            int wins = 0;
            for (Future<Boolean> f : results) {
                wins += f.get(30, TimeUnit.SECONDS) ? 1 : 0;
            }
            assertThat(wins).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void a_busy_engine_refuses_a_second_create_and_leaves_no_row() throws Exception {
        resources.pause = new CountDownLatch(1);
        Execution first = create("s1");
        assertThat(resources.paused.await(30, TimeUnit.SECONDS)).isTrue();
        assertThatThrownBy(() -> create("s2")).isInstanceOf(RunningExecutionException.class);
        assertThat(snapshots.find(SnapshotId.of("s2"))).isEmpty();
        resources.pause.countDown();
        assertThat(awaitEnd(first).status()).isEqualTo(ExecutionStatus.TERMINATED);
    }

    @Test
    void queued_creates_run_after_the_active_one_in_order() throws Exception {
        resources.pause = new CountDownLatch(1);
        Execution first = create("s1");
        assertThat(resources.paused.await(30, TimeUnit.SECONDS)).isTrue();
        CreateOptions queue = new CreateOptions(true, false, true, true, true);
        Execution second = create("s2", queue);
        Execution third = create("s3", queue);
        assertThat(second.status()).isEqualTo(ExecutionStatus.QUEUED);
        assertThat(snapshot("s2").status()).isEqualTo(SnapshotStatus.CREATING);
        resources.pause.countDown();
        Execution a = awaitEnd(first);
        Execution b = awaitEnd(second);
        Execution c = awaitEnd(third);
        assertThat(List.of(a.status(), b.status(), c.status())).containsOnly(ExecutionStatus.TERMINATED);
        assertThat(b.startedAt()).isAfterOrEqualTo(a.endedAt());
        assertThat(c.startedAt()).isAfterOrEqualTo(b.endedAt());
        assertThat(snapshot("s3").status()).isEqualTo(SnapshotStatus.CREATED);
    }

    @Test
    void a_failed_create_fails_snapshot_and_execution_with_one_reason_and_keeps_no_archive() {
        credentials.failAt = "export-end";
        Execution done = awaitEnd(create("s1"));
        assertThat(done.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(done.error()).contains("participant `credentials` failed at export-end");
        Snapshot s = snapshot("s1");
        assertThat(s.status()).isEqualTo(SnapshotStatus.FAILED);
        assertThat(s.error()).isEqualTo(done.error());
        assertThat(store.inventory().archives().keySet()).isEmpty();
        assertThat(store.openWrites()).isZero();
        List<ExecutionEvent> log = eventsOf(done);
        assertThat(log.get(log.size() - 1).eventType()).isEqualTo("workflow_failed");
        assertThat(log.get(log.size() - 1).message())
                .isEqualTo("'create_snapshot' workflow execution failed: " + done.error());
        assertThat(log).noneMatch(ev -> "workflow_succeeded".equals(ev.eventType()));
    }

    @Test
    void a_failed_create_never_shows_a_terminated_execution() {
        credentials.failAt = "export-end";
        Execution e = create("s1");
        Execution seen;
        do {
            seen = snapkeep.getExecution(e.id());
            assertThat(seen.status()).isNotEqualTo(ExecutionStatus.TERMINATED);
        } while (!seen.status().isEnd());
        assertThat(seen.status()).isEqualTo(ExecutionStatus.FAILED);
    }

    @Test
    void large_entries_stream_through_and_progress_counts_bytes() throws Exception {
        resources.with("big.bin", TestBytes.randomArray(42, 9 * 1024 * 1024));
        Execution done = awaitEnd(create("big"));
        assertThat(done.status()).as(done.error()).isEqualTo(ExecutionStatus.TERMINATED);
        assertThat(done.progress().bytes()).isGreaterThanOrEqualTo(9L * 1024 * 1024);
        assertThat(snapshot("big").archive().size()).isGreaterThan(9L * 1024 * 1024);
    }
}
