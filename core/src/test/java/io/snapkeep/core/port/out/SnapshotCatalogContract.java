package io.snapkeep.core.port.out;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snapkeep.core.domain.ArchiveInfo;
import io.snapkeep.core.domain.ListQuery;
import io.snapkeep.core.domain.Page;
import io.snapkeep.core.domain.Progress;
import io.snapkeep.core.domain.Snapshot;
import io.snapkeep.core.domain.SnapshotField;
import io.snapkeep.core.domain.SnapshotId;
import io.snapkeep.core.domain.SnapshotStatus;
import io.snapkeep.core.domain.Sort;
import io.snapkeep.core.error.AlreadyExistsException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The promises every {@link SnapshotCatalog} keeps. An implementation's test extends this class and returns
 * a fresh, empty catalog from {@link #newCatalog()}.
 */
public abstract class SnapshotCatalogContract {

    protected abstract SnapshotCatalog newCatalog() throws Exception;

    protected SnapshotCatalog catalog;

    protected static final Instant T0 = Instant.parse("2026-11-28T12:00:00.123Z");
    protected static final String SHA = "ab".repeat(32);

    @BeforeEach
    void createCatalog() throws Exception {
        catalog = newCatalog();
    }

    protected static Snapshot creating(String id, int secondsAfterT0) {
        return Snapshot.creating(SnapshotId.of(id), "admin", T0.plusSeconds(secondsAfterT0));
    }

    @Test
    void an_inserted_snapshot_is_found_as_written() {
        Snapshot s = creating("s1", 0);
        catalog.insert(s);
        assertThat(catalog.find(SnapshotId.of("s1"))).contains(s);
        assertThat(catalog.find(SnapshotId.of("s2"))).isEmpty();
    }

    @Test
    void every_status_and_field_round_trips() {
        Snapshot created = creating("c", 1).created(new ArchiveInfo(Long.MAX_VALUE / 3, SHA));
        Snapshot failed = creating("f", 2).failed("disk full: `/x` ünïcode");
        Snapshot uploading = Snapshot.uploading(SnapshotId.of("u" + "x".repeat(255)), "someone", T0);
        Snapshot uploaded = Snapshot.uploading(SnapshotId.of("v"), "someone", T0).uploaded(new ArchiveInfo(0, SHA));
        for (Snapshot s : List.of(created, failed, uploading, uploaded)) {
            catalog.insert(s);
            assertThat(catalog.find(s.id())).contains(s);
        }
    }

    @Test
    void upload_progress_is_recorded_while_uploading_kept_when_uploaded_and_dropped_after() {
        Snapshot uploading = Snapshot.uploading(SnapshotId.of("u"), "someone", T0);
        catalog.insert(uploading);
        Progress receiving = new Progress(0, 3, 300L << 20, Progress.Phases.RECEIVING, 1L << 30, Progress.UNKNOWN,
                50L << 20, 15);
        assertThat(catalog.updateUploadProgress(uploading.id(), receiving)).isTrue();
        Snapshot seen = catalog.find(uploading.id()).orElseThrow();
        assertThat(seen.upload()).isEqualTo(receiving);
        assertThat(seen.status()).isEqualTo(SnapshotStatus.UPLOADING);
        assertThat(catalog.list(ListQuery.all()).items()).containsExactly(seen);
        Progress unknown = new Progress(0, 0, 1, Progress.Phases.RECEIVING, Progress.UNKNOWN, Progress.UNKNOWN,
                Progress.UNKNOWN, Progress.UNKNOWN);
        assertThat(catalog.updateUploadProgress(uploading.id(), unknown)).isTrue();
        assertThat(catalog.find(uploading.id()).orElseThrow().upload()).isEqualTo(unknown);

        Snapshot uploaded = seen.uploaded(new ArchiveInfo(1L << 30, SHA));
        assertThat(catalog.update(SnapshotStatus.UPLOADING, uploaded)).isTrue();
        assertThat(catalog.find(uploading.id())).contains(uploaded);
        assertThat(uploaded.upload().phase()).isEqualTo(Progress.Phases.DONE);
        assertThat(catalog.updateUploadProgress(uploading.id(), receiving)).isFalse();
        assertThat(catalog.find(uploading.id())).contains(uploaded);
        assertThat(catalog.updateUploadProgress(SnapshotId.of("nobody"), receiving)).isFalse();
        Snapshot creating = creating("c", 1);
        catalog.insert(creating);
        assertThat(catalog.updateUploadProgress(creating.id(), receiving)).isFalse();
        assertThat(catalog.find(creating.id())).contains(creating);
    }

    @Test
    void counts_by_status_count_every_row_once_and_leave_out_empty_statuses() {
        assertThat(catalog.countByStatus()).isEmpty();
        catalog.insert(creating("a", 0));
        catalog.insert(creating("b", 1));
        catalog.insert(creating("c", 2).failed("boom"));
        catalog.insert(Snapshot.uploading(SnapshotId.of("u"), "someone", T0).uploaded(new ArchiveInfo(1, SHA)));
        assertThat(catalog.countByStatus()).containsOnly(java.util.Map.entry(SnapshotStatus.CREATING, 2L),
                java.util.Map.entry(SnapshotStatus.FAILED, 1L), java.util.Map.entry(SnapshotStatus.UPLOADED, 1L));
    }

    @Test
    void a_second_insert_of_an_id_fails_whatever_the_status() {
        catalog.insert(creating("dup", 0).failed("boom"));
        assertThatThrownBy(() -> catalog.insert(creating("dup", 5)))
                .isInstanceOf(AlreadyExistsException.class).hasMessageContaining("dup");
        assertThat(catalog.find(SnapshotId.of("dup"))).map(Snapshot::status).contains(SnapshotStatus.FAILED);
    }

    @Test
    void of_concurrent_inserts_of_one_id_exactly_one_wins() throws Exception {
        int racers = 8;
        ExecutorService pool = Executors.newFixedThreadPool(racers);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < racers; i++) {
                int n = i;
                results.add(pool.submit(() -> {
                    start.await();
                    try {
                        catalog.insert(Snapshot.creating(SnapshotId.of("race"), "user" + n, T0));
                        return true;
                    } catch (AlreadyExistsException e) {
                        return false;
                    }
                }));
            }
            start.countDown();
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
    void update_is_a_compare_and_set_on_the_status() {
        Snapshot s = creating("cas", 0);
        catalog.insert(s);
        Snapshot created = s.created(new ArchiveInfo(10, SHA));
        assertThat(catalog.update(SnapshotStatus.CREATING, created)).isTrue();
        assertThat(catalog.find(s.id())).contains(created);
        assertThat(catalog.update(SnapshotStatus.CREATING, s.failed("late"))).isFalse();
        assertThat(catalog.find(s.id())).contains(created);
        assertThat(catalog.update(SnapshotStatus.CREATING, creating("absent", 0).failed("x"))).isFalse();
        assertThat(catalog.find(SnapshotId.of("absent"))).isEmpty();
    }

    @Test
    void delete_removes_and_is_idempotent() {
        catalog.insert(creating("gone", 0));
        assertThat(catalog.delete(SnapshotId.of("gone"))).isTrue();
        assertThat(catalog.find(SnapshotId.of("gone"))).isEmpty();
        assertThat(catalog.delete(SnapshotId.of("gone"))).isFalse();
        catalog.insert(creating("gone", 1));
        assertThat(catalog.find(SnapshotId.of("gone"))).isPresent();
    }

    private void insertSample() {
        catalog.insert(creating("b-created", 3).created(new ArchiveInfo(300, SHA)));
        catalog.insert(creating("a-failed", 1).failed("boom"));
        catalog.insert(creating("c-creating", 2));
        catalog.insert(Snapshot.uploading(SnapshotId.of("d-uploaded"), "other", T0.plusSeconds(2))
                .uploaded(new ArchiveInfo(100, SHA)));
        catalog.insert(creating("e-created", 0).created(new ArchiveInfo(200, SHA)));
    }

    private static List<String> ids(Page<Snapshot> page) {
        return page.items().stream().map(s -> s.id().value()).toList();
    }

    @Test
    void snapshots_are_found_by_status_oldest_first() {
        insertSample();
        assertThat(catalog.findByStatus(Set.of(SnapshotStatus.CREATED, SnapshotStatus.UPLOADED)))
                .extracting(s -> s.id().value()).containsExactly("e-created", "d-uploaded", "b-created");
        assertThat(catalog.findByStatus(Set.of(SnapshotStatus.CREATING)))
                .containsExactly(creating("c-creating", 2));
        assertThat(catalog.findByStatus(Set.of(SnapshotStatus.UPLOADING))).isEmpty();
        assertThat(catalog.findByStatus(Set.of())).isEmpty();
        assertThat(catalog.findByStatus(Set.of(SnapshotStatus.values()))).hasSize(5);
    }

    @Test
    void the_default_order_is_created_at_then_id() {
        insertSample();
        Page<Snapshot> page = catalog.list(ListQuery.all());
        assertThat(ids(page)).containsExactly("e-created", "a-failed", "c-creating", "d-uploaded", "b-created");
        assertThat(page.total()).isEqualTo(5);
    }

    @Test
    void filters_or_within_a_field_and_and_across_fields() {
        insertSample();
        ListQuery<SnapshotField> q = ListQuery.<SnapshotField>all()
                .withFilter(SnapshotField.STATUS, "created", "uploaded");
        assertThat(ids(catalog.list(q))).containsExactly("e-created", "d-uploaded", "b-created");
        assertThat(ids(catalog.list(q.withFilter(SnapshotField.CREATED_BY, "admin"))))
                .containsExactly("e-created", "b-created");
        assertThat(catalog.list(q.withFilter(SnapshotField.CREATED_BY, "nobody")).total()).isZero();
        assertThat(ids(catalog.list(ListQuery.<SnapshotField>all().withFilter(SnapshotField.ID, "a-failed"))))
                .containsExactly("a-failed");
    }

    @Test
    void id_search_is_a_case_sensitive_substring() {
        insertSample();
        assertThat(ids(catalog.list(ListQuery.<SnapshotField>all().withIdContains("created"))))
                .containsExactly("e-created", "b-created");
        assertThat(catalog.list(ListQuery.<SnapshotField>all().withIdContains("CREATED")).total()).isZero();
        assertThat(catalog.list(ListQuery.<SnapshotField>all().withIdContains("%")).total())
                .as("wildcards are literal").isZero();
        assertThat(catalog.list(ListQuery.<SnapshotField>all().withIdContains("_")).total())
                .as("wildcards are literal").isZero();
    }

    @Test
    void sorts_apply_in_order_with_nulls_first_ascending() {
        insertSample();
        assertThat(ids(catalog.list(ListQuery.<SnapshotField>all()
                .sortedBy(Sort.asc(SnapshotField.STATUS), Sort.desc(SnapshotField.ID)))))
                .containsExactly("e-created", "b-created", "c-creating", "a-failed", "d-uploaded");
        assertThat(ids(catalog.list(ListQuery.<SnapshotField>all().sortedBy(Sort.asc(SnapshotField.ARCHIVE_SIZE)))))
                .containsExactly("a-failed", "c-creating", "d-uploaded", "e-created", "b-created");
        assertThat(ids(catalog.list(ListQuery.<SnapshotField>all().sortedBy(Sort.desc(SnapshotField.CREATED_AT)))))
                .containsExactly("b-created", "c-creating", "d-uploaded", "a-failed", "e-created");
    }

    @Test
    void paging_cuts_the_sorted_matches_and_counts_them_all() {
        insertSample();
        Page<Snapshot> page = catalog.list(ListQuery.<SnapshotField>all().sortedBy(Sort.asc(SnapshotField.ID))
                .page(1, 2));
        assertThat(ids(page)).containsExactly("b-created", "c-creating");
        assertThat(page.total()).isEqualTo(5);
        assertThat(page.offset()).isEqualTo(1);
        assertThat(page.size()).isEqualTo(2);
        assertThat(catalog.list(ListQuery.<SnapshotField>all().page(10, 5)).items()).isEmpty();
        assertThat(catalog.list(ListQuery.<SnapshotField>all().page(0, 0)).total()).isEqualTo(5);
    }
}
