package io.snapkeep.core.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snapkeep.core.Snapkeep;
import io.snapkeep.core.application.archive.RecordCodec;
import io.snapkeep.core.application.archive.SnapshotRecord;
import io.snapkeep.core.domain.ArchiveInfo;
import io.snapkeep.core.domain.CreateOptions;
import io.snapkeep.core.domain.Execution;
import io.snapkeep.core.domain.ExecutionStatus;
import io.snapkeep.core.domain.ListQuery;
import io.snapkeep.core.domain.Snapshot;
import io.snapkeep.core.domain.SnapshotField;
import io.snapkeep.core.domain.SnapshotId;
import io.snapkeep.core.domain.SnapshotStatus;
import io.snapkeep.core.domain.Workflow;
import io.snapkeep.core.error.SnapshotActionException;
import io.snapkeep.core.port.in.Reconcile.ReconcileReport;
import io.snapkeep.core.port.in.UploadSnapshot.UploadCommand;
import io.snapkeep.core.port.out.ArchiveStore.StagedWrite;
import io.snapkeep.core.port.out.StoreKey;
import io.snapkeep.core.testing.InMemoryExecutionCatalog;
import io.snapkeep.core.testing.InMemoryExecutionEventLog;
import io.snapkeep.core.testing.InMemorySnapshotCatalog;
import io.snapkeep.core.testing.LogCapture;
import io.snapkeep.core.testing.TestBytes;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The archive store is the record of every complete snapshot and the catalog an index of it: what the
 * store holds is listed again, what it lacks fails, and no archive is ever deleted.
 */
class ReconcileTest extends EngineTestBase {
    private static final Instant T = Instant.parse("2026-11-28T12:00:00Z");

    private void restart() {
        snapkeep.close();
        snapkeep = newSnapkeep().start();
    }

    /** A new engine on the same store whose catalogs are new and empty: the database was lost. */
    private void restartWithALostCatalog() {
        snapkeep.close();
        snapshots = new InMemorySnapshotCatalog();
        executions = new InMemoryExecutionCatalog();
        events = new InMemoryExecutionEventLog();
        snapkeep = newSnapkeep().start();
    }

    private Snapshot upload(String id, byte[] bytes) {
        return snapkeep.upload(new UploadCommand(SnapshotId.of(id), new ByteArrayInputStream(bytes), "uploader"));
    }

    private List<Snapshot> listed() {
        return snapkeep.listSnapshots(ListQuery.<SnapshotField>all()).items();
    }

    private SnapshotRecord record(String id) {
        return RecordCodec.decode(store.readRecord(new StoreKey(id)).orElseThrow());
    }

    private void commit(String key, byte[] bytes) throws Exception {
        try (StagedWrite w = store.beginWrite(new StoreKey(key))) {
            w.stream().write(bytes);
            w.commit();
        }
    }

    private Map<StoreKey, String> recordsNow() {
        Map<StoreKey, String> all = new LinkedHashMap<>();
        for (StoreKey key : store.inventory().records()) {
            all.put(key, new String(store.readRecord(key).orElseThrow(), StandardCharsets.UTF_8));
        }
        return all;
    }

    private Map<StoreKey, String> archivesNow() throws Exception {
        Map<StoreKey, String> all = new LinkedHashMap<>();
        for (StoreKey key : store.inventory().archives().keySet()) {
            all.put(key, TestBytes.sha256(archiveBytes(key.value())));
        }
        return all;
    }

    @Test
    void an_archive_the_catalog_does_not_know_is_imported_never_deleted() throws Exception {
        createAndWait("s1");
        Snapshot before = snapshot("s1");
        byte[] bytes = archiveBytes("s1");
        snapshots.delete(SnapshotId.of("s1")); // a delete cut off after the row, or a row lost
        restart();
        assertThat(snapshot("s1")).isEqualTo(before);
        assertThat(archiveBytes("s1")).isEqualTo(bytes);
        Execution done = awaitEnd(restore("s1", true));
        assertThat(done.status()).as(done.error()).isEqualTo(ExecutionStatus.TERMINATED);
    }

