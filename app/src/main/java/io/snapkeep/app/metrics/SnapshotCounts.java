package io.snapkeep.app.metrics;

import io.snapkeep.core.domain.SnapshotStatus;
import io.snapkeep.core.port.out.SnapshotCatalog;
import java.time.Duration;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The catalog's count of snapshots by status, read once per {@code ttl}: a scrape reads one gauge per status,
 * and they all share one query. A failed read shows as NaN until the next one (the catalog's decorator
 * counts the failure).
 */
final class SnapshotCounts {
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotCounts.class);
    private final SnapshotCatalog catalog;
    private final long ttlNanos;
    private Map<SnapshotStatus, Long> counts;
    private long readAt;
    private boolean read;

    SnapshotCounts(SnapshotCatalog catalog, Duration ttl) {
        this.catalog = catalog;
        this.ttlNanos = ttl.toNanos();
    }

    synchronized double count(SnapshotStatus status) {
        long now = System.nanoTime();
        if (!read || now - readAt >= ttlNanos) {
            readAt = now;
            try {
                counts = catalog.countByStatus();
            } catch (RuntimeException e) {
                if (counts != null || !read) {
                    LOG.warn("Snapshot counts could not be read from the catalog; they show as NaN ({})", e.toString());
                }
                counts = null;
            }
        }
        read = true;
        return counts == null ? Double.NaN : counts.getOrDefault(status, 0L);
    }
}
