package io.snapkeep.core.domain;

import java.util.Optional;
import java.util.function.Function;

/** The fields of an execution that lists filter and sort on, by their API names. */
public enum ExecutionField {
    ID("id", e -> e.id().value()),
    WORKFLOW_ID("workflow_id", e -> e.workflow().wireName()),
    STATUS("status", e -> e.status().wireName()),
    ERROR("error", Execution::error),
    CREATED_AT("created_at", Execution::createdAt),
    STARTED_AT("started_at", Execution::startedAt),
    ENDED_AT("ended_at", Execution::endedAt),
    CREATED_BY("created_by", Execution::createdBy),
    /** {@code parameters.snapshot_id}. */
    SNAPSHOT_ID("snapshot_id", e -> e.snapshotId().value());

    private final String apiName;
    private final Function<Execution, Comparable<?>> value;

    ExecutionField(String apiName, Function<Execution, Comparable<?>> value) {
        this.apiName = apiName;
        this.value = value;
    }

    public String apiName() {
        return apiName;
    }

    public Comparable<?> valueOf(Execution e) {
        return value.apply(e);
    }

    public String textOf(Execution e) {
        return SnapshotField.text(valueOf(e));
    }

    public static Optional<ExecutionField> byApiName(String name) {
        for (ExecutionField f : values()) {
            if (f.apiName.equals(name)) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }
}
