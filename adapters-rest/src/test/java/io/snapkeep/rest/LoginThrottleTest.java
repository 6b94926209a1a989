package io.snapkeep.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {
    private final SettableClock clock = new SettableClock(Instant.parse("2026-03-01T08:00:00Z"));
    private final LoginThrottle throttle = new LoginThrottle(
            new LoginLimits(2, 3, Duration.ofMinutes(1), Duration.ofMinutes(1), Duration.ofMinutes(5)), clock);

    @Test
    void keys_stay_bounded_however_many_clients_fail() {
        for (int i = 0; i < LoginThrottle.MAX_KEYS + 1_000; i++) {
            throttle.failed("client-" + i, "name-" + i);
        }
        assertThat(throttle.size()).isLessThanOrEqualTo(2 * LoginThrottle.MAX_KEYS);
    }

    @Test
    void entries_with_nothing_left_to_remember_go_first() {
        throttle.failed("attacker", "a");
        throttle.failed("attacker", "b");
        for (int i = 0; i < LoginThrottle.MAX_KEYS - 1; i++) {
            throttle.failed("client-" + i, "n");
        }
        clock.advance(Duration.ofMinutes(1));
        throttle.failed("attacker", "c"); // blocked once, still within a longest block: remembered
        throttle.failed("late-client", "late-name");

        assertThat(throttle.size()).as("the expired single failures were dropped").isLessThan(10);
        throttle.failed("attacker", "d");
        assertThat(throttle.addressBlocked("attacker")).as("its second block is longer").isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void blocked_keys_are_kept_over_unblocked_ones_when_room_is_made() {
        throttle.failed("attacker", "a");
        throttle.failed("attacker", "b");
        assertThat(throttle.addressBlocked("attacker")).isEqualTo(Duration.ofMinutes(1));
        for (int i = 0; i < LoginThrottle.MAX_KEYS; i++) {
            throttle.failed("client-" + i, "n");
        }
        assertThat(throttle.addressBlocked("attacker")).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void long_user_names_count_by_their_first_characters() {
        String base = "x".repeat(300);
        throttle.failed("c1", base + "1");
        throttle.failed("c2", base + "2");
        throttle.failed("c3", base + "3");
        assertThat(throttle.userBlocked(base + "4")).isEqualTo(Duration.ofMinutes(1));
        assertThat(throttle.userBlocked("other")).isZero();
    }
}