    @Test
    void the_listener_hears_every_reconciliation_that_changes_things_and_no_dry_run() throws Exception {
        createAndWait("s1");
        snapshots.delete(SnapshotId.of("s1"));
        List<io.snapkeep.core.port.in.Reconcile.ReconcileReport> heard =
                java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        snapkeep.close();
        snapkeep = Snapkeep.builder().archiveStore(store).snapshotCatalog(snapshots).executionCatalog(executions)
                .eventLog(events).participant(resources).participant(credentials).onReconciled(heard::add)
                .build().start();
        assertThat(heard).singleElement().satisfies(r -> {
            assertThat(r.imported()).containsExactly(SnapshotId.of("s1"));
            assertThat(r.dryRun()).isFalse();
        });
        snapshots.delete(SnapshotId.of("s1"));
        assertThat(snapkeep.reconcile(true).imported()).containsExactly(SnapshotId.of("s1"));
        assertThat(heard).as("a dry run is not told").hasSize(1);
        snapkeep.reconcile(false);
        assertThat(heard).hasSize(2);
        assertThat(heard.get(1).imported()).containsExactly(SnapshotId.of("s1"));
    }

    @Test
    void a_lost_catalog_is_rebuilt_from_the_store_with_every_snapshot() throws Exception {
        createAndWait("s1");
        createAndWait("s2");
        upload("copy", archiveBytes("s1"));
        upload("cfy", foreignArchive());
        List<Snapshot> before = listed();
        assertThat(before).hasSize(4);

        try (LogCapture log = LogCapture.of(Reconciliation.class)) {
            restartWithALostCatalog();
            assertThat(log.at(System.Logger.Level.INFO)).anySatisfy(l -> assertThat(l.message())
                    .contains("catalog had no snapshots").contains("rebuilt").contains("4 snapshot(s)"));
        }
        List<Snapshot> after = listed();
        // Everything but the figures of past uploads, which the records do not keep.
        assertThat(after).usingRecursiveFieldByFieldElementComparatorIgnoringFields("upload")
                .containsExactlyInAnyOrderElementsOf(before);
        for (Snapshot s : after) {
            Snapshot was = before.stream().filter(b -> b.id().equals(s.id())).findFirst().orElseThrow();
            assertThat(s.status()).isEqualTo(was.status());
            assertThat(s.createdAt()).isEqualTo(was.createdAt());
            assertThat(s.createdBy()).isEqualTo(was.createdBy());
            assertThat(s.archive().size()).isEqualTo(was.archive().size());
            assertThat(s.archive().sha256()).isEqualTo(was.archive().sha256());
        }
        assertThat(snapshot("cfy").status()).isEqualTo(SnapshotStatus.UPLOADED);
        assertThat(record("cfy").archiveFormat()).isEqualTo("foreign");
        assertThat(record("copy").archiveFormat()).isEqualTo("snapkeep/1");
        assertThat(snapkeep.reconcile(true).inAgreement()).isTrue();
    }

    @Test
    void a_row_whose_archive_is_missing_becomes_failed_and_stays_deletable() throws Exception {
        createAndWait("s1");
        Snapshot was = snapshot("s1");
        store.delete(new StoreKey("s1")); // behind the engine's back
        restart();
        Snapshot failed = snapshot("s1");
        assertThat(failed.status()).isEqualTo(SnapshotStatus.FAILED);
        assertThat(failed.error()).isEqualTo("archive missing from the store");
        assertThat(failed.createdAt()).isEqualTo(was.createdAt());
        assertThatThrownBy(() -> snapkeep.download(SnapshotId.of("s1"))).isInstanceOf(SnapshotActionException.class);
        assertThatThrownBy(() -> restore("s1", true)).isInstanceOf(SnapshotActionException.class);
        assertThat(snapkeep.delete(SnapshotId.of("s1"))).isEqualTo(failed);
        assertThat(snapshots.find(SnapshotId.of("s1"))).isEmpty();
    }

    @Test
    void an_archive_the_previous_release_kept_is_adopted_and_recorded() throws Exception {
        createAndWait("s1");
        Snapshot was = snapshot("s1");
        byte[] bytes = archiveBytes("s1");
        store.delete(new StoreKey("s1"));
        store.putLegacy(new StoreKey("s1"), bytes);
        ReconcileReport report = newSnapkeepNotStarted().reconcile(false);
        assertThat(report.adopted()).containsExactly(SnapshotId.of("s1"));
        assertThat(report.missing()).isEmpty();
        assertThat(snapshot("s1")).isEqualTo(was);
        assertThat(archiveBytes("s1")).isEqualTo(bytes);
        assertThat(record("s1").toSnapshot()).isEqualTo(was);
        assertThat(snapkeep.verify(SnapshotId.of("s1")).valid()).isTrue();
    }

    private io.snapkeep.core.Snapkeep newSnapkeepNotStarted() {
        snapkeep.close();
        snapkeep = newSnapkeep();
        return snapkeep;
    }

