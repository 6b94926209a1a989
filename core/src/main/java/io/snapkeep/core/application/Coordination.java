package io.snapkeep.core.application;

import io.snapkeep.core.domain.SnapshotId;
import java.util.Optional;
import java.util.Set;

/**
 * How the processes sharing one catalog and one store take turns. A process that is alone on its catalog (an
 * embedded H2 file only one process can open) uses {@link LocalCoordination}: locks in memory, and at start-up
 * everything unfinished is its own previous life's. Nodes of a cluster use {@link ClusterCoordination}: a
 * heartbeat lease per node and locks in the catalog, held while their holder's lease lives.
 */
interface Coordination {
    /** The longest lock name the catalogs keep. */
    int MAX_LOCK_NAME = 256;

    /** The name of a claim that an upload holds for as long as it streams. */
    static String uploadClaim(SnapshotId id) {
        return lockName("upload:", id.value());
    }

    /** The name of the lock that serializes the writers of snapshot {@code id}. */
    static String snapshotLock(SnapshotId id) {
        return lockName("snapshot:", id.value());
    }

    /** The name of the claim that {@code node} holds while it streams at least one download of {@code id}. */
    static String downloadClaim(SnapshotId id, String node) {
        return lockName("download:" + node + ":", id.value());
    }

    /**
     * {@code kind} and {@code subject}, or, when that would not fit the catalog's {@link #MAX_LOCK_NAME}
     * characters (a snapshot id may be 256 long), {@code kind} and the SHA-256 of {@code subject}: still one
     * name per subject, and never a lock the database refuses.
     */
    static String lockName(String kind, String subject) {
        String plain = kind + subject;
        if (plain.length() <= MAX_LOCK_NAME) {
            return plain;
        }
        return kind + "sha256:" + io.snapkeep.core.support.Sha256.hexOf(
                subject.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** This process's node id. */
    String node();

    /** Whether other processes may share the catalog, so that work in it can belong to another live node. */
    boolean isClustered();

    /** Joins: from now on this node counts as alive. Before any work starts. */
    void start();

    /** Leaves: this node's lease and locks are given up. After all work ended. */
    void stop();

    /**
     * The lock of snapshot {@code id} across every process on the catalog: the first lock in the lock order.
     * Held while a snapshot's row and its archive change together. Blocks until it is held.
     *
     * @throws io.snapkeep.core.error.StorageUnavailableException when it stays held by another live node too long
     */
    Held lockSnapshot(SnapshotId id);

    /**
     * The lock that lets one reconciliation (a start-up's, a take-over's, or one asked for) run at a time in the
     * whole cluster. Blocks until it is held.
     */
    Held lockReconciliation();

    /** Claims {@code name} for this node until released; empty when another live node holds it. */
    Optional<Held> claim(String name);

    /**
     * Whether a live holder holds claim {@code name}: this process or another live node; never a previous life
     * of this node. A process alone on its catalog has nobody else, and answers false.
     */
    boolean isClaimed(String name);

    /** The nodes whose lease lives now, this one included. */
    Set<String> liveNodes();

    /** Whether the catalog still lists nodes whose lease ran out. */
    boolean hasExpiredNodes();

    /**
     * Removes the rows of nodes whose lease ran out, once their work was taken over: such a node, should it
     * still run, then finds its lease gone at its next renewal and stops its own work.
     */
    void forgetExpiredNodes();
}
