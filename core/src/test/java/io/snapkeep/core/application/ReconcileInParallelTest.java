package io.snapkeep.core.application;

import static org.assertj.core.api.Assertions.assertThat;

import io.snapkeep.core.domain.ListQuery;
import io.snapkeep.core.domain.Snapshot;
import io.snapkeep.core.domain.SnapshotField;
import io.snapkeep.core.domain.SnapshotId;
import io.snapkeep.core.port.in.Reconcile.ReconcileReport;
import io.snapkeep.core.port.out.StoreKey;
import io.snapkeep.core.testing.InMemoryArchiveStore;
import io.snapkeep.core.testing.InMemoryExecutionCatalog;
import io.snapkeep.core.testing.InMemoryExecutionEventLog;
import io.snapkeep.core.testing.InMemorySnapshotCatalog;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A rebuild looks at several archives at once, and what it reports does not depend on their timing. */
class ReconcileInParallelTest extends EngineTestBase {
    private final AtomicInteger reading = new AtomicInteger();
    private final AtomicInteger mostAtOnce = new AtomicInteger();
    /** While set, a record read waits (a while at most) until another one is under way too. */
    private volatile CountDownLatch together;

    @BeforeEach
    void aStoreThatCountsRecordReads() {
        snapkeep.close();
        store = new InMemoryArchiveStore() {
            @Override
            public Optional<byte[]> readRecord(StoreKey key) {
                int now = reading.incrementAndGet();
                mostAtOnce.accumulateAndGet(now, Math::max);
                try {
                    CountDownLatch meet = together;
                    if (meet != null) {
                        meet.countDown();
                        meet.await(10, TimeUnit.SECONDS);
                    }
                    return super.readRecord(key);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                } finally {
                    reading.decrementAndGet();
                }
            }
        };
        snapkeep = newSnapkeep().start();
    }

    @Test
    void a_lost_catalog_is_rebuilt_reading_several_records_at_once_and_reported_in_key_order() {
        List<SnapshotId> ids = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            String id = String.format("s%02d", 39 - i);
            createAndWait(id);
            ids.add(SnapshotId.of(id));
        }
        snapkeep.close();
        snapshots = new InMemorySnapshotCatalog();
        executions = new InMemoryExecutionCatalog();
        events = new InMemoryExecutionEventLog();
        together = new CountDownLatch(2);
        mostAtOnce.set(0);
        snapkeep = newSnapkeep().start();

        assertThat(mostAtOnce.get()).as("record reads under way at once").isGreaterThan(1);
        List<SnapshotId> listed = snapkeep.listSnapshots(ListQuery.<SnapshotField>all()).items().stream()
                .map(Snapshot::id).toList();
        assertThat(listed).containsExactlyInAnyOrderElementsOf(ids);

        together = null;
        snapshots.delete(SnapshotId.of("s07"));
        snapshots.delete(SnapshotId.of("s31"));
        snapshots.delete(SnapshotId.of("s02"));
        ReconcileReport report = snapkeep.reconcile(false);
        assertThat(report.imported()).extracting(SnapshotId::value).containsExactly("s02", "s07", "s31");
    }
}
