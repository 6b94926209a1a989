package io.snapkeep.core.application;

import io.snapkeep.core.domain.PolicyRun;
import io.snapkeep.core.domain.PolicyRun.Kind;
import io.snapkeep.core.domain.PolicyRun.Outcome;
import io.snapkeep.core.domain.Snapshot;
import io.snapkeep.core.domain.SnapshotId;
import io.snapkeep.core.domain.SnapshotPolicy;
import io.snapkeep.core.domain.SnapshotPolicy.Retention;
import io.snapkeep.core.domain.SnapshotStatus;
import io.snapkeep.core.error.NotFoundException;
import io.snapkeep.core.port.out.PolicyCatalog;
import io.snapkeep.core.port.out.SnapshotCatalog;
import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Deletes what a policy's retention no longer keeps, among the snapshots the policy made itself. Its snapshots
 * that are {@code created} or {@code failed} (never one still being made) are ranked newest first by
 * {@code created_at}; one is deleted when its rank is at {@code max_count} or beyond, or it is older than
 * {@code expire_after}, unless it is protected: the newest {@code created} one, the newest {@code created} one
 * verified whole (when the policy verifies), and the newest {@code min_count} {@code created} ones. A failed
 * snapshot is never protected: it holds no archive.
 *
 * <p>Deletes go through the engine's own delete, so that its rules hold (never a snapshot with an active
 * execution, such as a restore); a snapshot that is busy (that too, or a download streaming it) is skipped and
 * looked at again on the next tick.
 */
final class PolicyRetention {
    private static final System.Logger LOG = System.getLogger(PolicyRetention.class.getName());

    private final PolicyCatalog catalog;
    private final SnapshotCatalog snapshots;
    private final SnapshotEngine engine;

    PolicyRetention(PolicyCatalog catalog, SnapshotCatalog snapshots, SnapshotEngine engine) {
        this.catalog = catalog;
        this.snapshots = snapshots;
        this.engine = engine;
    }

    /** @return the snapshots deleted now */
    List<SnapshotId> apply(SnapshotPolicy policy, Instant now, Map<SnapshotId, PolicyRun> lastVerifications) {
        if (policy.retention().isEmpty()) {
            return List.of();
        }
        Retention rule = policy.retention().get();
        List<Snapshot> ranked = new ArrayList<>();
        for (SnapshotId id : catalog.snapshotsOf(policy.name())) {
            snapshots.find(id).filter(s -> s.status() == SnapshotStatus.CREATED || s.status() == SnapshotStatus.FAILED)
                    .ifPresent(ranked::add);
        }
        ranked.sort(Comparator.comparing(Snapshot::createdAt).thenComparing(Snapshot::id).reversed());
        Set<SnapshotId> kept = protectedOnes(policy, rule, ranked, lastVerifications);
        List<SnapshotId> deleted = new ArrayList<>();
        for (int rank = 0; rank < ranked.size(); rank++) {
            Snapshot s = ranked.get(rank);
            if (kept.contains(s.id())) {
                continue;
            }
            String why = null;
            if (rule.maxCount().isPresent() && rank >= rule.maxCount().get()) {
                why = "it is number " + (rank + 1) + " of the policy's snapshots, newest first, and max_count is "
                        + rule.maxCount().get();
            } else if (rule.expireAfter().isPresent() && s.createdAt().plus(rule.expireAfter().get()).isBefore(now)) {
                why = "it was created at " + s.createdAt() + ", longer than expire_after ("
                        + rule.expireAfter().get() + ") ago";
            }
            if (why != null && delete(policy, s, why, now)) {
                deleted.add(s.id());
            }
        }
        return deleted;
    }

    private static Set<SnapshotId> protectedOnes(SnapshotPolicy policy, Retention rule, List<Snapshot> ranked,
                                                 Map<SnapshotId, PolicyRun> lastVerifications) {
        Set<SnapshotId> kept = new HashSet<>();
        List<Snapshot> created = ranked.stream().filter(s -> s.status() == SnapshotStatus.CREATED).toList();
        if (!created.isEmpty()) {
            kept.add(created.get(0).id());
        }
        if (policy.verifySchedule().isPresent()) {
            created.stream().filter(s -> Optional.ofNullable(lastVerifications.get(s.id()))
                            .map(r -> r.outcome() == Outcome.SUCCEEDED).orElse(false))
                    .findFirst().ifPresent(s -> kept.add(s.id()));
        }
        created.stream().limit(rule.minCount()).forEach(s -> kept.add(s.id()));
        return kept;
    }

    private boolean delete(SnapshotPolicy policy, Snapshot s, String why, Instant now) {
        Optional<String> busy;
        try {
            busy = engine.deleteUnlessBusy(s.id());
        } catch (NotFoundException gone) {
            return false; // deleted meanwhile, by another node's retention or by hand
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Retention of policy `" + policy.name() + "` could not delete snapshot `" + s.id()
                    + "` (" + e.getMessage() + "); it tries again on its next round");
            return false;
        }
        if (busy.isPresent()) {
            LOG.log(Level.DEBUG, () -> "Retention of policy `" + policy.name() + "` leaves snapshot `" + s.id()
                    + "` for now: " + busy.get());
            return false;
        }
        catalog.record(new PolicyRun(policy.name(), Kind.RETENTION, now, now, Outcome.SUCCEEDED, Optional.of(s.id()),
                Optional.empty(), "deleted: " + why));
        LOG.log(Level.INFO, "Retention of policy `" + policy.name() + "` deleted snapshot `" + s.id() + "`: " + why);
        return true;
    }
}
