package io.snapkeep.core.application;

import io.snapkeep.core.domain.CreateOptions;
import io.snapkeep.core.domain.Execution;
import io.snapkeep.core.domain.ExecutionStatus;
import io.snapkeep.core.domain.PolicyRun;
import io.snapkeep.core.domain.PolicyRun.Kind;
import io.snapkeep.core.domain.PolicyRun.Outcome;
import io.snapkeep.core.domain.SnapshotId;
import io.snapkeep.core.domain.SnapshotPolicy;
import io.snapkeep.core.error.AlreadyExistsException;
import io.snapkeep.core.error.SnapshotActionException;
import io.snapkeep.core.port.in.CreateSnapshot.CreateCommand;
import io.snapkeep.core.port.out.CronSchedules.Schedule;
import io.snapkeep.core.port.out.ExecutionCatalog;
import io.snapkeep.core.port.out.PolicyCatalog;
import io.snapkeep.core.port.out.SnapshotCatalog;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A policy's creates: which due times are due and which of them run, starting a create, and settling a create
 * once its execution ended.
 *
 * <p>Every due time is claimed in the policy catalog before anything is done for it, and only the node whose
 * claim succeeds acts, so that each due time runs (or is recorded missed) once however many nodes tick. Of the
 * due times since the last one claimed, the newest runs when it is at most the catch-up window old; every other
 * one is recorded {@code MISSED}. The due times are looked for strictly after the last one claimed: a policy
 * that is stored claims the instant it was stored, so that it never runs what was due before it existed.
 */
final class PolicyRuns {
    private static final System.Logger LOG = System.getLogger(PolicyRuns.class.getName());
    /** Due times recorded missed one by one; beyond this, the oldest are recorded as one entry. */
    static final int MISSED_ONE_BY_ONE = 1000;
    /** Suffixes tried when a filled id is taken: {@code -2} up to this. */
    static final int MAX_SUFFIX = 1000;

    private final PolicyCatalog catalog;
    private final SnapshotCatalog snapshots;
    private final ExecutionCatalog executions;
    private final SnapshotEngine engine;
    private final Clock clock;
    private final String node;
    private final Duration window;

    PolicyRuns(PolicyCatalog catalog, Ports ports, SnapshotEngine engine, String node, Duration window) {
        this.catalog = catalog;
        this.snapshots = ports.snapshots();
        this.executions = ports.executions();
        this.engine = engine;
        this.clock = ports.clock();
        this.node = node;
        this.window = window;
    }

    String nodeName() {
        return node;
    }

    Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    /** Claims {@code now} as where the due times of {@code kind} start, unless some are claimed already. */
    void baseline(String policy, Kind kind, Instant now) {
        if (catalog.lastClaimed(policy, kind).isEmpty()) {
            catalog.claim(policy, kind, now, node);
        }
    }

    /**
     * The due times of {@code kind} that came since the last one claimed, up to {@code now}; when there are more
     * than {@value #MISSED_ONE_BY_ONE}, those older than the window are claimed and recorded as one entry and
     * only the rest are returned.
     */
    List<Instant> dueSince(SnapshotPolicy policy, Kind kind, Schedule schedule, Instant now) {
        Optional<Instant> last = catalog.lastClaimed(policy.name(), kind);
        if (last.isEmpty()) {
            baseline(policy.name(), kind, now);
            return List.of();
        }
        List<Instant> due = upTo(schedule, last.get(), now);
        if (due.size() <= MISSED_ONE_BY_ONE) {
            return due;
        }
        Instant cutoff = now.minus(window);
        Instant first = due.get(0);
        if (kind == Kind.SCHEDULED && catalog.claim(policy.name(), kind, first, node)) {
            PolicyRun missed = new PolicyRun(policy.name(), kind, first, now, Outcome.MISSED, Optional.empty(),
                    Optional.empty(), "more than " + MISSED_ONE_BY_ONE + " due times, from this one until " + cutoff
                    + ", passed while no node ran the policy");
            catalog.record(missed);
            LOG.log(Level.WARNING, "Policy `" + policy.name() + "` missed its due times from " + first + " until "
                    + cutoff + " (more than " + MISSED_ONE_BY_ONE + "): no node ran it then");
        }
        catalog.claim(policy.name(), kind, cutoff, node);
        return upTo(schedule, cutoff, now);
    }

    private static List<Instant> upTo(Schedule schedule, Instant after, Instant now) {
        List<Instant> due = new ArrayList<>();
        for (Optional<Instant> t = schedule.next(after); t.isPresent() && !t.get().isAfter(now)
                && due.size() <= MISSED_ONE_BY_ONE; t = schedule.next(t.get())) {
            due.add(t.get());
        }
        return due;
    }

    /** Whether a due time {@code at} is still young enough to run at {@code now}. */
    boolean withinWindow(Instant at, Instant now) {
        return !at.plus(window).isBefore(now);
    }

