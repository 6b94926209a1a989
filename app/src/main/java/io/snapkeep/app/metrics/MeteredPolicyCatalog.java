package io.snapkeep.app.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.snapkeep.core.domain.PolicyRun;
import io.snapkeep.core.domain.SnapshotId;
import io.snapkeep.core.domain.SnapshotPolicy;
import io.snapkeep.core.port.out.PolicyCatalog;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The policy catalog, watched where every run of every policy is written: a run that ends failed or missed
 * counts as a failure of its policy (by kind: a create, or a verification), and a create that ends
 * succeeded moves the policy's last-success time. The last successes start from the history, so a restart
 * does not reset them to 0.
 */
final class MeteredPolicyCatalog implements PolicyCatalog {
    private final PolicyCatalog catalog;
    private final MeterRegistry registry;
    private final Map<String, AtomicLong> lastSuccessMillis = new ConcurrentHashMap<>();

    MeteredPolicyCatalog(PolicyCatalog catalog, MeterRegistry registry) {
        this.catalog = catalog;
        this.registry = registry;
    }

    /** Reads each policy's newest successful create from its history. */
    void loadLastSuccesses() {
        for (SnapshotPolicy policy : catalog.all()) {
            catalog.history(policy.name(), 500).stream().filter(MeteredPolicyCatalog::isSucceededCreate).findFirst()
                    .ifPresentOrElse(run -> lastSuccess(policy.name()).accumulateAndGet(
                            run.recordedAt().toEpochMilli(), Math::max), () -> lastSuccess(policy.name()));
        }
    }

    @Override
    public void record(PolicyRun run) {
        catalog.record(run);
        if (run.outcome() == PolicyRun.Outcome.FAILED || run.outcome() == PolicyRun.Outcome.MISSED) {
            failures(run.policy(), run.kind()).increment();
        } else if (isSucceededCreate(run)) {
            lastSuccess(run.policy()).accumulateAndGet(run.recordedAt().toEpochMilli(), Math::max);
        }
    }

    private static boolean isSucceededCreate(PolicyRun run) {
        return run.outcome() == PolicyRun.Outcome.SUCCEEDED
                && (run.kind() == PolicyRun.Kind.SCHEDULED || run.kind() == PolicyRun.Kind.MANUAL);
    }

    private AtomicLong lastSuccess(String policy) {
        return lastSuccessMillis.computeIfAbsent(policy, name -> {
            AtomicLong millis = new AtomicLong();
            Gauge.builder(SnapkeepMetrics.PREFIX + "policy.last.success.timestamp", millis, m -> m.get() / 1000.0)
                    .strongReference(true).baseUnit("seconds")
                    .description("When a create of the snapshot policy last succeeded (0 before any)")
                    .tag("policy", name).register(registry);
            // Registered at 0, so that a rate over it is defined before the first failure.
            failureCounter(name, PolicyRun.Kind.SCHEDULED);
            return millis;
        });
    }

    private Counter failures(String policy, PolicyRun.Kind kind) {
        lastSuccess(policy);
        return failureCounter(policy, kind);
    }

    private Counter failureCounter(String policy, PolicyRun.Kind kind) {
        String what = kind == PolicyRun.Kind.VERIFY ? "verify" : kind == PolicyRun.Kind.RETENTION ? "retention" : "create";
        return Counter.builder(SnapkeepMetrics.PREFIX + "policy.failures")
                .description("Runs of the snapshot policy that failed or were missed, by what they were")
                .tag("policy", policy).tag("kind", what).register(registry);
    }

    @Override
    public void save(SnapshotPolicy policy) {
        catalog.save(policy);
        lastSuccess(policy.name());
    }

    @Override
    public Optional<SnapshotPolicy> find(String name) {
        return catalog.find(name);
    }

    @Override
    public List<SnapshotPolicy> all() {
        return catalog.all();
    }

    @Override
    public boolean delete(String name) {
        return catalog.delete(name);
    }

    @Override
    public boolean claim(String policy, PolicyRun.Kind kind, Instant dueAt, String node) {
        return catalog.claim(policy, kind, dueAt, node);
    }

    @Override
    public Optional<Instant> lastClaimed(String policy, PolicyRun.Kind kind) {
        return catalog.lastClaimed(policy, kind);
    }

    @Override
    public List<PolicyRun> history(String policy, int limit) {
        return catalog.history(policy, limit);
    }

    @Override
    public List<SnapshotId> snapshotsOf(String policy) {
        return catalog.snapshotsOf(policy);
    }
}
