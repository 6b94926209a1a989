package io.snapkeep.core.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snapkeep.core.application.Cancellation.StoppedException;
import io.snapkeep.core.domain.Progress;
import io.snapkeep.core.domain.Progress.Phases;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Rate, time left, percent and store pacing, on a clock the test moves: no sleeps. */
class ProgressFiguresTest {
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long MIB = 1L << 20;

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final List<Progress> stored = new ArrayList<>();
    private final List<String> phases = new ArrayList<>();

    @Test
    void the_rate_is_unknown_until_the_samples_span_enough_time_then_it_is_the_bytes_over_the_window() {
        RateMeter meter = new RateMeter();
        meter.sample(0, 0);
        assertThat(meter.bytesPerSecond()).isEqualTo(Progress.UNKNOWN);
        meter.sample(500 * MS, 50 * MIB);
        assertThat(meter.bytesPerSecond()).isEqualTo(Progress.UNKNOWN);
        assertThat(meter.etaSeconds(1000 * MIB)).isEqualTo(Progress.UNKNOWN);
        meter.sample(1000 * MS, 100 * MIB);
        assertThat(meter.bytesPerSecond()).isEqualTo(100 * MIB);
        assertThat(meter.etaSeconds(1000 * MIB)).isEqualTo(9);
        assertThat(meter.etaSeconds(Progress.UNKNOWN)).isEqualTo(Progress.UNKNOWN);
    }

    @Test
    void the_rate_follows_a_change_of_speed_within_the_window() {
        RateMeter meter = new RateMeter();
        long bytes = 0;
        for (int i = 0; i <= 40; i++) { // 10 s at 100 MiB/s, a sample every 250 ms
            meter.sample(i * 250 * MS, bytes);
            bytes += 25 * MIB;
        }
        assertThat(meter.bytesPerSecond()).isBetween(99 * MIB, 101 * MIB);
        bytes -= 25 * MIB;
        for (int i = 41; i <= 80; i++) { // then 10 s at 10 MiB/s
            bytes += (long) (2.5 * MIB);
            meter.sample(i * 250 * MS, bytes);
        }
        assertThat(meter.bytesPerSecond()).isBetween(9 * MIB, 11 * MIB);
        long left = 2000 * MIB - bytes;
        assertThat(meter.etaSeconds(2000 * MIB)).isBetween(left / (11 * MIB), left / (9 * MIB) + 1);
    }

    @Test
    void a_count_that_goes_down_or_a_clock_that_goes_back_changes_nothing() {
        RateMeter meter = new RateMeter();
        meter.sample(0, 100);
        meter.sample(1000 * MS, 1100);
        meter.sample(900 * MS, 5000);
        meter.sample(2000 * MS, 50);
        assertThat(meter.bytesPerSecond()).isEqualTo(500);
    }

    @Test
    void no_rate_nor_estimate_before_any_byte_is_done_and_the_wait_for_it_does_not_count() {
        RateMeter meter = new RateMeter();
        meter.sample(0, 0);
        meter.sample(2000 * MS, 0);
        assertThat(meter.bytesPerSecond()).isEqualTo(Progress.UNKNOWN);
        assertThat(meter.etaSeconds(100)).isEqualTo(Progress.UNKNOWN);
        meter.sample(2250 * MS, 25 * MIB);
        assertThat(meter.bytesPerSecond()).isEqualTo(Progress.UNKNOWN);
        meter.sample(3000 * MS, 100 * MIB);
        assertThat(meter.bytesPerSecond()).isEqualTo(100 * MIB);
        assertThat(meter.etaSeconds(1000 * MIB)).isEqualTo(9);
    }

    @Test
    void a_stall_after_the_start_shows_as_a_falling_rate_and_no_estimate_once_nothing_moves() {
        RateMeter meter = new RateMeter();
        meter.sample(0, 0);
        meter.sample(1000 * MS, 100 * MIB);
        for (int i = 1; i <= 24; i++) {
            meter.sample(1000 * MS + i * 250 * MS, 100 * MIB);
        }
        assertThat(meter.bytesPerSecond()).isZero();
        assertThat(meter.etaSeconds(1000 * MIB)).isEqualTo(Progress.UNKNOWN);
    }

