package io.snapkeep.core.port.out;

import io.snapkeep.core.domain.ListQuery;
import io.snapkeep.core.domain.Page;
import io.snapkeep.core.domain.Progress;
import io.snapkeep.core.domain.Snapshot;
import io.snapkeep.core.domain.SnapshotField;
import io.snapkeep.core.domain.SnapshotId;
import io.snapkeep.core.domain.SnapshotStatus;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The source of truth for which snapshots exist and in which status. Thread-safe; every method is atomic.
 * Failures of the database throw {@code StorageUnavailableException}, never a driver's exception.
 */
public interface SnapshotCatalog {

    /**
     * Adds a new snapshot.
     *
     * @throws io.snapkeep.core.error.AlreadyExistsException when the id exists in any status; of two
     *         concurrent inserts of one id, exactly one succeeds, even across processes sharing the catalog
     */
    void insert(Snapshot snapshot);

    /** The snapshot with this id, or empty. */
    Optional<Snapshot> find(SnapshotId id);

    /**
     * Replaces the stored snapshot by {@code updated} (same id) only if its status is still
     * {@code expected}: a compare-and-set, so two racing transitions cannot both win.
     *
     * @return false when the snapshot is missing or its status is no longer {@code expected}
     */
    boolean update(SnapshotStatus expected, Snapshot updated);

    /**
     * Records new figures of the upload of snapshot {@code id} ({@link Snapshot#upload()}) while it is
     * {@code uploading}. Called a few times a second while an archive streams in: an implementation on a
     * database makes it one statement (this default reads, then compares and sets).
     *
     * @return false when the snapshot is missing or no longer {@code uploading} (the figures are dropped)
     */
    default boolean updateUploadProgress(SnapshotId id, Progress progress) {
        Optional<Snapshot> uploading = find(id).filter(s -> s.status() == SnapshotStatus.UPLOADING);
        return uploading.isPresent() && update(SnapshotStatus.UPLOADING, uploading.get().uploadProgressed(progress));
    }

    /**
     * Removes the snapshot. Idempotent.
     *
     * @return whether it was there
     */
    boolean delete(SnapshotId id);

    /**
     * Every snapshot whose status is one of {@code statuses}, oldest first by {@code created_at}, then id;
     * read in one step, so the answer is fixed even when rows change right after.
     */
    List<Snapshot> findByStatus(Set<SnapshotStatus> statuses);

    /**
     * One page of the snapshots matching {@code query}, with the total number of matches. Sorting by a
     * field with null values puts nulls first when ascending; ties are broken by {@code created_at}, then
     * id, ascending.
     */
    Page<Snapshot> list(ListQuery<SnapshotField> query);

    /**
     * How many snapshots are in each status (statuses without any are left out), read in one step. Monitoring
     * asks it; a catalog on a database overrides it with a count the database does.
     */
    default Map<SnapshotStatus, Long> countByStatus() {
        Map<SnapshotStatus, Long> counts = new EnumMap<>(SnapshotStatus.class);
        for (Snapshot s : findByStatus(EnumSet.allOf(SnapshotStatus.class))) {
            counts.merge(s.status(), 1L, Long::sum);
        }
        return counts;
    }
}
