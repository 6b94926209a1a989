package io.snapkeep.app.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snapkeep.core.error.NotFoundException;
import io.snapkeep.core.error.StorageUnavailableException;
import io.snapkeep.core.port.out.ArchiveStore;
import io.snapkeep.core.port.out.StoreKey;
import io.snapkeep.core.testing.InMemoryArchiveStore;
import java.io.InputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MeteredArchiveStoreTest {
    private final SnapkeepMetrics metrics = new SnapkeepMetrics();

    @AfterEach
    void close() {
        metrics.close();
    }

    private double counter(String name) {
        return metrics.registry().get(name).tag("store", "memory").counter().count();
    }

    @Test
    void bytes_written_and_read_are_counted_archives_and_records_alike() throws Exception {
        ArchiveStore store = metrics.meter(new InMemoryArchiveStore(), "memory");
        StoreKey key = new StoreKey("k");
        try (ArchiveStore.StagedWrite w = store.beginWrite(key)) {
            w.stream().write(new byte[1000]);
            w.stream().write(7);
            w.commit();
        }
        store.writeRecord(key, new byte[10]);
        assertThat(counter("snapkeep.store.written")).isEqualTo(1011);
        try (InputStream in = store.open(key)) {
            assertThat(in.readAllBytes()).hasSize(1001);
        }
        try (InputStream in = store.openRange(key, 1, 100)) {
            assertThat(in.read()).isZero();
            assertThat(in.readAllBytes()).hasSize(99);
        }
        assertThat(store.readRecord(key)).isPresent();
        assertThat(counter("snapkeep.store.read")).isEqualTo(1001 + 100 + 10);
        assertThat(counter("snapkeep.store.errors")).isZero();
    }

    @Test
    void unavailability_is_an_error_and_a_missing_key_is_not() {
        ArchiveStore broken = new InMemoryArchiveStore() {
            @Override
            public Inventory inventory() {
                throw new StorageUnavailableException("down");
            }
        };
        ArchiveStore store = metrics.meter(broken, "memory");
        assertThatThrownBy(() -> store.open(new StoreKey("nope"))).isInstanceOf(NotFoundException.class);
        assertThat(counter("snapkeep.store.errors")).isZero();
        assertThatThrownBy(store::probe).isInstanceOf(StorageUnavailableException.class);
        assertThatThrownBy(store::inventory).isInstanceOf(StorageUnavailableException.class);
        assertThat(counter("snapkeep.store.errors")).isEqualTo(2);
        assertThat(metrics.scrape()).contains("snapkeep_store_errors_total{store=\"memory\"} 2.0");
    }
}