    @Test
    void a_row_with_its_archive_but_no_record_gets_its_record_from_the_row() throws Exception {
        createAndWait("s1");
        upload("cfy", foreignArchive());
        store.dropRecord(new StoreKey("s1"));
        store.dropRecord(new StoreKey("cfy"));
        restart();
        assertThat(record("s1")).isEqualTo(SnapshotRecord.of(snapshot("s1"), "snapkeep/1"));
        assertThat(record("cfy")).isEqualTo(SnapshotRecord.of(snapshot("cfy"), "foreign"));
    }

    @Test
    void an_archive_with_neither_row_nor_record_is_read_whole_recorded_and_imported() throws Exception {
        createAndWait("s1");
        Snapshot was = snapshot("s1");
        byte[] bytes = archiveBytes("s1");
        commit("copy", bytes);
        byte[] cfy = foreignArchive();
        commit("cfy", cfy);
        store.dropRecord(new StoreKey("s1"));
        snapshots.delete(SnapshotId.of("s1"));
        ReconcileReport report = snapkeep.reconcile(false);
        assertThat(report.imported()).containsExactlyInAnyOrder(SnapshotId.of("s1"), SnapshotId.of("copy"),
                SnapshotId.of("cfy"));

        Snapshot s1 = snapshot("s1");
        assertThat(s1.status()).as("its metadata names it").isEqualTo(SnapshotStatus.CREATED);
        assertThat(s1.archive()).isEqualTo(was.archive());
        Snapshot copy = snapshot("copy");
        assertThat(copy.status()).as("its metadata names another snapshot").isEqualTo(SnapshotStatus.UPLOADED);
        assertThat(copy.archive()).isEqualTo(was.archive());
        assertThat(snapshot("cfy").status()).isEqualTo(SnapshotStatus.UPLOADED);
        // Built once: a zip's entry times make two builds differ when a second boundary falls between them.
        assertThat(snapshot("cfy").archive().sha256()).isEqualTo(TestBytes.sha256(cfy));
        assertThat(record("s1").toSnapshot()).isEqualTo(s1);
        assertThat(record("copy").toSnapshot()).isEqualTo(copy);
        assertThat(record("cfy").archiveFormat()).isEqualTo("foreign");
    }

    @Test
    void an_invalid_archive_without_row_or_record_is_left_alone_and_logged() throws Exception {
        commit("junk", "not an archive".getBytes(StandardCharsets.UTF_8));
        try (LogCapture log = LogCapture.of(Reconciliation.class)) {
            restart();
            assertThat(log.at(System.Logger.Level.WARNING)).anySatisfy(l -> assertThat(l.message())
                    .contains("`junk`").contains("left as it is").contains("not a valid archive"));
            assertThat(log.at(System.Logger.Level.INFO)).anySatisfy(l -> assertThat(l.message())
                    .contains("left as they are 1 [junk]"));
        }
        assertThat(snapshots.find(SnapshotId.of("junk"))).isEmpty();
        assertThat(archiveBytes("junk")).asString(StandardCharsets.UTF_8).isEqualTo("not an archive");
        assertThat(store.readRecord(new StoreKey("junk"))).isEmpty();
    }

    @Test
    void a_record_of_a_newer_snapkeep_is_left_alone() throws Exception {
        commit("future", new byte[] {1, 2, 3});
        String newer = new String(RecordCodec.encode(new SnapshotRecord(SnapshotId.of("future"),
                SnapshotStatus.CREATED, T, "admin", new ArchiveInfo(3, "cd".repeat(32)), "snapkeep/1")),
                StandardCharsets.UTF_8).replace("\"version\":1", "\"version\":9");
        store.writeRecord(new StoreKey("future"), newer.getBytes(StandardCharsets.UTF_8));
        restart();
        assertThat(snapshots.find(SnapshotId.of("future"))).isEmpty();
        assertThat(new String(store.readRecord(new StoreKey("future")).orElseThrow(), StandardCharsets.UTF_8))
                .isEqualTo(newer);
    }

    @Test
    void an_archive_whose_size_at_rest_differs_from_the_record_fails_as_damaged() throws Exception {
        createAndWait("s1");
        long size = snapshot("s1").archive().size();
        store.damage(new StoreKey("s1"), b -> java.util.Arrays.copyOf(b, b.length - 10));
        restart();
        assertThat(snapshot("s1").status()).isEqualTo(SnapshotStatus.FAILED);
        assertThat(snapshot("s1").error()).isEqualTo("archive damaged: the store holds " + (size - 10)
                + " bytes of it where " + size + " were recorded");
        assertThat(store.stat(new StoreKey("s1"))).as("kept").isPresent();
    }

