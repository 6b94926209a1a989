package io.snapkeep.core.application;

import io.snapkeep.core.application.LocalCoordination.StripedLocks;
import io.snapkeep.core.domain.SnapshotId;
import io.snapkeep.core.error.StorageUnavailableException;
import io.snapkeep.core.port.out.NodeCatalog;
import io.snapkeep.core.port.out.NodeCatalog.NodeLease;
import io.snapkeep.core.support.DaemonThreads;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * The coordination of a node in a cluster, through the {@link NodeCatalog}: a heartbeat lease renewed five
 * times per lease length, and locks in the catalog that hold while this node's lease lives. Nothing else is
 * agreed on: the catalog's database is the one place every node sees alike.
 *
 * <p>A lock of the catalog is taken after the matching lock in memory, so threads of one node queue in memory
 * and only one of them asks the database at a time; a thread that already holds a snapshot's lock may take it
 * again. When this node finds its lease lost (another node took its work over after it stopped renewing, or
 * it could not renew in time) it asks its running work to stop and joins again under a new instance.
 */
final class ClusterCoordination implements Coordination {
    private static final System.Logger LOG = System.getLogger(ClusterCoordination.class.getName());
    private static final Duration SNAPSHOT_LOCK_WAIT = Duration.ofSeconds(60);
    private static final Duration RECONCILIATION_LOCK_WAIT = Duration.ofMinutes(10);
    private static final String RECONCILIATION = "reconcile";

    private final NodeCatalog catalog;
    private final String node;
    private final Clock clock;
    private final Duration ttl;
    /** Called with the reason when the lease was lost: running work must stop. */
    private final Consumer<String> onLeaseLost;
    private final StripedLocks snapshotLocks = new StripedLocks();
    private final Map<String, Integer> heldDepth = new ConcurrentHashMap<>();
    private final ReentrantLock reconciliation = new ReentrantLock();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile String instance = UUID.randomUUID().toString();
    private volatile Instant leaseEnds;
    private Thread heartbeat;

    ClusterCoordination(NodeCatalog catalog, String node, Clock clock, Duration ttl,
                        Consumer<String> onLeaseLost) {
        this.catalog = catalog;
        this.node = node;
        this.clock = clock;
        this.ttl = ttl;
        this.onLeaseLost = onLeaseLost;
    }

    @Override
    public String node() {
        return node;
    }

    @Override
    public boolean isClustered() {
        return true;
    }

    @Override
    public void start() {
        join();
        heartbeat = DaemonThreads.start("snapkeep-heartbeat", this::beat);
    }

    private void join() {
        Instant now = clock.instant();
        leaseEnds = now.plus(ttl);
        Optional<NodeLease> previous = catalog.join(new NodeLease(node, instance, now, leaseEnds));
        previous.filter(p -> p.isLiveAt(now)).ifPresent(p -> LOG.log(Level.WARNING, "Node id `" + node
                + "` had a live lease of another process (started " + p.startedAt() + "): either this node's "
                + "previous life, or another process configured with the same node.id, which must not be"));
    }

