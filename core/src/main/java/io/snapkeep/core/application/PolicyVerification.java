package io.snapkeep.core.application;

import io.snapkeep.core.domain.PolicyRun;
import io.snapkeep.core.domain.PolicyRun.Kind;
import io.snapkeep.core.domain.PolicyRun.Outcome;
import io.snapkeep.core.domain.Snapshot;
import io.snapkeep.core.domain.SnapshotId;
import io.snapkeep.core.domain.SnapshotPolicy;
import io.snapkeep.core.domain.SnapshotStatus;
import io.snapkeep.core.error.NotFoundException;
import io.snapkeep.core.error.SnapkeepException;
import io.snapkeep.core.port.in.VerifySnapshot.VerifyResult;
import io.snapkeep.core.port.out.PolicyCatalog;
import io.snapkeep.core.port.out.SnapshotCatalog;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One round of a policy's scheduled verification: its {@code created} snapshots, those never verified first
 * (oldest first), then the one verified longest ago, each read back in full by the engine's verify, until the
 * round's byte budget is spent. The first snapshot is verified even when it alone is over the budget, so that a
 * budget smaller than one archive still verifies something. A damaged archive turns its snapshot failed (the
 * verify's own rule) and its entry {@code FAILED} with the reason.
 */
final class PolicyVerification {
    private static final System.Logger LOG = System.getLogger(PolicyVerification.class.getName());

    private final PolicyCatalog catalog;
    private final SnapshotCatalog snapshots;
    private final SnapshotEngine engine;
    private final Clock clock;
    private final long budget;

    PolicyVerification(PolicyCatalog catalog, SnapshotCatalog snapshots, SnapshotEngine engine, Clock clock,
                       long budget) {
        this.catalog = catalog;
        this.snapshots = snapshots;
        this.engine = engine;
        this.clock = clock;
        this.budget = budget;
    }

    /** @return the entries it recorded, in the order it verified */
    List<PolicyRun> round(SnapshotPolicy policy, Instant dueAt, Map<SnapshotId, PolicyRun> lastVerifications) {
        List<Snapshot> created = new ArrayList<>();
        for (SnapshotId id : catalog.snapshotsOf(policy.name())) {
            snapshots.find(id).filter(s -> s.status() == SnapshotStatus.CREATED).ifPresent(created::add);
        }
        created.sort(Comparator.<Snapshot, Instant>comparing(s -> Optional.ofNullable(lastVerifications.get(s.id()))
                        .map(PolicyRun::recordedAt).orElse(Instant.MIN))
                .thenComparing(Snapshot::createdAt).thenComparing(Snapshot::id));
        List<PolicyRun> done = new ArrayList<>();
        long spent = 0;
        for (Snapshot s : created) {
            long size = s.archive().size();
            if (!done.isEmpty() && spent + size > budget) {
                break;
            }
            spent += size;
            PolicyRun run = verify(policy, dueAt, s.id());
            if (run != null) {
                catalog.record(run);
                done.add(run);
            }
        }
        LOG.log(Level.INFO, "Verification of policy `" + policy.name() + "` for " + dueAt + " read " + done.size()
                + " snapshot(s), " + spent + " bytes");
        return done;
    }

    private PolicyRun verify(SnapshotPolicy policy, Instant dueAt, SnapshotId id) {
        Outcome outcome;
        String detail;
        try {
            VerifyResult result = engine.verify(id);
            outcome = result.valid() ? Outcome.SUCCEEDED : Outcome.FAILED;
            detail = result.valid() ? "the archive is whole" : result.error();
        } catch (NotFoundException gone) {
            return null; // deleted since the round began
        } catch (SnapkeepException e) {
            outcome = Outcome.FAILED;
            detail = "the verification could not run: " + e.getMessage();
        }
        if (outcome == Outcome.FAILED) {
            LOG.log(Level.WARNING, "Verification of policy `" + policy.name() + "` found snapshot `" + id
                    + "` not whole: " + detail);
        }
        Instant now = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        return new PolicyRun(policy.name(), Kind.VERIFY, dueAt, now, outcome, Optional.of(id), Optional.empty(),
                detail);
    }
}
