package io.snapkeep.core.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snapkeep.core.error.IllegalTransitionException;
import io.snapkeep.core.error.SnapshotActionException;
import java.time.Instant;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SnapshotTest {
    private static final Instant T = Instant.parse("2026-11-28T12:00:00.123456Z");
    private static final ArchiveInfo INFO = new ArchiveInfo(42, "0f".repeat(32));
    private static final SnapshotId ID = SnapshotId.of("s1");

    static Snapshot in(SnapshotStatus status) {
        return switch (status) {
            case CREATING -> Snapshot.creating(ID, "admin", T);
            case CREATED -> Snapshot.creating(ID, "admin", T).created(INFO);
            case FAILED -> Snapshot.creating(ID, "admin", T).failed("boom");
            case UPLOADING -> Snapshot.uploading(ID, "admin", T);
            case UPLOADED -> Snapshot.uploading(ID, "admin", T).uploaded(INFO);
        };
    }

    record Transition(String name, UnaryOperator<Snapshot> apply, SnapshotStatus from, SnapshotStatus to) {
        @Override
        public String toString() {
            return name;
        }
    }

    static final Transition[] TRANSITIONS = {
        new Transition("created", s -> s.created(INFO), SnapshotStatus.CREATING, SnapshotStatus.CREATED),
        new Transition("failed", s -> s.failed("reason"), SnapshotStatus.CREATING, SnapshotStatus.FAILED),
        new Transition("uploaded", s -> s.uploaded(INFO), SnapshotStatus.UPLOADING, SnapshotStatus.UPLOADED),
    };

    static Stream<Arguments> everyStatusAndTransition() {
        return Stream.of(SnapshotStatus.values())
                .flatMap(status -> Stream.of(TRANSITIONS).map(t -> Arguments.of(status, t)));
    }

    @ParameterizedTest(name = "{0} --{1}-->")
    @MethodSource("everyStatusAndTransition")
    void each_transition_is_allowed_from_exactly_its_status(SnapshotStatus status, Transition t) {
        Snapshot before = in(status);
        if (status == t.from()) {
            Snapshot after = t.apply().apply(before);
            assertThat(after.status()).isEqualTo(t.to());
            assertThat(after.id()).isEqualTo(before.id());
            assertThat(after.createdAt()).isEqualTo(before.createdAt());
            assertThat(before.status()).as("the original is unchanged").isEqualTo(status);
        } else {
            assertThatThrownBy(() -> t.apply().apply(before)).isInstanceOf(IllegalTransitionException.class)
                    .hasMessageContaining(status.wireName());
        }
    }

    @Test
    void created_keeps_the_archive_info_and_failed_the_reason() {
        assertThat(in(SnapshotStatus.CREATED).archive()).isEqualTo(INFO);
        assertThat(in(SnapshotStatus.CREATED).error()).isEmpty();
        assertThat(in(SnapshotStatus.FAILED).error()).isEqualTo("boom");
        assertThat(in(SnapshotStatus.FAILED).archive()).isNull();
    }

    @Test
    void times_are_kept_to_the_millisecond() {
        assertThat(in(SnapshotStatus.CREATING).createdAt()).isEqualTo(Instant.parse("2026-11-28T12:00:00.123Z"));
    }

    @Test
    void inconsistent_snapshots_cannot_be_built() {
        assertThatThrownBy(() -> new Snapshot(ID, T, SnapshotStatus.CREATED, "", "a", null))
                .hasMessageContaining("archive info");
        assertThatThrownBy(() -> new Snapshot(ID, T, SnapshotStatus.CREATING, "", "a", INFO))
                .hasMessageContaining("no complete archive");
        assertThatThrownBy(() -> new Snapshot(ID, T, SnapshotStatus.FAILED, "", "a", null))
                .hasMessageContaining("reason");
        assertThatThrownBy(() -> new Snapshot(ID, T, SnapshotStatus.CREATING, "x", "a", null))
                .hasMessageContaining("only a failed");
        assertThatThrownBy(() -> in(SnapshotStatus.CREATING).failed(" ")).hasMessageContaining("reason");
    }

    @Test
    void end_states_and_archive_presence() {
        assertThat(Stream.of(SnapshotStatus.values()).filter(SnapshotStatus::isEnd))
                .containsExactly(SnapshotStatus.CREATED, SnapshotStatus.FAILED, SnapshotStatus.UPLOADED);
        assertThat(Stream.of(SnapshotStatus.values()).filter(SnapshotStatus::hasArchive))
                .containsExactly(SnapshotStatus.CREATED, SnapshotStatus.UPLOADED);
        assertThat(SnapshotStatus.fromWireName("uploading")).isEqualTo(SnapshotStatus.UPLOADING);
    }

    @Test
    void only_a_created_or_uploaded_snapshot_has_its_archive() {
        assertThat(Stream.of(SnapshotStatus.values()).map(SnapshotTest::in).filter(Snapshot::hasArchive)
                .map(Snapshot::status)).containsExactly(SnapshotStatus.CREATED, SnapshotStatus.UPLOADED);
    }

    @Test
    void an_action_on_a_missing_archive_is_refused_with_the_reason() {
        assertThat(in(SnapshotStatus.FAILED).noArchive("restored"))
                .isInstanceOf(SnapshotActionException.class).hasMessage("Failed snapshot cannot be restored");
        assertThat(in(SnapshotStatus.CREATING).noArchive("downloaded")).isInstanceOf(SnapshotActionException.class)
                .hasMessage("Snapshot `" + ID + "` cannot be downloaded yet: it is still creating");
        assertThat(in(SnapshotStatus.UPLOADING).noArchive("restored"))
                .hasMessage("Snapshot `" + ID + "` cannot be restored yet: it is still uploading");
        assertThatThrownBy(() -> in(SnapshotStatus.CREATED).noArchive("restored"))
                .isInstanceOf(IllegalStateException.class);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("statuses")
    void only_a_complete_snapshot_can_turn_out_lost_or_damaged(SnapshotStatus status) {
        Snapshot before = in(status);
        if (status.hasArchive()) {
            Snapshot lost = before.lost();
            assertThat(lost.status()).isEqualTo(SnapshotStatus.FAILED);
            assertThat(lost.error()).isEqualTo("archive missing from the store").isEqualTo(Snapshot.ARCHIVE_MISSING);
            assertThat(lost.archive()).isNull();
            assertThat(lost.hasArchive()).isFalse();
            assertThat(lost.createdAt()).isEqualTo(before.createdAt());
            assertThat(lost.createdBy()).isEqualTo(before.createdBy());
            Snapshot damaged = before.damaged("CRC mismatch");
            assertThat(damaged.status()).isEqualTo(SnapshotStatus.FAILED);
            assertThat(damaged.error()).isEqualTo("archive damaged: CRC mismatch");
            assertThat(damaged.noArchive("downloaded")).hasMessage("Failed snapshot cannot be downloaded");
            assertThatThrownBy(() -> before.damaged(" ")).isInstanceOf(IllegalArgumentException.class);
        } else {
            assertThatThrownBy(before::lost).isInstanceOf(IllegalTransitionException.class)
                    .hasMessageContaining(status.wireName());
            assertThatThrownBy(() -> before.damaged("x")).isInstanceOf(IllegalTransitionException.class)
                    .hasMessageContaining(status.wireName());
        }
    }

    static Stream<SnapshotStatus> statuses() {
        return Stream.of(SnapshotStatus.values());
    }

    @Test
    void an_imported_snapshot_is_complete_with_the_fields_of_its_record() {
        Snapshot created = Snapshot.imported(ID, SnapshotStatus.CREATED, T, "admin", INFO);
        assertThat(created).isEqualTo(in(SnapshotStatus.CREATED));
        Snapshot uploaded = Snapshot.imported(ID, SnapshotStatus.UPLOADED, T, "other", INFO);
        assertThat(uploaded.status()).isEqualTo(SnapshotStatus.UPLOADED);
        assertThat(uploaded.createdBy()).isEqualTo("other");
        assertThat(uploaded.archive()).isEqualTo(INFO);
        for (SnapshotStatus incomplete : new SnapshotStatus[] {SnapshotStatus.CREATING, SnapshotStatus.FAILED,
                SnapshotStatus.UPLOADING}) {
            assertThatThrownBy(() -> Snapshot.imported(ID, incomplete, T, "admin", INFO))
                    .isInstanceOf(IllegalTransitionException.class).hasMessageContaining(incomplete.wireName());
        }
        assertThatThrownBy(() -> Snapshot.imported(ID, SnapshotStatus.CREATED, T, "admin", null))
                .isInstanceOf(NullPointerException.class);
    }
}