    @Test
    void a_dry_run_reports_an_archive_whose_size_differs_as_damaged_and_leaves_it_created() throws Exception {
        createAndWait("s1");
        store.damage(new StoreKey("s1"), b -> java.util.Arrays.copyOf(b, b.length - 10));

        ReconcileReport dry = snapkeep.reconcile(true);
        assertThat(dry.damaged()).containsExactly(SnapshotId.of("s1"));
        assertThat(dry.inAgreement()).isFalse();
        assertThat(snapshot("s1").status()).isEqualTo(SnapshotStatus.CREATED);

        ReconcileReport done = snapkeep.reconcile(false);
        assertThat(done.damaged()).containsExactly(SnapshotId.of("s1"));
        assertThat(snapshot("s1").status()).isEqualTo(SnapshotStatus.FAILED);
        assertThat(snapkeep.reconcile(true).inAgreement()).isTrue();
    }

    /** One snapshot of each kind that reconciliation acts on, and one it leaves as it is. */
    private void everyKindOfDisagreement() throws Exception {
        createAndWait("orphan");
        snapshots.delete(SnapshotId.of("orphan"));
        createAndWait("lost");
        store.delete(new StoreKey("lost"));
        createAndWait("unrecorded");
        store.dropRecord(new StoreKey("unrecorded"));
        createAndWait("fine");
    }

    @Test
    void a_dry_run_changes_nothing_and_reports_what_it_would_do() throws Exception {
        everyKindOfDisagreement();
        List<Snapshot> rows = listed();
        Map<StoreKey, String> recordsBefore = recordsNow();
        Map<StoreKey, String> archivesBefore = archivesNow();

        ReconcileReport dry;
        try (LogCapture log = LogCapture.of(Reconciliation.class)) {
            dry = snapkeep.reconcile(true);
            assertThat(log.at(System.Logger.Level.INFO)).singleElement().satisfies(l -> assertThat(l.message())
                    .startsWith("Reconciliation dry run (nothing was changed)").contains("imported 1 [orphan]")
                    .contains("failed as missing from the store 1 [lost]")
                    .contains("records written from the catalog 1 [unrecorded]"));
        }
        assertThat(dry.dryRun()).isTrue();
        assertThat(dry.imported()).containsExactly(SnapshotId.of("orphan"));
        assertThat(dry.missing()).containsExactly(SnapshotId.of("lost"));
        assertThat(dry.inAgreement()).isFalse();
        assertThat(listed()).containsExactlyInAnyOrderElementsOf(rows);
        assertThat(recordsNow()).isEqualTo(recordsBefore);
        assertThat(archivesNow()).isEqualTo(archivesBefore);

        ReconcileReport done = snapkeep.reconcile(false);
        assertThat(done.dryRun()).isFalse();
        assertThat(done.imported()).isEqualTo(dry.imported());
        assertThat(done.missing()).isEqualTo(dry.missing());
        assertThat(snapshot("orphan").status()).isEqualTo(SnapshotStatus.CREATED);
        assertThat(snapshot("lost").error()).isEqualTo("archive missing from the store");
        assertThat(store.readRecord(new StoreKey("unrecorded"))).isPresent();
        assertThat(snapkeep.reconcile(false).inAgreement()).isTrue();
        assertThat(archivesNow()).as("no archive removed").isEqualTo(archivesBefore);
    }

    @Test
    void a_dry_run_before_start_reports_what_start_would_complete() throws Exception {
        createAndWait("src");
        byte[] src = archiveBytes("src");
        snapkeep.delete(SnapshotId.of("src"));
        Snapshot row = Snapshot.creating(SnapshotId.of("s1"), "admin", T);
        snapshots.insert(row);
        Map<String, Object> p = new LinkedHashMap<>(CreateOptions.DEFAULTS.asParameters());
        p.put("snapshot_id", "s1");
        Execution e = Execution.newExecution(Workflow.CREATE_SNAPSHOT, SnapshotId.of("s1"), p, "admin", T, false)
                .started(T);
        executions.insert(e);
        // an archive under s1 that another create made: its metadata names `src`
        ArchiveInfo committed = new ArchiveInfo(src.length, TestBytes.sha256(src));
        commit("s1", src);
        io.snapkeep.core.Snapkeep idle = newSnapkeepNotStarted();

        ReconcileReport dry = idle.reconcile(true);
        assertThat(dry.completed()).as("the metadata names `src`, not this create").isEmpty();
        assertThat(snapshot("s1").status()).isEqualTo(SnapshotStatus.CREATING);
        assertThat(executions.find(e.id()).orElseThrow().status()).isEqualTo(ExecutionStatus.STARTED);
        assertThat(resources.recoveries).as("a dry run recovers no participant").containsExactly(false);

        store.writeRecord(new StoreKey("s1"), RecordCodec.encode(SnapshotRecord.of(row.created(committed),
                "snapkeep/1")));
        dry = idle.reconcile(true);
        assertThat(dry.completed()).containsExactly(SnapshotId.of("s1"));
        assertThat(snapshot("s1").status()).isEqualTo(SnapshotStatus.CREATING);
        ReconcileReport done = idle.reconcile(false);
        assertThat(done.completed()).containsExactly(SnapshotId.of("s1"));
        assertThat(snapshot("s1")).isEqualTo(row.created(committed));
        assertThat(executions.find(e.id()).orElseThrow().status()).isEqualTo(ExecutionStatus.TERMINATED);
        assertThat(resources.recoveries).containsExactly(false, false);
    }

