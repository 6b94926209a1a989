package io.snapkeep.core.application;

import static org.assertj.core.api.Assertions.assertThat;

import io.snapkeep.core.Snapkeep;
import io.snapkeep.core.domain.Execution;
import io.snapkeep.core.domain.PolicyRun;
import io.snapkeep.core.domain.PolicyRun.Kind;
import io.snapkeep.core.domain.PolicyRun.Outcome;
import io.snapkeep.core.domain.PolicyStatus;
import io.snapkeep.core.testing.InMemoryNodeCatalog;
import io.snapkeep.core.testing.LogCapture;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** Which due times run, and how often: across a restart, a missed window, two nodes, and taken ids. */
class PolicySchedulingTest extends PolicyTestBase {
    static final Duration TEN_MINUTES = Duration.ofMinutes(10);

    static Instant at(String hhmm) {
        return Instant.parse("2026-12-01T" + hhmm + ":00Z");
    }

    List<Instant> dueTimes(Kind kind) {
        return history("p").stream().filter(r -> r.kind() == kind).map(PolicyRun::dueAt).sorted().toList();
    }

    @Test
    void a_restart_settles_what_ended_while_down_runs_the_newest_due_time_within_the_window_and_misses_the_rest() {
        Snapkeep first = engine();
        first.policies().putPolicy(policy("p", "*/10 * * * *", "p-{HHmm}", null, null));
        run(3, TEN_MINUTES, first);
        clock.advance(TEN_MINUTES); // 00:40:30
        tick(first);
        awaitIdle();
        first.close(); // the 00:40 create ended, but no tick saw it

        clock.advance(Duration.ofMinutes(25)); // 01:05:30: 00:50 and 01:00 passed while down
        Snapkeep second = engine(null, "solo-again");
        try (LogCapture log = LogCapture.of(PolicyRuns.class)) {
            tick(second);
            awaitIdle();
            tick(second);
            assertThat(log.lines()).filteredOn(l -> l.level() == System.Logger.Level.WARNING)
                    .extracting(LogCapture.Line::message).singleElement().asString()
                    .contains("missed its due time " + at("00:50"));
        }
        assertThat(runsOf("p", Kind.SCHEDULED, Outcome.SUCCEEDED)).extracting(PolicyRun::dueAt)
                .containsExactlyInAnyOrder(at("00:10"), at("00:20"), at("00:30"), at("00:40"), at("01:00"));
        assertThat(runsOf("p", Kind.SCHEDULED, Outcome.MISSED)).extracting(PolicyRun::dueAt)
                .containsExactly(at("00:50"));
        assertThat(snapshotIds()).containsExactly("p-0010", "p-0020", "p-0030", "p-0040", "p-0100");
        second.close();

        // Down for three hours, and the catch-up window is now two minutes: even the newest is too old to run.
        window = Duration.ofMinutes(2);
        clock.advance(Duration.ofHours(3)); // 04:05:30
        Snapkeep third = engine(null, "solo-third");
        tick(third);
        awaitIdle();
        assertThat(runsOf("p", Kind.SCHEDULED, Outcome.MISSED)).hasSize(1 + 18);
        assertThat(dueTimes(Kind.SCHEDULED)).as("each due time once").doesNotHaveDuplicates().hasSize(6 + 18)
                .endsWith(at("04:00"));
        assertThat(snapshotIds()).hasSize(5);
        PolicyStatus status = third.policies().policy("p");
        assertThat(status.health()).isEqualTo("failing");
        assertThat(status.consecutiveFailures()).isEqualTo(18);
        assertThat(status.lastFailure().orElseThrow().detail()).contains("catch-up window");
        assertThat(status.lastSuccess().orElseThrow().dueAt()).isEqualTo(at("01:00"));
        assertThat(status.nextDue()).contains(at("04:10"));
    }

    @Test
    void two_nodes_on_one_catalog_run_each_due_time_exactly_once() throws Exception {
        InMemoryNodeCatalog nodes = new InMemoryNodeCatalog();
        Snapkeep a = engine(nodes, "node-a");
        Snapkeep b = engine(nodes, "node-b");
        a.policies().putPolicy(policy("p", "*/10 * * * *", "p-{HHmm}", null, null));
        for (int step = 0; step < 36; step++) {
            clock.advance(TEN_MINUTES);
            CountDownLatch go = new CountDownLatch(1);
            List<Thread> ticking = new ArrayList<>();
            for (Snapkeep node : List.of(a, b)) {
                Thread t = new Thread(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    tick(node);
                });
                t.start();
                ticking.add(t);
            }
            go.countDown();
            for (Thread t : ticking) {
                t.join(WAIT.toMillis());
            }
            awaitIdle();
        }
        tick(a);
        tick(b);
        assertThat(runsOf("p", Kind.SCHEDULED, Outcome.SUCCEEDED)).hasSize(36);
        assertThat(dueTimes(Kind.SCHEDULED)).doesNotHaveDuplicates().hasSize(36);
        assertThat(snapshotIds()).hasSize(36).noneMatch(id -> id.endsWith("-2"));
        assertThat(b.policies().policy("p").lastSuccess()).isEqualTo(a.policies().policy("p").lastSuccess());
    }

    @Test
    void a_taken_id_gets_the_next_free_suffix() {
        Snapkeep s = engine();
        s.policies().putPolicy(policy("p", "0 3 * * *", "daily-{yyyyMMdd}", null, null));
        clock.moveTo(Instant.parse("2026-12-01T03:00:30Z"));
        tick(s);
        awaitIdle();
        Execution second = awaitEnd(s, s.policies().runPolicy("p", "admin"));
        Execution third = awaitEnd(s, s.policies().runPolicy("p", "admin"));
        tick(s);
        assertThat(snapshotIds()).containsExactly("daily-20261201", "daily-20261201-2", "daily-20261201-3");
        assertThat(second.snapshotId().value()).isEqualTo("daily-20261201-2");
        assertThat(third.snapshotId().value()).isEqualTo("daily-20261201-3");
        assertThat(runsOf("p", Kind.MANUAL, Outcome.SUCCEEDED)).hasSize(2)
                .allSatisfy(r -> assertThat(r.detail()).contains("admin"));
        assertThat(runsOf("p", Kind.SCHEDULED, Outcome.SUCCEEDED)).hasSize(1);
        assertThat(s.policies().policy("p").lastRun().orElseThrow().kind()).isEqualTo(Kind.MANUAL);
    }

    @Test
    void a_new_policy_never_runs_what_was_due_before_it_was_stored_and_a_replaced_one_keeps_its_place() {
        clock.moveTo(Instant.parse("2026-12-01T05:55:30Z"));
        Snapkeep s = engine();
        s.policies().putPolicy(policy("p", "*/10 * * * *", "p-{HHmm}", null, null));
        tick(s);
        assertThat(history("p")).isEmpty();
        run(1, TEN_MINUTES, s); // 06:05:30: the 06:00 due time
        s.policies().putPolicy(policy("p", "*/5 * * * *", "p-{HHmm}", null, null));
        run(1, Duration.ofMinutes(5), s); // 06:10:30: only 06:10, not again 06:05
        assertThat(snapshotIds()).containsExactly("p-0600", "p-0610");
        s.policies().deletePolicy("p");
        assertThat(history("p")).isEmpty();
        assertThat(snapshotIds()).as("a policy's snapshots outlive it").hasSize(2);
    }
}