    /** Runs or records as missed every due time in {@code due}, oldest first: one node each. */
    void runDue(SnapshotPolicy policy, List<Instant> due, Instant now) {
        for (int i = 0; i < due.size(); i++) {
            Instant at = due.get(i);
            // A list cut at its bound does not end with the newest due time: that one comes on the next tick.
            boolean newest = i == due.size() - 1 && due.size() <= MISSED_ONE_BY_ONE;
            if (!catalog.claim(policy.name(), Kind.SCHEDULED, at, node)) {
                continue;
            }
            if (newest && withinWindow(at, now)) {
                start(policy, Kind.SCHEDULED, at, "policy:" + policy.name());
                continue;
            }
            String why = newest ? "it was more than the catch-up window (" + window + ") ago when a node next ran"
                    : "a later due time came before any node ran this one";
            catalog.record(new PolicyRun(policy.name(), Kind.SCHEDULED, at, now, Outcome.MISSED, Optional.empty(),
                    Optional.empty(), "missed: " + why));
            LOG.log(Level.WARNING, "Policy `" + policy.name() + "` missed its due time " + at + ": " + why);
        }
    }

    /**
     * Starts the create of due time {@code dueAt}, queued behind a running execution, under the filled id or,
     * when that is taken, the first of {@code -2}, {@code -3}... that is free; records it {@code RUNNING}.
     * A create that cannot start is recorded {@code FAILED} and, for a scheduled run, logged and swallowed.
     *
     * @return the create's execution; empty when it could not start
     */
    Optional<Execution> start(SnapshotPolicy policy, Kind kind, Instant dueAt, String requestedBy) {
        CreateOptions o = policy.createOptions();
        CreateOptions queued = new CreateOptions(o.includeCredentials(), o.includeMetrics(), o.includeLogs(),
                o.includeEvents(), true);
        try {
            String base = PolicyTemplate.parse(policy.snapshotIdTemplate()).fill(dueAt, policy.timeZone());
            for (int n = 1; n <= MAX_SUFFIX; n++) {
                SnapshotId id = SnapshotId.of(n == 1 ? base : base + "-" + n);
                if (snapshots.find(id).isPresent()) {
                    continue;
                }
                Execution execution;
                try {
                    execution = engine.create(new CreateCommand(id, queued, requestedBy));
                } catch (AlreadyExistsException taken) {
                    continue; // made meanwhile: the next suffix
                }
                catalog.record(new PolicyRun(policy.name(), kind, dueAt, now(), Outcome.RUNNING, Optional.of(id),
                        Optional.of(execution.id()), kind == Kind.MANUAL ? "run by " + requestedBy : ""));
                return Optional.of(execution);
            }
            throw new SnapshotActionException("The ids `" + base + "` to `" + base + "-" + MAX_SUFFIX
                    + "` are all taken");
        } catch (RuntimeException e) {
            String why = "the create could not start: " + e.getMessage();
            catalog.record(new PolicyRun(policy.name(), kind, dueAt, now(), Outcome.FAILED, Optional.empty(),
                    Optional.empty(), why));
            LOG.log(Level.WARNING, "Policy `" + policy.name() + "` failed its run for " + dueAt + ": " + why);
            if (kind == Kind.MANUAL) {
                throw e;
            }
            return Optional.empty();
        }
    }

    /**
     * Settles every {@code RUNNING} create among {@code history} whose execution ended, whichever node ran it
     * and whether or not it ran while this process was down.
     *
     * @return whether any of them succeeded
     */
    boolean settle(SnapshotPolicy policy, List<PolicyRun> history) {
        boolean succeeded = false;
        for (PolicyRun run : history) {
            if (run.outcome() != Outcome.RUNNING || run.execution().isEmpty()) {
                continue;
            }
            Optional<Execution> execution = executions.find(run.execution().get());
            if (execution.isPresent() && !execution.get().status().isEnd()) {
                continue;
            }
            PolicyRun settled;
            if (execution.isPresent() && execution.get().status() == ExecutionStatus.TERMINATED) {
                settled = run.withOutcome(Outcome.SUCCEEDED, now(), run.detail());
                succeeded = true;
            } else {
                String why = execution.isEmpty() ? "its execution is no longer in the catalog"
                        : "the create ended " + execution.get().status().wireName()
                        + (execution.get().error().isEmpty() ? "" : ": " + execution.get().error());
                settled = run.withOutcome(Outcome.FAILED, now(), why);
                LOG.log(Level.WARNING, "Policy `" + policy.name() + "` failed its run for " + run.dueAt()
                        + " (snapshot `" + run.snapshot().map(SnapshotId::value).orElse("") + "`): " + why);
            }
            catalog.record(settled);
        }
        return succeeded;
    }
}
