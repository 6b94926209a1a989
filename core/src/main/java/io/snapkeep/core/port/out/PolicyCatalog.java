package io.snapkeep.core.port.out;

import io.snapkeep.core.domain.PolicyRun;
import io.snapkeep.core.domain.SnapshotId;
import io.snapkeep.core.domain.SnapshotPolicy;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The policies and their history, in the catalog every node shares. Thread-safe; every method is atomic.
 * Failures of the database throw {@code StorageUnavailableException}.
 */
public interface PolicyCatalog {

    /** Stores {@code policy}, replacing one of the same name, keeping its history. */
    void save(SnapshotPolicy policy);

    Optional<SnapshotPolicy> find(String name);

    /** Every policy, by name. */
    List<SnapshotPolicy> all();

    /** Removes the policy, its history and its claims. @return whether it was there */
    boolean delete(String name);

    /**
     * Claims the due time {@code dueAt} of {@code kind} for {@code policy}: exactly one claim per policy,
     * kind and due time ever succeeds, whichever node asks, so every due time runs once in a cluster.
     *
     * @return whether this call made the claim
     */
    boolean claim(String policy, PolicyRun.Kind kind, Instant dueAt, String node);

    /** The latest due time of {@code kind} claimed for {@code policy}, or empty. */
    Optional<Instant> lastClaimed(String policy, PolicyRun.Kind kind);

    /**
     * Adds {@code run} to the history, or replaces the entry of the same policy, kind, due time and
     * snapshot.
     */
    void record(PolicyRun run);

    /** The newest {@code limit} entries of the policy's history: latest due time first, then latest written. */
    List<PolicyRun> history(String policy, int limit);

    /**
     * The snapshots this policy made (from its history: those its {@code SCHEDULED} and {@code MANUAL} runs name),
     * oldest due time first, less those a {@code SUCCEEDED} {@code RETENTION} run names.
     */
    List<SnapshotId> snapshotsOf(String policy);
}
