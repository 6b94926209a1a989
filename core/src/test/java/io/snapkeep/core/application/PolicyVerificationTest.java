package io.snapkeep.core.application;

import static org.assertj.core.api.Assertions.assertThat;

import io.snapkeep.core.Snapkeep;
import io.snapkeep.core.domain.PolicyRun;
import io.snapkeep.core.domain.PolicyRun.Kind;
import io.snapkeep.core.domain.PolicyRun.Outcome;
import io.snapkeep.core.domain.PolicyStatus;
import io.snapkeep.core.domain.SnapshotStatus;
import io.snapkeep.core.port.out.StoreKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Scheduled verification: order, byte budget, and what a damaged archive does to the policy's status. */
class PolicyVerificationTest extends PolicyTestBase {
    static final String HOURLY_AT_FIVE = "5 * * * *";

    /** Five snapshots p-0010 to p-0050 made by a policy that then creates no more (its schedule is yearly). */
    Snapkeep fiveSnapshotsThenVerifyHourly() {
        Snapkeep maker = engine();
        maker.policies().putPolicy(policy("p", "*/10 * * * *", "p-{HHmm}", null, null));
        run(5, Duration.ofMinutes(10), maker);
        maker.close();
        long max = snapshotIds().stream().mapToLong(id -> snapshot(id).archive().size()).max().orElseThrow();
        long min = snapshotIds().stream().mapToLong(id -> snapshot(id).archive().size()).min().orElseThrow();
        verifyBudget = 2 * max + min / 2;
        assertThat(3 * min).as("two archives fit the budget, three do not").isGreaterThan(verifyBudget);
        Snapkeep s = engine(null, "verifier");
        s.policies().putPolicy(policy("p", "0 0 1 1 *", "p-{HHmm}", null, HOURLY_AT_FIVE));
        return s;
    }

    List<String> verifiedAt(Instant due) {
        return history("p").stream().filter(r -> r.kind() == Kind.VERIFY && r.dueAt().equals(due))
                .map(r -> r.snapshot().orElseThrow().value()).toList();
    }

    @Test
    void never_verified_ones_go_first_oldest_first_then_the_longest_ago_verified_within_the_byte_budget() {
        Snapkeep s = fiveSnapshotsThenVerifyHourly(); // the clock is at 00:50:30
        clock.moveTo(Instant.parse("2026-12-01T01:05:30Z"));
        tick(s);
        clock.moveTo(Instant.parse("2026-12-01T02:05:30Z"));
        tick(s);
        clock.moveTo(Instant.parse("2026-12-01T03:05:30Z"));
        tick(s);
        assertThat(verifiedAt(Instant.parse("2026-12-01T01:05:00Z"))).containsExactlyInAnyOrder("p-0010", "p-0020");
        assertThat(verifiedAt(Instant.parse("2026-12-01T02:05:00Z"))).containsExactlyInAnyOrder("p-0030", "p-0040");
        assertThat(verifiedAt(Instant.parse("2026-12-01T03:05:00Z"))).containsExactlyInAnyOrder("p-0050", "p-0010");
        assertThat(runsOf("p", Kind.VERIFY, Outcome.SUCCEEDED)).hasSize(6);
        PolicyStatus status = s.policies().policy("p");
        assertThat(status.health()).isEqualTo("ok");
        assertThat(status.nextVerification()).contains(Instant.parse("2026-12-01T04:05:00Z"));
    }

    @Test
    void a_damaged_archive_fails_its_verification_and_its_snapshot_and_the_policy_says_so() {
        Snapkeep s = fiveSnapshotsThenVerifyHourly();
        store.damage(new StoreKey("p-0020"), b -> {
            b[b.length / 3] ^= 0x10;
            return b;
        });
        clock.moveTo(Instant.parse("2026-12-01T01:05:30Z"));
        tick(s);
        PolicyRun failed = runsOf("p", Kind.VERIFY, Outcome.FAILED).get(0);
        assertThat(failed.snapshot().orElseThrow().value()).isEqualTo("p-0020");
        assertThat(failed.detail()).startsWith("archive damaged");
        assertThat(snapshot("p-0020").status()).isEqualTo(SnapshotStatus.FAILED);
        assertThat(s.policies().policy("p").health()).isEqualTo("verification_failed");

        // The next round finds no damage among what is left: the policy is healthy again.
        clock.moveTo(Instant.parse("2026-12-01T02:05:30Z"));
        tick(s);
        assertThat(verifiedAt(Instant.parse("2026-12-01T02:05:00Z"))).containsExactlyInAnyOrder("p-0030", "p-0040");
        assertThat(s.policies().policy("p").health()).isEqualTo("ok");
    }

    @Test
    void with_verification_on_retention_keeps_the_newest_verified_snapshot_besides_the_newest_one() {
        Snapkeep s = engine();
        s.policies().putPolicy(policy("p", "*/10 * * * *", "p-{HHmm}", keep(1, null, 0), "15 * * * *"));
        run(2, Duration.ofMinutes(10), s); // 00:10 and 00:20; the verification at 00:15 saw p-0010 whole
        assertThat(runsOf("p", Kind.VERIFY, Outcome.SUCCEEDED)).extracting(r -> r.snapshot().orElseThrow().value())
                .containsExactly("p-0010");
        run(3, Duration.ofMinutes(10), s); // up to 00:50: nothing verified since
        assertThat(snapshotIds()).containsExactly("p-0010", "p-0050");
    }
}