    private void beat() {
        long period = Math.max(50, ttl.toMillis() / 5);
        try {
            while (!stopped.await(period, TimeUnit.MILLISECONDS)) {
                renewOnce();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One renewal; a lost lease stops this node's running work and joins again. */
    void renewOnce() {
        Instant now = clock.instant();
        try {
            if (catalog.renew(node, instance, now.plus(ttl))) {
                leaseEnds = now.plus(ttl);
                return;
            }
            lost("its lease was taken over by another node");
        } catch (RuntimeException e) {
            if (now.isBefore(leaseEnds)) {
                LOG.log(Level.WARNING, "Node `" + node + "` could not renew its lease (" + e.getMessage()
                        + "); it tries again");
                return;
            }
            lost("it could not renew its lease in time (" + e.getMessage() + ")");
        }
    }

    private void lost(String why) {
        String reason = Recovery.nodeStopped(node);
        LOG.log(Level.ERROR, "Node `" + node + "` lost its place in the cluster: " + why
                + "; its running work stops and it joins again");
        onLeaseLost.accept(reason);
        instance = UUID.randomUUID().toString();
        try {
            join();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Node `" + node + "` could not join again (" + e.getMessage() + "); it tries again");
        }
    }

    @Override
    public void stop() {
        stopped.countDown();
        if (heartbeat != null) {
            try {
                heartbeat.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            catalog.leave(node, instance);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Node `" + node + "` could not leave the cluster cleanly (" + e.getMessage()
                    + "); its lease runs out by itself");
        }
    }

    @Override
    public Held lockSnapshot(SnapshotId id) {
        Held local = snapshotLocks.lock(id);
        try {
            return hold(Coordination.snapshotLock(id), "snapshot `" + id + "`", SNAPSHOT_LOCK_WAIT, local);
        } catch (RuntimeException | Error e) {
            local.close();
            throw e;
        }
    }

    @Override
    public Held lockReconciliation() {
        reconciliation.lock();
        try {
            return hold(RECONCILIATION, "the reconciliation", RECONCILIATION_LOCK_WAIT, reconciliation::unlock);
        } catch (RuntimeException | Error e) {
            reconciliation.unlock();
            throw e;
        }
    }

    /**
     * Takes the catalog lock {@code name} (the memory lock {@code local} is already held, so only this thread
     * of this node may hold or be taking it), polling with a growing pause until {@code wait} runs out.
     */
    private Held hold(String name, String what, Duration wait, Held local) {
        Integer depth = heldDepth.get(name);
        if (depth != null) {
            heldDepth.put(name, depth + 1);
            return () -> release(name, local);
        }
        long deadline = System.nanoTime() + wait.toNanos();
        long pause = 5;
        String heldAs = instance;
        while (!catalog.tryLock(name, node, heldAs, clock.instant())) {
            if (System.nanoTime() > deadline) {
                String holder = catalog.lockHolder(name, clock.instant()).orElse("nobody live");
                throw new StorageUnavailableException("The lock of " + what + " stayed held by node " + holder
                        + " for " + wait.toSeconds() + " s");
            }
            pauseFor(pause);
            pause = Math.min(pause * 2, 200);
            heldAs = instance;
        }
        heldDepth.put(name, 1);
        String taken = heldAs;
        return () -> {
            Integer d = heldDepth.get(name);
            if (d != null && d == 1) {
                heldDepth.remove(name);
                unlockQuietly(name, taken);
            } else if (d != null) {
                heldDepth.put(name, d - 1);
            }
            local.close();
        };
    }

    private void release(String name, Held local) {
        heldDepth.computeIfPresent(name, (k, d) -> d - 1);
        local.close();
    }

    private void unlockQuietly(String name, String heldAs) {
        try {
            catalog.unlock(name, node, heldAs);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Lock `" + name + "` could not be released (" + e.getMessage()
                    + "); it frees itself when this node's lease ends");
        }
    }

    private static void pauseFor(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageUnavailableException("Interrupted while waiting for a lock in the catalog", e);
        }
    }

    @Override
    public Optional<Held> claim(String name) {
        String heldAs = instance;
        if (!catalog.tryLock(name, node, heldAs, clock.instant())) {
            return Optional.empty();
        }
        return Optional.of(() -> unlockQuietly(name, heldAs));
    }

    @Override
    public boolean isClaimed(String name) {
        return catalog.lockHolder(name, clock.instant()).isPresent();
    }

    @Override
    public boolean hasExpiredNodes() {
        Instant now = clock.instant();
        return catalog.nodes().stream().anyMatch(lease -> !lease.isLiveAt(now));
    }

    @Override
    public void forgetExpiredNodes() {
        Instant now = clock.instant();
        for (NodeLease lease : catalog.nodes()) {
            if (!lease.isLiveAt(now) && catalog.removeExpired(lease.node(), lease.instance(), now)) {
                LOG.log(Level.INFO, "Node `" + lease.node() + "` stopped responding (its lease ran out at "
                        + lease.expiresAt() + "); its work was taken over by node `" + node + "`");
            }
        }
    }

    @Override
    public Set<String> liveNodes() {
        Instant now = clock.instant();
        Set<String> live = new HashSet<>();
        for (NodeLease lease : catalog.nodes()) {
            if (lease.isLiveAt(now)) {
                live.add(lease.node());
            }
        }
        live.add(node);
        return live;
    }
}
