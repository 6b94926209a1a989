package io.snapkeep.core.port.out;

import static org.assertj.core.api.Assertions.assertThat;

import io.snapkeep.core.domain.CreateOptions;
import io.snapkeep.core.domain.ExecutionId;
import io.snapkeep.core.domain.PolicyRun;
import io.snapkeep.core.domain.PolicyRun.Kind;
import io.snapkeep.core.domain.PolicyRun.Outcome;
import io.snapkeep.core.domain.SnapshotId;
import io.snapkeep.core.domain.SnapshotPolicy;
import io.snapkeep.core.domain.SnapshotPolicy.Retention;
import io.snapkeep.core.testing.Races;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The promises every {@link PolicyCatalog} keeps. An implementation's test extends this class and returns a
 * fresh, empty catalog from {@link #newCatalog()}. Times are whole milliseconds, as a catalog keeps them.
 */
public abstract class PolicyCatalogContract {

    protected abstract PolicyCatalog newCatalog() throws Exception;

    protected PolicyCatalog catalog;

    protected static final Instant T0 = Instant.parse("2026-11-28T03:00:00.123Z");
    private static final int RACERS = 8;

    @BeforeEach
    void createCatalog() throws Exception {
        catalog = newCatalog();
    }

    protected static SnapshotPolicy full(String name) {
        return new SnapshotPolicy(name, "0 3 * * *", ZoneId.of("Europe/Berlin"), "nightly-{yyyyMMdd-HHmmss}",
                new CreateOptions(false, true, false, true, false),
                Optional.of(new Retention(Optional.of(7), Optional.of(Duration.ofDays(30)), 1)),
                Optional.of("0 4 * * 0"));
    }

    protected static SnapshotPolicy bare(String name) {
        return new SnapshotPolicy(name, "*/10 * * * *", ZoneId.of("UTC"), name + "-{HHmm}", CreateOptions.DEFAULTS,
                Optional.empty(), Optional.empty());
    }

    static PolicyRun run(String policy, Kind kind, Instant due, Outcome outcome, String snapshot) {
        return new PolicyRun(policy, kind, due, due.plusMillis(5), outcome,
                Optional.ofNullable(snapshot).map(SnapshotId::of), Optional.empty(), "");
    }

    @Test
    void a_saved_policy_is_found_as_it_was_written_and_listed_by_name() {
        assertThat(catalog.find("nightly")).isEmpty();
        assertThat(catalog.all()).isEmpty();
        catalog.save(full("nightly"));
        catalog.save(bare("hourly"));
        assertThat(catalog.find("nightly")).contains(full("nightly"));
        assertThat(catalog.find("hourly")).contains(bare("hourly"));
        assertThat(catalog.all()).containsExactly(bare("hourly"), full("nightly"));
    }

    @Test
    void retention_with_only_some_rules_and_a_zero_min_count_reads_back_as_written() {
        SnapshotPolicy onlyAge = new SnapshotPolicy("age", "0 * * * *", ZoneId.of("UTC"), "age-{HH}",
                CreateOptions.DEFAULTS, Optional.of(new Retention(Optional.empty(), Optional.of(Duration.ofHours(36)), 0)),
                Optional.empty());
        SnapshotPolicy onlyCount = new SnapshotPolicy("count", "0 * * * *", ZoneId.of("UTC"), "count-{HH}",
                CreateOptions.DEFAULTS, Optional.of(new Retention(Optional.of(3), Optional.empty(), 2)),
                Optional.empty());
        catalog.save(onlyAge);
        catalog.save(onlyCount);
        assertThat(catalog.find("age")).contains(onlyAge);
        assertThat(catalog.find("count")).contains(onlyCount);
    }

    @Test
    void save_replaces_the_policy_and_keeps_its_history_and_claims() {
        catalog.save(bare("p"));
        catalog.record(run("p", Kind.SCHEDULED, T0, Outcome.SUCCEEDED, "p-0300"));
        assertThat(catalog.claim("p", Kind.SCHEDULED, T0, "a")).isTrue();
        catalog.save(full("p"));
        assertThat(catalog.find("p")).contains(full("p"));
        assertThat(catalog.all()).hasSize(1);
        assertThat(catalog.history("p", 10)).hasSize(1);
        assertThat(catalog.lastClaimed("p", Kind.SCHEDULED)).contains(T0);
    }

    @Test
    void delete_removes_the_policy_its_history_and_its_claims() {
        catalog.save(bare("p"));
        catalog.save(bare("q"));
        catalog.record(run("p", Kind.SCHEDULED, T0, Outcome.SUCCEEDED, "p-0300"));
        catalog.record(run("q", Kind.SCHEDULED, T0, Outcome.SUCCEEDED, "q-0300"));
        catalog.claim("p", Kind.SCHEDULED, T0, "a");
        catalog.claim("q", Kind.SCHEDULED, T0, "a");
        assertThat(catalog.delete("p")).isTrue();
        assertThat(catalog.delete("p")).isFalse();
        assertThat(catalog.find("p")).isEmpty();
        assertThat(catalog.history("p", 10)).isEmpty();
        assertThat(catalog.snapshotsOf("p")).isEmpty();
        assertThat(catalog.lastClaimed("p", Kind.SCHEDULED)).isEmpty();
        assertThat(catalog.claim("p", Kind.SCHEDULED, T0, "b")).as("claimable again").isTrue();
        assertThat(catalog.history("q", 10)).hasSize(1);
        assertThat(catalog.lastClaimed("q", Kind.SCHEDULED)).contains(T0);
    }

    @Test
    void a_due_time_is_claimed_once_per_policy_and_kind() {
        catalog.save(bare("p"));
        assertThat(catalog.claim("p", Kind.SCHEDULED, T0, "a")).isTrue();
        assertThat(catalog.claim("p", Kind.SCHEDULED, T0, "b")).isFalse();
        assertThat(catalog.claim("p", Kind.SCHEDULED, T0, "a")).as("not even by its claimer").isFalse();
        assertThat(catalog.claim("p", Kind.VERIFY, T0, "b")).as("another kind").isTrue();
        assertThat(catalog.claim("other", Kind.SCHEDULED, T0, "b")).as("another policy").isTrue();
        assertThat(catalog.claim("p", Kind.SCHEDULED, T0.plusSeconds(600), "b")).isTrue();
    }

    @Test
    void last_claimed_is_the_latest_due_time_whatever_order_they_were_claimed_in() {
        assertThat(catalog.lastClaimed("p", Kind.SCHEDULED)).isEmpty();
        catalog.claim("p", Kind.SCHEDULED, T0.plusSeconds(600), "a");
        catalog.claim("p", Kind.SCHEDULED, T0, "a");
        catalog.claim("p", Kind.VERIFY, T0.plusSeconds(9000), "a");
        assertThat(catalog.lastClaimed("p", Kind.SCHEDULED)).contains(T0.plusSeconds(600));
        assertThat(catalog.lastClaimed("p", Kind.VERIFY)).contains(T0.plusSeconds(9000));
    }

    @Test
    void of_racers_claiming_one_due_time_exactly_one_wins() throws Exception {
        catalog.save(bare("p"));
        for (int round = 0; round < 5; round++) {
            Instant due = T0.plusSeconds(600L * round);
            List<Callable<Boolean>> racers = new ArrayList<>();
            for (int i = 0; i < RACERS; i++) {
                String node = "node-" + i;
                racers.add(() -> catalog.claim("p", Kind.SCHEDULED, due, node));
            }
            assertThat(Races.winners(racers)).as("round %d", round).isEqualTo(1);
        }
        assertThat(catalog.lastClaimed("p", Kind.SCHEDULED)).contains(T0.plusSeconds(2400));
    }

    @Test
    void a_run_reads_back_whole_and_a_record_of_the_same_key_replaces_it() {
        PolicyRun running = new PolicyRun("p", Kind.SCHEDULED, T0, T0.plusMillis(1), Outcome.RUNNING,
                Optional.of(SnapshotId.of("p-0300")), Optional.of(ExecutionId.of("0b7d1c52-5a4e-4f43-9b8e-6a5f2f0c1d9e")), "");
        catalog.record(running);
        assertThat(catalog.history("p", 10)).containsExactly(running);
        PolicyRun failed = running.withOutcome(Outcome.FAILED, T0.plusSeconds(30), "the store refused: disk full");
        catalog.record(failed);
        assertThat(catalog.history("p", 10)).containsExactly(failed);
    }

    @Test
    void runs_differing_in_kind_due_time_or_snapshot_are_kept_apart() {
        catalog.record(run("p", Kind.VERIFY, T0, Outcome.SUCCEEDED, "a"));
        catalog.record(run("p", Kind.VERIFY, T0, Outcome.FAILED, "b"));
        catalog.record(run("p", Kind.SCHEDULED, T0, Outcome.MISSED, null));
        catalog.record(run("p", Kind.SCHEDULED, T0.plusSeconds(600), Outcome.MISSED, null));
        catalog.record(run("p", Kind.RETENTION, T0, Outcome.SUCCEEDED, "a"));
        catalog.record(run("p", Kind.SCHEDULED, T0, Outcome.MISSED, null));
        assertThat(catalog.history("p", 10)).hasSize(5);
        assertThat(catalog.history("other", 10)).isEmpty();
    }

    @Test
    void history_is_newest_due_time_first_then_latest_written_and_bounded() {
        for (int i = 0; i < 6; i++) {
            catalog.record(run("p", Kind.SCHEDULED, T0.plusSeconds(600L * i), Outcome.SUCCEEDED, "p-" + i));
        }
        PolicyRun early = new PolicyRun("p", Kind.RETENTION, T0.plusSeconds(3000), T0.plusSeconds(3001),
                Outcome.SUCCEEDED, Optional.of(SnapshotId.of("p-0")), Optional.empty(), "");
        catalog.record(early);
        List<PolicyRun> three = catalog.history("p", 3);
        assertThat(three).hasSize(3);
        assertThat(three.get(0)).isEqualTo(early);
        assertThat(three.get(1).snapshot()).contains(SnapshotId.of("p-5"));
        assertThat(three.get(2).snapshot()).contains(SnapshotId.of("p-4"));
        assertThat(catalog.history("p", 100)).hasSize(7);
    }

    @Test
    void detail_and_execution_survive_and_an_empty_detail_reads_back_empty() {
        String longDetail = "x".repeat(4000) + " – ünïcode";
        PolicyRun run = new PolicyRun("p", Kind.MANUAL, T0, T0, Outcome.FAILED, Optional.of(SnapshotId.of("p-1")),
                Optional.of(ExecutionId.of("7c0e9a64-2f3b-4c1d-8e5a-9b4d3c2a1f00")), longDetail);
        PolicyRun missed = new PolicyRun("p", Kind.SCHEDULED, T0.minusSeconds(600), T0, Outcome.MISSED,
                Optional.empty(), Optional.empty(), null);
        catalog.record(run);
        catalog.record(missed);
        assertThat(catalog.history("p", 10)).containsExactly(run, missed);
        assertThat(catalog.history("p", 10).get(1).detail()).isEmpty();
    }

    @Test
    void snapshots_of_a_policy_are_what_its_creates_made_oldest_first_without_what_retention_deleted() {
        catalog.record(run("p", Kind.SCHEDULED, T0.plusSeconds(1200), Outcome.RUNNING, "p-c"));
        catalog.record(run("p", Kind.SCHEDULED, T0, Outcome.SUCCEEDED, "p-a"));
        catalog.record(run("p", Kind.MANUAL, T0.plusSeconds(600), Outcome.FAILED, "p-b"));
        catalog.record(run("p", Kind.SCHEDULED, T0.plusSeconds(1800), Outcome.MISSED, null));
        catalog.record(run("q", Kind.SCHEDULED, T0, Outcome.SUCCEEDED, "q-a"));
        catalog.record(run("p", Kind.VERIFY, T0.plusSeconds(2400), Outcome.SUCCEEDED, "p-v"));
        assertThat(catalog.snapshotsOf("p")).containsExactly(SnapshotId.of("p-a"), SnapshotId.of("p-b"),
                SnapshotId.of("p-c"));
        catalog.record(run("p", Kind.RETENTION, T0.plusSeconds(3000), Outcome.SUCCEEDED, "p-a"));
        catalog.record(run("p", Kind.RETENTION, T0.plusSeconds(3000), Outcome.FAILED, "p-b"));
        assertThat(catalog.snapshotsOf("p")).containsExactly(SnapshotId.of("p-b"), SnapshotId.of("p-c"));
        assertThat(catalog.snapshotsOf("q")).containsExactly(SnapshotId.of("q-a"));
    }
}
