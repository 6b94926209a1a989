package io.snapkeep.core.testing;

import io.snapkeep.core.domain.PolicyRun;
import io.snapkeep.core.domain.SnapshotId;
import io.snapkeep.core.domain.SnapshotPolicy;
import io.snapkeep.core.port.out.PolicyCatalog;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/** A {@link PolicyCatalog} in maps, one lock around every method: several engines in one JVM can share one. */
public class InMemoryPolicyCatalog implements PolicyCatalog {
    /** Newest first by due time, then by when it was written, as the contract orders a history. */
    static final Comparator<PolicyRun> NEWEST_FIRST = Comparator.comparing(PolicyRun::dueAt)
            .thenComparing(PolicyRun::recordedAt).reversed();

    private final Map<String, SnapshotPolicy> policies = new TreeMap<>();
    private final Map<String, String> claims = new TreeMap<>();
    private final Map<String, Instant> latestClaims = new TreeMap<>();
    private final Map<String, List<PolicyRun>> runs = new TreeMap<>();

    @Override
    public synchronized void save(SnapshotPolicy policy) {
        policies.put(policy.name(), policy);
    }

    @Override
    public synchronized Optional<SnapshotPolicy> find(String name) {
        return Optional.ofNullable(policies.get(name));
    }

    @Override
    public synchronized List<SnapshotPolicy> all() {
        return new ArrayList<>(policies.values());
    }

    @Override
    public synchronized boolean delete(String name) {
        runs.remove(name);
        String prefix = name + "\n";
        claims.keySet().removeIf(k -> k.startsWith(prefix));
        latestClaims.keySet().removeIf(k -> k.startsWith(prefix));
        return policies.remove(name) != null;
    }

    @Override
    public synchronized boolean claim(String policy, PolicyRun.Kind kind, Instant dueAt, String node) {
        if (claims.putIfAbsent(policy + "\n" + kind + "\n" + dueAt, node) != null) {
            return false;
        }
        latestClaims.merge(policy + "\n" + kind, dueAt, (a, b) -> a.isAfter(b) ? a : b);
        return true;
    }

    @Override
    public synchronized Optional<Instant> lastClaimed(String policy, PolicyRun.Kind kind) {
        return Optional.ofNullable(latestClaims.get(policy + "\n" + kind));
    }

    @Override
    public synchronized void record(PolicyRun run) {
        List<PolicyRun> list = runs.computeIfAbsent(run.policy(), p -> new ArrayList<>());
        list.removeIf(r -> r.kind() == run.kind() && r.dueAt().equals(run.dueAt())
                && r.snapshot().equals(run.snapshot()));
        list.add(run);
    }

    @Override
    public synchronized List<PolicyRun> history(String policy, int limit) {
        return runs.getOrDefault(policy, List.of()).stream().sorted(NEWEST_FIRST).limit(limit).toList();
    }

    @Override
    public synchronized List<SnapshotId> snapshotsOf(String policy) {
        List<PolicyRun> oldestFirst = new ArrayList<>(runs.getOrDefault(policy, List.of()));
        oldestFirst.sort(NEWEST_FIRST.reversed());
        Set<SnapshotId> made = new LinkedHashSet<>();
        for (PolicyRun r : oldestFirst) {
            if ((r.kind() == PolicyRun.Kind.SCHEDULED || r.kind() == PolicyRun.Kind.MANUAL) && r.snapshot().isPresent()) {
                made.add(r.snapshot().get());
            }
        }
        for (PolicyRun r : oldestFirst) {
            if (r.kind() == PolicyRun.Kind.RETENTION && r.outcome() == PolicyRun.Outcome.SUCCEEDED) {
                r.snapshot().ifPresent(made::remove);
            }
        }
        return List.copyOf(made);
    }

    @Override
    public String toString() {
        return "InMemoryPolicyCatalog" + Objects.toString(policies.keySet());
    }
}
