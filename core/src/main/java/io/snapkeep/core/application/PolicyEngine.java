package io.snapkeep.core.application;

import io.snapkeep.core.domain.Execution;
import io.snapkeep.core.domain.PolicyRun;
import io.snapkeep.core.domain.PolicyRun.Kind;
import io.snapkeep.core.domain.PolicyRun.Outcome;
import io.snapkeep.core.domain.PolicyStatus;
import io.snapkeep.core.domain.SnapshotId;
import io.snapkeep.core.domain.SnapshotPolicy;
import io.snapkeep.core.error.NotFoundException;
import io.snapkeep.core.port.in.SnapshotPolicies;
import io.snapkeep.core.port.out.CronSchedules;
import io.snapkeep.core.port.out.CronSchedules.Schedule;
import io.snapkeep.core.port.out.PolicyCatalog;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Snapshot policies over the policy catalog: the in-port, the statuses, and the tick that runs what is due.
 * Every node of a cluster ticks; the catalog's claims make each due time run once ({@link PolicyRuns}). One
 * tick at a time in a process. The catalog is the truth: a tick reads what it needs again, so a restarted
 * process, or another node, carries on where the last one stopped.
 */
final class PolicyEngine implements SnapshotPolicies {
    private static final System.Logger LOG = System.getLogger(PolicyEngine.class.getName());
    /** How many of a policy's newest entries its status shows. */
    static final int HISTORY_SHOWN = 50;
    /** How many newest entries a tick reads to find running creates and past verifications. */
    static final int HISTORY_READ = 500;

    static final String OK = "ok";
    static final String FAILING = "failing";
    static final String VERIFICATION_FAILED = "verification_failed";

    private final PolicyCatalog catalog;
    private final CronSchedules cron;
    private final PolicyRules rules;
    private final PolicyRuns runs;
    private final PolicyRetention retention;
    private final PolicyVerification verification;
    private final Map<String, Schedule> parsed = new ConcurrentHashMap<>();

    PolicyEngine(PolicyCatalog catalog, CronSchedules cron, Ports ports, SnapshotEngine engine, String node,
                 Duration catchUpWindow, long verifyByteBudget) {
        this.catalog = catalog;
        this.cron = cron;
        this.rules = new PolicyRules(cron);
        this.runs = new PolicyRuns(catalog, ports, engine, node, catchUpWindow);
        this.retention = new PolicyRetention(catalog, ports.snapshots(), engine);
        this.verification = new PolicyVerification(catalog, ports.snapshots(), engine, ports.clock(),
                verifyByteBudget);
    }


    // ---------------------------------------------------------------- the in-port

    @Override
    public PolicyStatus putPolicy(SnapshotPolicy policy) {
        Instant now = runs.now();
        rules.check(policy, now);
        catalog.save(policy);
        runs.baseline(policy.name(), Kind.SCHEDULED, now);
        if (policy.verifySchedule().isPresent()) {
            runs.baseline(policy.name(), Kind.VERIFY, now);
        }
        LOG.log(Level.INFO, "Snapshot policy `" + policy.name() + "` stored: schedule `" + policy.schedule() + "` in "
                + policy.timeZone());
        return status(policy, now);
    }

    @Override
    public List<PolicyStatus> policies() {
        Instant now = runs.now();
        return catalog.all().stream().map(p -> status(p, now)).toList();
    }

    @Override
    public PolicyStatus policy(String name) {
        return status(find(name), runs.now());
    }

    @Override
    public void deletePolicy(String name) {
        if (!catalog.delete(name)) {
            throw notFound(name);
        }
        LOG.log(Level.INFO, "Snapshot policy `" + name + "` removed; its snapshots stay");
    }

    @Override
    public Execution runPolicy(String name, String requestedBy) {
        SnapshotPolicy policy = find(name);
        return runs.start(policy, Kind.MANUAL, runs.now(), requestedBy).orElseThrow();
    }

    private SnapshotPolicy find(String name) {
        return catalog.find(name).orElseThrow(() -> notFound(name));
    }

    private static NotFoundException notFound(String name) {
        return new NotFoundException("Requested `SnapshotPolicy` with ID `" + name + "` was not found");
    }

    // ---------------------------------------------------------------- the tick

    /** Ticks every {@code period} on a daemon thread of its own; a failed tick is logged, the next one runs. */
    java.util.concurrent.ScheduledExecutorService tickEvery(Duration period) {
        var ticks = new java.util.concurrent.ScheduledThreadPoolExecutor(1,
                io.snapkeep.core.support.DaemonThreads.named("snapkeep-policies"));
        ticks.scheduleWithFixedDelay(() -> {
            try {
                tick();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "A tick of the snapshot policies failed (" + e.getMessage()
                        + "); the next one tries again", e);
            }
        }, period.toMillis(), period.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        return ticks;
    }

