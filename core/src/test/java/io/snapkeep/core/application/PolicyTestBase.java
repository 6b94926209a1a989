package io.snapkeep.core.application;

import io.snapkeep.core.Snapkeep;
import io.snapkeep.core.domain.CreateOptions;
import io.snapkeep.core.domain.Execution;
import io.snapkeep.core.domain.PolicyRun;
import io.snapkeep.core.domain.PolicyRun.Kind;
import io.snapkeep.core.domain.PolicyRun.Outcome;
import io.snapkeep.core.domain.Snapshot;
import io.snapkeep.core.domain.SnapshotId;
import io.snapkeep.core.domain.SnapshotPolicy;
import io.snapkeep.core.domain.SnapshotPolicy.Retention;
import io.snapkeep.core.domain.StateCategory;
import io.snapkeep.core.port.out.NodeCatalog;
import io.snapkeep.core.testing.DrivenClock;
import io.snapkeep.core.testing.InMemoryArchiveStore;
import io.snapkeep.core.testing.InMemoryExecutionCatalog;
import io.snapkeep.core.testing.InMemoryExecutionEventLog;
import io.snapkeep.core.testing.InMemoryPolicyCatalog;
import io.snapkeep.core.testing.InMemorySnapshotCatalog;
import io.snapkeep.core.testing.MapParticipant;
import io.snapkeep.core.testing.Poll;
import io.snapkeep.core.testing.SimpleCron;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;

/**
 * Snapkeep with policies on in-memory ports and a clock the test drives: no thread ticks on its own; a test
 * moves the clock, ticks, and waits for the creates it started to end before it moves on.
 */
abstract class PolicyTestBase {
    static final Duration WAIT = Duration.ofSeconds(30);
    /** Half a minute past midnight: the first due time of a ten-minute schedule is 00:10. */
    static final Instant T0 = Instant.parse("2026-12-01T00:00:30Z");

    final InMemoryArchiveStore store = new InMemoryArchiveStore();
    final InMemorySnapshotCatalog snapshots = new InMemorySnapshotCatalog();
    final InMemoryExecutionCatalog executions = new InMemoryExecutionCatalog();
    final InMemoryExecutionEventLog events = new InMemoryExecutionEventLog();
    final InMemoryPolicyCatalog policies = new InMemoryPolicyCatalog();
    final DrivenClock clock = new DrivenClock(T0);
    final MapParticipant resources = new MapParticipant("resources", StateCategory.STATE).with("a.txt", "alpha");
    final List<Snapkeep> started = new ArrayList<>();
    Duration window = Duration.ofHours(1);
    long verifyBudget = 10L << 30;

    @AfterEach
    void closeAll() {
        started.forEach(Snapkeep::close);
    }

    Snapkeep engine() {
        return engine(null, "solo");
    }

    Snapkeep engine(NodeCatalog nodes, String node) {
        var builder = Snapkeep.builder().archiveStore(store).snapshotCatalog(snapshots).executionCatalog(executions)
                .eventLog(events).participant(resources).clock(clock).node(node)
                .policyCatalog(policies).cronSchedules(new SimpleCron())
                .policyCatchUpWindow(window).verifyByteBudget(verifyBudget).policyTickPeriod(Duration.ZERO);
        if (nodes != null) {
            builder.nodeCatalog(nodes).leaseTtl(Duration.ofDays(400));
        }
        Snapkeep s = builder.build().start();
        started.add(s);
        return s;
    }

    static void tick(Snapkeep on) {
        ((SnapshotEngine) on).policyEngine().tick();
    }

    static SnapshotPolicy policy(String name, String schedule, String template, Retention retention, String verify) {
        return new SnapshotPolicy(name, schedule, ZoneId.of("UTC"), template,
                new CreateOptions(true, false, true, true, false), Optional.ofNullable(retention),
                Optional.ofNullable(verify));
    }

    static Retention keep(Integer max, Duration expire, int min) {
        return new Retention(Optional.ofNullable(max), Optional.ofNullable(expire), min);
    }

    /** Waits until no execution is active: every create a tick started has ended. */
    void awaitIdle() {
        Poll.until(() -> executions.findHoldingSlot().isEmpty()
                        && executions.list(io.snapkeep.core.domain.ListQuery.<io.snapkeep.core.domain.ExecutionField>all())
                        .items().stream().allMatch(e -> e.status().isEnd()),
                idle -> idle, WAIT);
    }

    /** {@code steps} times: the clock moves by {@code step}, every engine ticks, and the creates end. */
    void run(int steps, Duration step, Snapkeep... nodes) {
        for (int i = 0; i < steps; i++) {
            clock.advance(step);
            for (Snapkeep node : nodes) {
                tick(node);
            }
            awaitIdle();
        }
        for (Snapkeep node : nodes) {
            tick(node); // settles the last creates and applies retention after them
        }
    }

    List<PolicyRun> history(String policy) {
        return policies.history(policy, Integer.MAX_VALUE);
    }

    List<PolicyRun> runsOf(String policy, Kind kind, Outcome outcome) {
        return history(policy).stream().filter(r -> r.kind() == kind && r.outcome() == outcome).toList();
    }

    /** The ids of the snapshots in the catalog, oldest first. */
    List<String> snapshotIds() {
        return snapshots.findByStatus(java.util.EnumSet.allOf(io.snapkeep.core.domain.SnapshotStatus.class)).stream()
                .sorted(java.util.Comparator.comparing(Snapshot::createdAt).thenComparing(Snapshot::id))
                .map(s -> s.id().value()).toList();
    }

    Execution awaitEnd(Snapkeep on, Execution e) {
        return Poll.until(() -> on.getExecution(e.id()), x -> x.status().isEnd(), WAIT);
    }

    Snapshot snapshot(String id) {
        return snapshots.find(SnapshotId.of(id)).orElseThrow();
    }
}
