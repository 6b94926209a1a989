package io.snapkeep.core.application;

import io.snapkeep.core.domain.SnapshotId;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * The downloads that stream, counted per snapshot from their opening to their close. In a cluster each node
 * also holds a claim in the catalog ({@link Coordination#downloadClaim}) while it streams one or more downloads
 * of a snapshot, so that retention on any node leaves that snapshot alone; a node that dies drops its claims
 * with its lease.
 */
final class Downloads {
    private final Coordination coordination;
    private final Map<SnapshotId, Streaming> open = new ConcurrentHashMap<>();

    /** The downloads of one snapshot on this node, and the claim they hold together. */
    private static final class Streaming {
        int count;
        Held claim;
    }

    Downloads(Coordination coordination) {
        this.coordination = coordination;
    }

    /** Counts {@code opening}'s stream as a download of {@code id} until it is closed. */
    InputStream tracked(SnapshotId id, Supplier<InputStream> opening) {
        open.compute(id, (k, s) -> {
            Streaming streaming = s == null ? new Streaming() : s;
            if (streaming.count == 0) {
                streaming.claim = coordination.claim(Coordination.downloadClaim(id, coordination.node()))
                        .orElse(() -> { });
            }
            streaming.count++;
            return streaming;
        });
        AtomicBoolean closed = new AtomicBoolean();
        Runnable done = () -> {
            if (closed.compareAndSet(false, true)) {
                open.computeIfPresent(id, (k, s) -> {
                    if (--s.count > 0) {
                        return s;
                    }
                    s.claim.close();
                    return null;
                });
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

    /** Whether a download of {@code id} streams on this node or, in a cluster, on any other live node. */
    boolean isStreaming(SnapshotId id) {
        if (open.containsKey(id)) {
            return true;
        }
        for (String node : coordination.liveNodes()) {
            if (!node.equals(coordination.node()) && coordination.isClaimed(Coordination.downloadClaim(id, node))) {
                return true;
            }
        }
        return false;
    }
}