    /** Does what is due at the clock's now for every policy; a policy that fails is logged, the others go on. */
    synchronized void tick() {
        Instant now = runs.now();
        for (SnapshotPolicy policy : catalog.all()) {
            try {
                tick(policy, now);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "The tick of snapshot policy `" + policy.name() + "` failed ("
                        + e.getMessage() + "); it runs again on the next tick", e);
            }
        }
    }

    private void tick(SnapshotPolicy policy, Instant now) {
        List<PolicyRun> history = catalog.history(policy.name(), HISTORY_READ);
        runs.settle(policy, history);
        Schedule schedule = schedule(policy.schedule(), policy.timeZone());
        runs.runDue(policy, runs.dueSince(policy, Kind.SCHEDULED, schedule, now), now);
        if (policy.verifySchedule().isPresent()) {
            Schedule verify = schedule(policy.verifySchedule().get(), policy.timeZone());
            List<Instant> due = runs.dueSince(policy, Kind.VERIFY, verify, now);
            // Only the newest due verification runs: a verification is of the snapshots as they are now.
            if (!due.isEmpty()) {
                Instant newest = due.get(due.size() - 1);
                if (catalog.claim(policy.name(), Kind.VERIFY, newest, runs.nodeName()) && runs.withinWindow(newest, now)) {
                    verification.round(policy, newest, lastVerifications(policy));
                }
            }
        }
        retention.apply(policy, now, policy.verifySchedule().isPresent() ? lastVerifications(policy) : Map.of());
    }

    private Map<SnapshotId, PolicyRun> lastVerifications(SnapshotPolicy policy) {
        Map<SnapshotId, PolicyRun> last = new HashMap<>();
        for (PolicyRun run : catalog.history(policy.name(), HISTORY_READ)) {
            if (run.kind() == Kind.VERIFY && run.snapshot().isPresent()) {
                last.merge(run.snapshot().get(), run, (a, b) -> a.recordedAt().isAfter(b.recordedAt()) ? a : b);
            }
        }
        return last;
    }

    private Schedule schedule(String expression, ZoneId zone) {
        if (parsed.size() > 1000) {
            parsed.clear();
        }
        return parsed.computeIfAbsent(zone.getId() + "\n" + expression, k -> cron.parse(expression, zone));
    }

    // ---------------------------------------------------------------- status

    private PolicyStatus status(SnapshotPolicy policy, Instant now) {
        List<PolicyRun> history = catalog.history(policy.name(), HISTORY_READ);
        Optional<PolicyRun> lastRun = Optional.empty();
        Optional<PolicyRun> lastSuccess = Optional.empty();
        Optional<PolicyRun> lastFailure = Optional.empty();
        Optional<PolicyRun> lastEnded = Optional.empty();
        int consecutive = 0;
        boolean counting = true;
        for (PolicyRun run : history) {
            if (run.kind() != Kind.SCHEDULED && run.kind() != Kind.MANUAL) {
                continue;
            }
            boolean failed = run.outcome() == Outcome.FAILED || run.outcome() == Outcome.MISSED;
            if (lastRun.isEmpty() && run.outcome() != Outcome.MISSED) {
                lastRun = Optional.of(run);
            }
            if (lastSuccess.isEmpty() && run.outcome() == Outcome.SUCCEEDED) {
                lastSuccess = Optional.of(run);
            }
            if (lastFailure.isEmpty() && failed) {
                lastFailure = Optional.of(run);
            }
            if (lastEnded.isEmpty() && run.outcome() != Outcome.RUNNING) {
                lastEnded = Optional.of(run);
            }
            if (run.outcome() == Outcome.SUCCEEDED) {
                counting = false;
            } else if (counting && failed) {
                consecutive++;
            }
        }
        String health = OK;
        if (lastVerificationFailed(history)) {
            health = VERIFICATION_FAILED;
        } else if (lastEnded.isPresent() && lastEnded.get().outcome() != Outcome.SUCCEEDED) {
            health = FAILING;
        }
        return new PolicyStatus(policy, lastRun, lastSuccess, lastFailure, consecutive,
                next(policy.schedule(), policy.timeZone(), now),
                policy.verifySchedule().flatMap(v -> next(v, policy.timeZone(), now)), health,
                history.subList(0, Math.min(HISTORY_SHOWN, history.size())));
    }

    /** Whether the newest verification round (the entries of the latest verify due time) found damage. */
    private static boolean lastVerificationFailed(List<PolicyRun> history) {
        Instant round = null;
        for (PolicyRun run : history) {
            if (run.kind() != Kind.VERIFY) {
                continue;
            }
            if (round == null) {
                round = run.dueAt();
            } else if (!run.dueAt().equals(round)) {
                return false;
            }
            if (run.outcome() == Outcome.FAILED) {
                return true;
            }
        }
        return false;
    }

    private Optional<Instant> next(String expression, ZoneId zone, Instant now) {
        try {
            return schedule(expression, zone).next(now);
        } catch (RuntimeException e) {
            return Optional.empty(); // a stored expression the cron reader no longer reads: nothing is due
        }
    }
}
