package io.snapkeep.core.application;

import static org.assertj.core.api.Assertions.assertThat;

import io.snapkeep.core.Snapkeep;
import io.snapkeep.core.domain.PolicyRun.Kind;
import io.snapkeep.core.domain.PolicyRun.Outcome;
import io.snapkeep.core.domain.PolicyStatus;
import io.snapkeep.core.domain.SnapshotId;
import io.snapkeep.core.domain.SnapshotStatus;
import io.snapkeep.core.testing.LogCapture;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Retention over simulated days of a ten-minute schedule: what remains is exactly what the rule says. */
class PolicyRetentionTest extends PolicyTestBase {
    static final Duration TEN_MINUTES = Duration.ofMinutes(10);
    static final DateTimeFormatter ID = DateTimeFormatter.ofPattern("'p-'yyyyMMdd-HHmm").withZone(ZoneOffset.UTC);

    /** The ids of due times {@code from} to {@code to} (1 is 00:10 on the first day). */
    static List<String> ids(int from, int to) {
        Instant first = Instant.parse("2026-12-01T00:10:00Z");
        return IntStream.rangeClosed(from, to).mapToObj(i -> ID.format(first.plus(TEN_MINUTES.multipliedBy(i - 1))))
                .toList();
    }

    @Test
    void three_days_every_ten_minutes_with_max_count_keep_exactly_the_newest_max_count() {
        Snapkeep s = engine();
        s.policies().putPolicy(policy("p", "*/10 * * * *", "p-{yyyyMMdd-HHmm}", keep(5, null, 1), null));
        try (LogCapture log = LogCapture.of(PolicyRetention.class)) {
            run(432, TEN_MINUTES, s);
            assertThat(log.lines()).filteredOn(l -> l.level() == System.Logger.Level.INFO
                    && l.message().contains("deleted snapshot")).hasSize(427);
        }
        assertThat(snapshotIds()).containsExactlyElementsOf(ids(428, 432));
        assertThat(runsOf("p", Kind.SCHEDULED, Outcome.SUCCEEDED)).hasSize(432);
        assertThat(runsOf("p", Kind.RETENTION, Outcome.SUCCEEDED)).hasSize(427);
        assertThat(policies.snapshotsOf("p")).extracting(SnapshotId::value).containsExactlyElementsOf(ids(428, 432));
        PolicyStatus status = s.policies().policy("p");
        assertThat(status.health()).isEqualTo("ok");
        assertThat(status.consecutiveFailures()).isZero();
        assertThat(status.lastSuccess().orElseThrow().snapshot()).contains(SnapshotId.of(ids(432, 432).get(0)));
        assertThat(status.history()).hasSize(PolicyEngine.HISTORY_SHOWN);
        assertThat(status.nextDue()).contains(Instant.parse("2026-12-04T00:10:00Z"));
    }

    @Test
    void expire_after_keeps_what_is_younger_and_min_count_keeps_the_newest_however_old() {
        Snapkeep s = engine();
        s.policies().putPolicy(policy("p", "*/10 * * * *", "p-{yyyyMMdd-HHmm}", keep(null, Duration.ofHours(2), 4),
                null));
        run(144, TEN_MINUTES, s); // a day: due times 1 to 144, the last at 2026-12-02T00:00
        // Created at its due time; expired once more than two hours old: 22:00 to 00:00 remain.
        assertThat(snapshotIds()).containsExactlyElementsOf(ids(132, 144));
        // The schedule now fires once a year: no new snapshot, and the old ones age past expire_after.
        s.policies().putPolicy(policy("p", "0 0 1 1 *", "p-{yyyyMMdd-HHmm}", keep(null, Duration.ofHours(2), 4),
                null));
        clock.advance(Duration.ofDays(3));
        tick(s);
        assertThat(snapshotIds()).as("min_count keeps four").containsExactlyElementsOf(ids(141, 144));
    }

    @Test
    void the_newest_created_snapshot_is_kept_when_every_later_create_failed_whatever_the_rule() {
        Snapkeep s = engine();
        s.policies().putPolicy(policy("p", "*/10 * * * *", "p-{yyyyMMdd-HHmm}", keep(2, Duration.ofMinutes(30), 0),
                null));
        run(6, TEN_MINUTES, s);
        assertThat(snapshotIds()).containsExactlyElementsOf(ids(5, 6));
        resources.failAt = "export";
        run(30, TEN_MINUTES, s);
        List<String> left = snapshotIds();
        assertThat(left).as("the newest good one, and the failed ones max_count leaves").contains(ids(6, 6).get(0))
                .hasSize(3);
        assertThat(snapshot(ids(6, 6).get(0)).status()).isEqualTo(SnapshotStatus.CREATED);
        assertThat(left.subList(1, 3)).allSatisfy(id -> assertThat(snapshot(id).status())
                .isEqualTo(SnapshotStatus.FAILED));
        PolicyStatus status = s.policies().policy("p");
        assertThat(status.health()).isEqualTo("failing");
        assertThat(status.consecutiveFailures()).isEqualTo(30);
        assertThat(status.lastFailure().orElseThrow().detail()).contains("failed");
    }

    @Test
    void a_snapshot_a_download_streams_is_skipped_until_the_download_ends() throws Exception {
        Snapkeep s = engine();
        s.policies().putPolicy(policy("p", "*/10 * * * *", "p-{yyyyMMdd-HHmm}", keep(1, null, 0), null));
        run(1, TEN_MINUTES, s);
        String first = ids(1, 1).get(0);
        try (var download = s.download(SnapshotId.of(first)).open(0, Long.MAX_VALUE)) {
            download.read();
            run(1, TEN_MINUTES, s);
            assertThat(snapshotIds()).as("kept while it streams").containsExactly(first, ids(2, 2).get(0));
        }
        tick(s);
        assertThat(snapshotIds()).containsExactly(ids(2, 2).get(0));
    }

    @Test
    void a_download_on_another_node_keeps_retention_from_deleting_what_it_streams() throws Exception {
        io.snapkeep.core.testing.InMemoryNodeCatalog nodes = new io.snapkeep.core.testing.InMemoryNodeCatalog();
        Snapkeep a = engine(nodes, "node-a");
        Snapkeep b = engine(nodes, "node-b");
        a.policies().putPolicy(policy("p", "*/10 * * * *", "p-{yyyyMMdd-HHmm}", keep(1, null, 0), null));
        run(1, TEN_MINUTES, a);
        String first = ids(1, 1).get(0);
        try (var download = a.download(SnapshotId.of(first)).open(0, Long.MAX_VALUE)) {
            download.read();
            run(1, TEN_MINUTES, b);
            tick(b);
            assertThat(snapshotIds()).as("node b keeps what node a streams").containsExactly(first, ids(2, 2).get(0));
        }
        tick(b);
        assertThat(snapshotIds()).containsExactly(ids(2, 2).get(0));
    }
}
