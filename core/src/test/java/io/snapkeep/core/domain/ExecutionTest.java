package io.snapkeep.core.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snapkeep.core.domain.ExecutionStatus;
import io.snapkeep.core.error.IllegalTransitionException;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ExecutionTest {
    private static final Instant T = Instant.parse("2026-11-28T12:00:00.123Z");

    static Execution in(ExecutionStatus status) {
        Execution pending = Execution.newExecution(Workflow.CREATE_SNAPSHOT, SnapshotId.of("s1"),
                Map.of("snapshot_id", "s1"), "admin", T, false);
        Execution queued = Execution.newExecution(Workflow.CREATE_SNAPSHOT, SnapshotId.of("s1"),
                Map.of("snapshot_id", "s1"), "admin", T, true);
        return switch (status) {
            case PENDING -> pending;
            case QUEUED -> queued;
            case STARTED -> pending.started(T);
            case CANCELLING -> pending.started(T).cancelling();
            case FORCE_CANCELLING -> pending.started(T).forceCancelling();
            case TERMINATED -> pending.started(T).terminated(T);
            case FAILED -> pending.started(T).failed("boom", T);
            case CANCELLED -> pending.cancelling().cancelled(T);
        };
    }

    record Transition(String name, UnaryOperator<Execution> apply, Set<ExecutionStatus> from, ExecutionStatus to) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static final Set<ExecutionStatus> ACTIVE = EnumSet.of(ExecutionStatus.PENDING, ExecutionStatus.QUEUED,
            ExecutionStatus.STARTED, ExecutionStatus.CANCELLING, ExecutionStatus.FORCE_CANCELLING);
    private static final Set<ExecutionStatus> CANCELLABLE = EnumSet.of(ExecutionStatus.PENDING,
            ExecutionStatus.QUEUED, ExecutionStatus.STARTED);

    static final Transition[] TRANSITIONS = {
        new Transition("promoted", Execution::promoted, EnumSet.of(ExecutionStatus.QUEUED), ExecutionStatus.PENDING),
        new Transition("started", e -> e.started(T), EnumSet.of(ExecutionStatus.PENDING), ExecutionStatus.STARTED),
        new Transition("cancelling", Execution::cancelling, CANCELLABLE, ExecutionStatus.CANCELLING),
        new Transition("forceCancelling", Execution::forceCancelling, CANCELLABLE, ExecutionStatus.FORCE_CANCELLING),
        new Transition("terminated", e -> e.terminated(T), EnumSet.of(ExecutionStatus.STARTED),
                ExecutionStatus.TERMINATED),
        new Transition("cancelled", e -> e.cancelled(T),
                EnumSet.of(ExecutionStatus.CANCELLING, ExecutionStatus.FORCE_CANCELLING), ExecutionStatus.CANCELLED),
        new Transition("failed", e -> e.failed("why", T), ACTIVE, ExecutionStatus.FAILED),
        new Transition("progressed", e -> e.progressed(new Progress(3, 1, 10)), ACTIVE, null),
    };

    static Stream<Arguments> everyStatusAndTransition() {
        return Stream.of(ExecutionStatus.values())
                .flatMap(status -> Stream.of(TRANSITIONS).map(t -> Arguments.of(status, t)));
    }

    @ParameterizedTest(name = "{0} --{1}-->")
    @MethodSource("everyStatusAndTransition")
    void each_transition_is_allowed_from_exactly_its_statuses(ExecutionStatus status, Transition t) {
        Execution before = in(status);
        if (t.from().contains(status)) {
            Execution after = t.apply().apply(before);
            assertThat(after.status()).isEqualTo(t.to() == null ? status : t.to());
            assertThat(after.id()).isEqualTo(before.id());
            assertThat(after.endedAt() != null).isEqualTo(after.status().isEnd());
        } else {
            assertThatThrownBy(() -> t.apply().apply(before)).isInstanceOf(IllegalTransitionException.class)
                    .hasMessageContaining(status.wireName());
        }
    }

    @Test
    void terminated_cannot_start_again() {
        assertThatThrownBy(() -> in(ExecutionStatus.TERMINATED).started(T))
                .isInstanceOf(IllegalTransitionException.class)
                .hasMessageContaining("terminated").hasMessageContaining("started");
    }

    @Test
    void statuses_know_their_kind() {
        assertThat(Stream.of(ExecutionStatus.values()).filter(ExecutionStatus::isEnd))
                .containsExactly(ExecutionStatus.TERMINATED, ExecutionStatus.FAILED, ExecutionStatus.CANCELLED);
        assertThat(Stream.of(ExecutionStatus.values()).filter(ExecutionStatus::isActive)).containsExactlyElementsOf(ACTIVE);
        assertThat(ExecutionStatus.TERMINATED.displayName()).isEqualTo("completed");
        assertThat(ExecutionStatus.FORCE_CANCELLING.wireName()).isEqualTo("force_cancelling");
        assertThat(ExecutionStatus.FORCE_CANCELLING.displayName()).isEqualTo("force_cancelling");
        for (ExecutionStatus s : ExecutionStatus.values()) {
            assertThat(ExecutionStatus.fromWireName(s.wireName())).isEqualTo(s);
        }
    }

    @Test
    void a_failure_keeps_its_reason_and_progress_survives_transitions() {
        Execution e = in(ExecutionStatus.STARTED).progressed(new Progress(10, 4, 100));
        Execution failed = e.failed("disk full", T);
        assertThat(failed.error()).isEqualTo("disk full");
        assertThat(failed.progress()).isEqualTo(new Progress(10, 4, 100));
        assertThatThrownBy(() -> e.failed("", T)).hasMessageContaining("reason");
    }

    @Test
    void ids_are_uuids() {
        assertThat(ExecutionId.random().value()).matches("[0-9a-f-]{36}");
        assertThatThrownBy(() -> ExecutionId.of("not-a-uuid")).hasMessageContaining("must be a UUID");
        assertThatThrownBy(() -> ExecutionId.of("6F9619FF-8B86-D011-B42D-00C04FC964FF")).hasMessageContaining("UUID");
    }
}
