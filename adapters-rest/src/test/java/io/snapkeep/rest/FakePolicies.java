package io.snapkeep.rest;

import io.snapkeep.core.domain.CreateOptions;
import io.snapkeep.core.domain.Execution;
import io.snapkeep.core.domain.PolicyRun;
import io.snapkeep.core.domain.PolicyStatus;
import io.snapkeep.core.domain.SnapshotId;
import io.snapkeep.core.domain.SnapshotPolicy;
import io.snapkeep.core.error.InvalidParameterException;
import io.snapkeep.core.error.NotFoundException;
import io.snapkeep.core.port.in.CreateSnapshot;
import io.snapkeep.core.port.in.SnapshotPolicies;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Policies in memory, refusing what the engine refuses by the in-port's rules, in a simple form: a schedule
 * of other than five fields (or an {@code @} macro) is not a cron, {@code 0 0 30 2 *} never fires, a template
 * without {@code {...}} (or without {@code HH} under an hour field of {@code *}) gives one id twice within a
 * day, one with {@code /} an invalid id, and {@code min_count} above {@code max_count} is refused. A run creates through the fake snapshot service.
 */
final class FakePolicies implements SnapshotPolicies {
    static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");

    private final FakeSnapshotService snapshots;
    private final Map<String, SnapshotPolicy> policies = new TreeMap<>();
    private final Map<String, List<PolicyRun>> history = new TreeMap<>();

    FakePolicies(FakeSnapshotService snapshots) {
        this.snapshots = snapshots;
    }

    synchronized void reset() {
        policies.clear();
        history.clear();
    }

    @Override
    public synchronized PolicyStatus putPolicy(SnapshotPolicy p) {
        cron("schedule", p.schedule());
        p.verifySchedule().ifPresent(v -> cron("verify_schedule", v));
        String[] fields = p.schedule().strip().split("\\s+");
        boolean hourly = fields.length == 5 && fields[1].equals("*");
        if (!p.snapshotIdTemplate().contains("{") || hourly && !p.snapshotIdTemplate().contains("HH")) {
            throw new InvalidParameterException("`snapshot_id` gives the same id twice within a day of due times:"
                    + " add the date fields that tell them apart");
        }
        if (p.snapshotIdTemplate().contains("/")) {
            throw new InvalidParameterException("`snapshot_id` can give an invalid snapshot id: `/` is not allowed");
        }
        p.retention().ifPresent(r -> r.maxCount().ifPresent(max -> {
            if (r.minCount() > max) {
                throw new InvalidParameterException("`retention.min_count` (" + r.minCount()
                        + ") must not be above `retention.max_count` (" + max + ")");
            }
        }));
        policies.put(p.name(), p);
        history.putIfAbsent(p.name(), new ArrayList<>());
        return status(p.name());
    }

    private static void cron(String field, String expression) {
        String e = expression.strip();
        if (e.equals("0 0 30 2 *")) {
            throw new InvalidParameterException("`" + field + "` never fires: " + e);
        }
        if (!e.startsWith("@") && e.split("\\s+").length != 5) {
            throw new InvalidParameterException("`" + field + "` is not a cron expression of five fields: " + e);
        }
    }

    @Override
    public synchronized List<PolicyStatus> policies() {
        return policies.keySet().stream().map(this::status).toList();
    }

    @Override
    public synchronized PolicyStatus policy(String name) {
        return status(name);
    }

    @Override
    public synchronized void deletePolicy(String name) {
        if (policies.remove(name) == null) {
            throw missing(name);
        }
        history.remove(name);
    }

    @Override
    public synchronized Execution runPolicy(String name, String requestedBy) {
        SnapshotPolicy p = policies.get(name);
        if (p == null) {
            throw missing(name);
        }
        List<PolicyRun> runs = history.get(name);
        SnapshotId id = SnapshotId.of(name + "-" + (runs.size() + 1));
        CreateOptions o = p.createOptions();
        Execution e = snapshots.create(new CreateSnapshot.CreateCommand(id, o, requestedBy));
        runs.add(0, new PolicyRun(name, PolicyRun.Kind.MANUAL, NOW, NOW, PolicyRun.Outcome.RUNNING, Optional.of(id),
                Optional.of(e.id()), ""));
        return e;
    }

    /** Adds a failed scheduled run, as the engine would record one. */
    synchronized void fail(String name, Instant dueAt, String reason) {
        history.get(name).add(0, new PolicyRun(name, PolicyRun.Kind.SCHEDULED, dueAt, dueAt.plusSeconds(5),
                PolicyRun.Outcome.FAILED, Optional.empty(), Optional.empty(), reason));
    }

    private PolicyStatus status(String name) {
        SnapshotPolicy p = policies.get(name);
        if (p == null) {
            throw missing(name);
        }
        List<PolicyRun> runs = history.get(name);
        Optional<PolicyRun> last = runs.stream().filter(r -> r.kind() != PolicyRun.Kind.RETENTION
                && r.kind() != PolicyRun.Kind.VERIFY).findFirst();
        Optional<PolicyRun> failure = runs.stream().filter(r -> r.outcome() == PolicyRun.Outcome.FAILED
                || r.outcome() == PolicyRun.Outcome.MISSED).findFirst();
        int failures = (int) runs.stream().takeWhile(r -> r.outcome() == PolicyRun.Outcome.FAILED).count();
        return new PolicyStatus(p, last, Optional.empty(), failure, failures,
                Optional.of(Instant.parse("2026-03-02T03:00:00Z")), p.verifySchedule().map(v ->
                Instant.parse("2026-03-08T04:00:00Z")), failures > 0 ? "failing" : "ok", runs);
    }

    private static NotFoundException missing(String name) {
        return new NotFoundException("Requested `SnapshotPolicy` with ID `" + name + "` was not found");
    }
}
