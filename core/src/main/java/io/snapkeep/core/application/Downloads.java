package io.snapkeep.core.application;

import io.snapkeep.core.domain.SnapshotId;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/** The downloads this process streams, counted per snapshot from their opening to their close. */
final class Downloads {
    private final Map<SnapshotId, AtomicInteger> open = new ConcurrentHashMap<>();

    /** Counts {@code opening}'s stream as a download of {@code id} until it is closed. */
    InputStream tracked(SnapshotId id, Supplier<InputStream> opening) {
        open.compute(id, (k, c) -> c == null ? new AtomicInteger() : c).incrementAndGet();
        AtomicBoolean closed = new AtomicBoolean();
        Runnable done = () -> {
            if (closed.compareAndSet(false, true)) {
                open.computeIfPresent(id, (k, c) -> c.decrementAndGet() <= 0 ? null : c);
            }
        };
        InputStream in;
        try {
            in = opening.get();
        } catch (RuntimeException | Error e) {
            done.run();
            throw e;
        }
        return new FilterInputStream(in) {
            @Override
            public void close() throws IOException {
                try {
                    super.close();
                } finally {
                    done.run();
                }
            }
        };
    }

    boolean isStreaming(SnapshotId id) {
        return open.containsKey(id);
    }
}
