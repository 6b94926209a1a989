package io.snapkeep.core.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snapkeep.core.Snapkeep;
import io.snapkeep.core.domain.CreateOptions;
import io.snapkeep.core.domain.SnapshotPolicy;
import io.snapkeep.core.error.InvalidParameterException;
import io.snapkeep.core.error.NotFoundException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** A policy that cannot work is refused before it is stored, naming the field at fault. */
class PolicyValidationTest extends PolicyTestBase {

    static SnapshotPolicy in(String zone, String schedule, String template) {
        return new SnapshotPolicy("p", schedule, ZoneId.of(zone), template, CreateOptions.DEFAULTS, Optional.empty(),
                Optional.empty());
    }

    static Stream<Arguments> badPolicies() {
        return Stream.of(
                Arguments.of(policy("1st", "0 3 * * *", "n-{yyyyMMdd}", null, null), "name"),
                Arguments.of(policy("a/b", "0 3 * * *", "n-{yyyyMMdd}", null, null), "name"),
                Arguments.of(policy("p", "every night", "n-{yyyyMMdd}", null, null), "schedule"),
                Arguments.of(policy("p", "0 3 31 2 *", "n-{yyyyMMdd}", null, null), "schedule"),
                Arguments.of(policy("p", "", "n-{yyyyMMdd}", null, null), "schedule"),
                Arguments.of(policy("p", "0 3 * * *", "n-{yyyyMMdd", null, null), "snapshot_id"),
                Arguments.of(policy("p", "0 3 * * *", "n-{}", null, null), "snapshot_id"),
                Arguments.of(policy("p", "0 3 * * *", "n-{bb}", null, null), "snapshot_id"),
                Arguments.of(policy("p", "0 3 * * *", "{yyyyMMdd}-n", null, null), "snapshot_id"),
                Arguments.of(policy("p", "0 3 * * *", "n-{yyyy/MM/dd}", null, null), "snapshot_id"),
                Arguments.of(policy("p", "0 3 * * *", "n-{yyyyMMdd} x", null, null), "snapshot_id"),
                Arguments.of(policy("p", "0 3 * * *", "n" + "x".repeat(250) + "-{yyyyMMdd}", null, null), "snapshot_id"),
                Arguments.of(in("Europe/Berlin", "0 3 * * *", "n-{VV}-{yyyyMMdd}"), "snapshot_id"),
                Arguments.of(policy("p", "0 * * * *", "nightly-{yyyyMMdd}", null, null), "snapshot_id"),
                Arguments.of(policy("p", "*/10 * * * *", "static", null, null), "snapshot_id"),
                Arguments.of(policy("p", "0 3 * * *", "n-{yyyyMMdd}", keep(0, null, 0), null), "retention.max_count"),
                Arguments.of(policy("p", "0 3 * * *", "n-{yyyyMMdd}", keep(null, null, -1), null), "retention.min_count"),
                Arguments.of(policy("p", "0 3 * * *", "n-{yyyyMMdd}", keep(3, null, 5), null), "retention.min_count"),
                Arguments.of(policy("p", "0 3 * * *", "n-{yyyyMMdd}", keep(3, Duration.ZERO, 1), null),
                        "retention.expire_after"),
                Arguments.of(policy("p", "0 3 * * *", "n-{yyyyMMdd}", keep(3, Duration.ofDays(-1), 1), null),
                        "retention.expire_after"),
                Arguments.of(policy("p", "0 3 * * *", "n-{yyyyMMdd}", null, "sundays"), "verify_schedule"),
                Arguments.of(policy("p", "0 3 * * *", "n-{yyyyMMdd}", null, "0 4 30 2 *"), "verify_schedule"));
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @MethodSource("badPolicies")
    void a_bad_policy_is_refused_naming_its_field_and_nothing_is_stored(SnapshotPolicy bad, String field) {
        Snapkeep s = engine();
        assertThatThrownBy(() -> s.policies().putPolicy(bad)).isInstanceOf(InvalidParameterException.class)
                .hasMessageStartingWith("Invalid `" + field + "` of the snapshot policy: ");
        assertThat(policies.all()).isEmpty();
    }

    @Test
    void good_policies_are_stored_including_a_daily_id_on_a_daily_schedule_and_a_leap_day_schedule() {
        Snapkeep s = engine();
        s.policies().putPolicy(policy("nightly", "0 3 * * *", "nightly-{yyyyMMdd-HHmmss}", keep(7, Duration.ofDays(30), 1),
                "0 4 * * 0"));
        s.policies().putPolicy(policy("latest", "0 3 * * *", "latest", null, null));
        s.policies().putPolicy(policy("leap", "0 0 29 2 *", "leap-{yyyy}", keep(null, null, 0), null));
        s.policies().putPolicy(in("Europe/Berlin", "*/10 * * * *", "b-{EEE-yyyyMMdd-HHmm}"));
        assertThat(s.policies().policies()).extracting(st -> st.policy().name())
                .containsExactly("latest", "leap", "nightly", "p");
        assertThat(s.policies().policy("nightly").health()).isEqualTo("ok");
        assertThat(s.policies().policy("nightly").history()).isEmpty();
        assertThatThrownBy(() -> s.policies().policy("missing")).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> s.policies().deletePolicy("missing")).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> s.policies().runPolicy("missing", "admin")).isInstanceOf(NotFoundException.class);
    }

    @Test
    void without_a_policy_catalog_policies_are_off_and_say_so() {
        Snapkeep s = Snapkeep.builder().archiveStore(store).snapshotCatalog(snapshots).executionCatalog(executions)
                .eventLog(events).participant(resources).clock(clock).build().start();
        started.add(s);
        assertThatThrownBy(() -> s.policies().policies()).isInstanceOf(NotFoundException.class)
                .hasMessageContaining("not enabled");
        assertThat(s.policies()).isSameAs(io.snapkeep.core.port.in.SnapshotPolicies.disabled());
    }
}