    @Test
    void percent_comes_from_bytes_then_entries_stays_below_100_until_success_and_is_null_when_unknown() {
        Progress p = new Progress(10, 5, 512, Phases.WRITING, 1024, 10, Progress.UNKNOWN, Progress.UNKNOWN);
        assertThat(p.percent(false)).hasValue(50.0);
        assertThat(p.withTotals(Progress.UNKNOWN, 20).percent(false)).hasValue(25.0);
        assertThat(p.withTotals(Progress.UNKNOWN, Progress.UNKNOWN).percent(false)).isEmpty();
        assertThat(p.withTotals(500, 10).percent(false)).hasValue(99.9);
        assertThat(p.withTotals(3000, 10).percent(false)).hasValue(17.0);
        assertThat(p.percent(true)).hasValue(100.0);
        assertThat(Progress.NONE.percent(true)).hasValue(100.0);
        assertThat(p.done().phase()).isEqualTo(Phases.DONE);
        assertThat(p.done().etaSeconds()).isZero();
        assertThatThrownBy(() -> p.withRate(-2, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void the_tracker_stores_at_most_every_interval_and_at_each_phase_with_its_event() {
        ProgressTracker tracker = tracker(true);
        tracker.totals(100 * MIB, 25);
        tracker.phase(Phases.WRITING);
        assertThat(stored).hasSize(1);
        assertThat(phases).containsExactly("Phase: writing (100.0 MiB, 25 entries)");
        tracker.copied(4 * MIB);
        now.addAndGet(100 * MS);
        tracker.copied(4 * MIB);
        assertThat(stored).hasSize(1);
        now.addAndGet(150 * MS);
        tracker.entryDone("participants/p/a", 8 * MIB);
        assertThat(stored).hasSize(2);
        assertThat(stored.get(1).bytes()).isEqualTo(8 * MIB);
        assertThat(stored.get(1).finishedOperations()).isEqualTo(1);
        tracker.phase(Phases.WRITING);
        assertThat(stored).hasSize(2);
    }

    @Test
    void a_beat_stores_only_figures_a_second_old_and_a_failing_store_does_not_stop_it() {
        AtomicLong failures = new AtomicLong();
        ProgressTracker tracker = new ProgressTracker(p -> {
            if (failures.get() > 0) {
                failures.decrementAndGet();
                throw new IllegalStateException("catalog down");
            }
            return stored.add(p);
        }, now::get, () -> { }, true, p -> { });
        tracker.phase(Phases.WRITING);
        assertThat(stored).hasSize(1);
        now.addAndGet(999 * MS);
        tracker.tick();
        assertThat(stored).hasSize(1);
        now.addAndGet(MS);
        tracker.tick();
        assertThat(stored).hasSize(2);
        tracker.tick();
        assertThat(stored).hasSize(2);
        failures.set(1);
        now.addAndGet(1000 * MS);
        tracker.tick();
        assertThat(stored).hasSize(2);
        now.addAndGet(1000 * MS);
        tracker.tick();
        assertThat(stored).hasSize(3);
    }

    @Test
    void the_tracker_estimates_the_time_left_once_it_has_measured_for_a_while() {
        ProgressTracker tracker = tracker(true);
        tracker.totals(1000 * MIB, Progress.UNKNOWN);
        tracker.phase(Phases.WRITING);
        for (int i = 0; i < 8; i++) { // 40 MiB/s: 10 MiB every 250 ms, for 2 s
            now.addAndGet(250 * MS);
            tracker.copied(10 * MIB);
        }
        Progress last = stored.get(stored.size() - 1);
        assertThat(last.bytes()).isEqualTo(80 * MIB);
        assertThat(last.bytesPerSecond()).isEqualTo(40 * MIB);
        assertThat(last.etaSeconds()).isEqualTo(23); // 920 MiB at 40 MiB/s
        Progress first = stored.get(1);
        assertThat(first.bytesPerSecond()).isEqualTo(Progress.UNKNOWN);
        assertThat(first.etaSeconds()).isEqualTo(Progress.UNKNOWN);
        assertThat(tracker.done().phase()).isEqualTo(Phases.DONE);
    }

    @Test
    void a_counting_tracker_counts_the_stream_not_the_entries_and_checks_cancel() throws IOException {
        Cancellation cancellation = new Cancellation();
        ProgressTracker tracker = new ProgressTracker(stored::add, now::get, cancellation::check, false,
                p -> phases.add(ProgressTracker.phaseMessage(p)));
        try (InputStream in = tracker.counting(new ByteArrayInputStream(new byte[3000]))) {
            assertThat(in.read()).isZero();
            assertThat(in.read(new byte[1000])).isEqualTo(1000);
            assertThat(in.skip(500)).isEqualTo(500);
        }
        tracker.copied(1 << 20);
        tracker.entryDone("participants/p/x", 1 << 20);
        assertThat(tracker.progress().bytes()).isEqualTo(1501);
        assertThat(tracker.progress().finishedOperations()).isEqualTo(1);
        cancellation.request("cancelled");
        assertThatThrownBy(() -> tracker.copied(1)).isInstanceOf(StoppedException.class);
    }

    @Test
    void phase_messages_name_what_is_known() {
        assertThat(ProgressTracker.phaseMessage(Progress.NONE.inPhase(Phases.ESTIMATING)))
                .isEqualTo("Phase: estimating");
        assertThat(ProgressTracker.phaseMessage(new Progress(0, 0, 3L << 30, Phases.COMMITTING, 3L << 30,
                Progress.UNKNOWN, Progress.UNKNOWN, Progress.UNKNOWN)))
                .isEqualTo("Phase: committing (3.0 GiB; 3.0 GiB done)");
    }

    private ProgressTracker tracker(boolean entryBytes) {
        return new ProgressTracker(p -> stored.add(p), now::get, () -> { }, entryBytes,
                p -> phases.add(ProgressTracker.phaseMessage(p)));
    }
}
