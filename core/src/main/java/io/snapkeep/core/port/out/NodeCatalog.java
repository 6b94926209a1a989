package io.snapkeep.core.port.out;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The nodes of a cluster that share one catalog, each with its heartbeat lease, and the named locks they take
 * in it. The catalog's database is the only thing nodes agree through: a node is alive while its lease has
 * not expired, and a lock is held while its holder's lease lives, so the locks of a node that stopped
 * responding free themselves when its lease runs out. Times come from the callers' clocks, which are
 * expected to agree to well within a lease's length.
 *
 * <p>Thread-safe; every method is atomic across processes sharing the catalog. Failures of the database throw
 * {@code StorageUnavailableException}.
 */
public interface NodeCatalog {

    /**
     * One process's lease.
     *
     * @param node      the node's id (stable across restarts when configured so)
     * @param instance  a random id of this process's life, so that a restarted node is told from its previous
     *                  life
     * @param expiresAt until when the node counts as alive unless renewed
     */
    record NodeLease(String node, String instance, Instant startedAt, Instant expiresAt) {
        public NodeLease {
            Objects.requireNonNull(node, "node");
            Objects.requireNonNull(instance, "instance");
            Objects.requireNonNull(startedAt, "startedAt");
            Objects.requireNonNull(expiresAt, "expiresAt");
        }

        public boolean isLiveAt(Instant now) {
            return now.isBefore(expiresAt);
        }
    }

    /**
     * Registers {@code lease}, replacing any row of the same node (a previous life of it, or a lease that
     * another process holds under the same id).
     *
     * @return the row it replaced, or empty
     */
    Optional<NodeLease> join(NodeLease lease);

    /**
     * Moves the expiry of {@code node}'s lease to {@code expiresAt}, if its row still names {@code instance}.
     *
     * @return false when the row is gone or names another instance: another node took this node's work over
     *         after its lease ran out, or another process joined under its id
     */
    boolean renew(String node, String instance, Instant expiresAt);

    /** Removes the row of {@code node} if it names {@code instance}; a clean stop. Idempotent. */
    void leave(String node, String instance);

    /** Every node's row, live or expired, ordered by node id. */
    List<NodeLease> nodes();

    /**
     * Removes the row of {@code node} only if it still names {@code instance} and has expired at {@code now}:
     * of several nodes that find it dead, exactly one gets true and takes its work over.
     */
    boolean removeExpired(String node, String instance, Instant now);

    /**
     * Takes the lock {@code name} for the holder {@code node}/{@code instance} when it is free, or held by a
     * holder whose lease has expired or whose row is gone (or names another instance).
     *
     * @return false when another live holder, or this same holder, already holds it
     */
    boolean tryLock(String name, String node, String instance, Instant now);

    /** Releases {@code name} if this holder holds it. Idempotent. */
    void unlock(String name, String node, String instance);

    /** The node that holds {@code name} with a live lease at {@code now}, or empty when nobody live does. */
    Optional<String> lockHolder(String name, Instant now);
}
