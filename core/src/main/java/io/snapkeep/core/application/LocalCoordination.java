package io.snapkeep.core.application;

import io.snapkeep.core.domain.SnapshotId;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The coordination of a process alone on its catalog: striped locks in memory, and no other node, so every
 * unfinished piece of work found at start-up is this process's previous life's.
 */
final class LocalCoordination implements Coordination {
    private final String node;
    private final StripedLocks snapshotLocks = new StripedLocks();
    private final ReentrantLock reconciliation = new ReentrantLock();

    LocalCoordination(String node) {
        this.node = node;
    }

    @Override
    public String node() {
        return node;
    }

    @Override
    public boolean isClustered() {
        return false;
    }

    @Override
    public void start() {
    }

    @Override
    public void stop() {
    }

    @Override
    public Held lockSnapshot(SnapshotId id) {
        return snapshotLocks.lock(id);
    }

    @Override
    public Held lockReconciliation() {
        reconciliation.lock();
        return reconciliation::unlock;
    }

    /** The row's primary key already keeps a second upload of an id out; there is nobody else to keep out. */
    @Override
    public Optional<Held> claim(String name) {
        return Optional.of(() -> { });
    }

    @Override
    public boolean isClaimed(String name) {
        return false;
    }

    @Override
    public Set<String> liveNodes() {
        return Set.of(node);
    }

    @Override
    public boolean hasExpiredNodes() {
        return false;
    }

    @Override
    public void forgetExpiredNodes() {
    }

    /** 64 re-entrant locks that snapshot ids hash onto: a bounded number of locks for any number of ids. */
    static final class StripedLocks {
        private final ReentrantLock[] stripes = new ReentrantLock[64];

        StripedLocks() {
            for (int i = 0; i < stripes.length; i++) {
                stripes[i] = new ReentrantLock();
            }
        }

        Held lock(SnapshotId id) {
            ReentrantLock lock = stripes[Math.floorMod(id.value().hashCode(), stripes.length)];
            lock.lock();
            return lock::unlock;
        }
    }
}
