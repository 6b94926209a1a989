package io.snapkeep.core.testing;

import io.snapkeep.core.domain.ListQuery;
import io.snapkeep.core.domain.Page;
import io.snapkeep.core.domain.Snapshot;
import io.snapkeep.core.domain.SnapshotField;
import io.snapkeep.core.domain.SnapshotId;
import io.snapkeep.core.domain.SnapshotStatus;
import io.snapkeep.core.error.AlreadyExistsException;
import io.snapkeep.core.port.out.SnapshotCatalog;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** A {@link SnapshotCatalog} in a map: for tests and for trying the core without a database. */
public class InMemorySnapshotCatalog implements SnapshotCatalog {
    private final Map<SnapshotId, Snapshot> rows = new ConcurrentHashMap<>();

    @Override
    public void insert(Snapshot snapshot) {
        if (rows.putIfAbsent(snapshot.id(), snapshot) != null) {
            throw new AlreadyExistsException("Snapshot `" + snapshot.id() + "` already exists");
        }
    }

    @Override
    public Optional<Snapshot> find(SnapshotId id) {
        return Optional.ofNullable(rows.get(id));
    }

    @Override
    public boolean update(SnapshotStatus expected, Snapshot updated) {
        boolean[] done = {false};
        rows.computeIfPresent(updated.id(), (id, current) -> {
            if (current.status() != expected) {
                return current;
            }
            done[0] = true;
            return updated;
        });
        return done[0];
    }

    @Override
    public boolean delete(SnapshotId id) {
        return rows.remove(id) != null;
    }

    @Override
    public List<Snapshot> findByStatus(Set<SnapshotStatus> statuses) {
        return rows.values().stream().filter(s -> statuses.contains(s.status()))
                .sorted(Comparator.comparing(Snapshot::createdAt).thenComparing(s -> s.id().value())).toList();
    }

    @Override
    public Page<Snapshot> list(ListQuery<SnapshotField> query) {
        return InMemoryQueries.page(List.copyOf(rows.values()), query, (f, s) -> f.textOf(s), (f, s) -> f.valueOf(s),
                s -> s.id().value(), SnapshotField.CREATED_AT);
    }
}