    @Test
    void the_one_log_line_counts_every_kind_and_shows_at_most_twenty_ids() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            String id = String.format("imp%02d", i);
            ids.add(id);
            commit(id, new byte[] {1, 2, 3});
            store.writeRecord(new StoreKey(id), RecordCodec.encode(new SnapshotRecord(SnapshotId.of(id),
                    SnapshotStatus.CREATED, T, "admin", new ArchiveInfo(3, "cd".repeat(32)), "snapkeep/1")));
        }
        try (LogCapture log = LogCapture.of(Reconciliation.class)) {
            restart();
            List<LogCapture.Line> lines = log.at(System.Logger.Level.INFO).stream()
                    .filter(l -> l.message().startsWith("Reconciled")).toList();
            assertThat(lines).singleElement().satisfies(l -> assertThat(l.message())
                    .contains("imported 25 [" + String.join(", ", ids.subList(0, 20)) + ", ... and 5 more]")
                    .contains("completed 0").contains("failed as missing from the store 0")
                    .contains("adopted from the previous layout 0").contains("removed 0 unfinished upload(s)")
                    .doesNotContain("imp20"));
        }
        assertThat(listed()).hasSize(25);
    }

    @Test
    void a_store_that_refuses_records_does_not_stop_the_start_and_loses_nothing() throws Exception {
        java.util.concurrent.atomic.AtomicBoolean refuse = new java.util.concurrent.atomic.AtomicBoolean();
        snapkeep.close();
        store = new io.snapkeep.core.testing.InMemoryArchiveStore() {
            @Override
            public void writeRecord(StoreKey key, byte[] record) {
                if (refuse.get()) {
                    throw new UnsupportedOperationException("records are not kept by this store yet");
                }
                super.writeRecord(key, record);
            }
        };
        snapkeep = newSnapkeep().start();
        createAndWait("legacy");
        store.dropRecord(new StoreKey("legacy"));
        createAndWait("orphan");
        store.dropRecord(new StoreKey("orphan"));
        snapshots.delete(SnapshotId.of("orphan"));
        Snapshot legacy = snapshot("legacy");
        refuse.set(true);
        try (LogCapture log = LogCapture.of(Reconciliation.class)) {
            restart();
            assertThat(log.at(System.Logger.Level.WARNING)).hasSizeGreaterThanOrEqualTo(2)
                    .allSatisfy(l -> assertThat(l.message()).contains("could not be written"));
        }
        assertThat(snapshot("legacy")).isEqualTo(legacy);
        assertThat(snapshot("orphan").status()).as("listed without its record").isEqualTo(SnapshotStatus.CREATED);
        refuse.set(false);
        ReconcileReport next = snapkeep.reconcile(false);
        assertThat(next.inAgreement()).isTrue();
        assertThat(record("legacy").toSnapshot()).isEqualTo(legacy);
        assertThat(record("orphan").toSnapshot()).isEqualTo(snapshot("orphan"));
    }

    @Test
    void reconciling_a_running_engine_leaves_live_work_alone() throws Exception {
        resources.pause = new java.util.concurrent.CountDownLatch(1);
        Execution running = create("busy");
        assertThat(resources.paused.await(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        ReconcileReport report = snapkeep.reconcile(false);
        assertThat(report.inAgreement()).isTrue();
        assertThat(snapshot("busy").status()).isEqualTo(SnapshotStatus.CREATING);
        resources.pause.countDown();
        assertThat(awaitEnd(running).status()).isEqualTo(ExecutionStatus.TERMINATED);
        assertThat(record("busy").toSnapshot()).isEqualTo(snapshot("busy"));
        assertThat(snapkeep.reconcile(true).inAgreement()).isTrue();
    }
}
