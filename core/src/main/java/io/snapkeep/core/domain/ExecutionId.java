package io.snapkeep.core.domain;

import io.snapkeep.core.error.InvalidParameterException;
import java.util.UUID;

/** An execution's id: a UUID in its canonical lower-case text form. */
public record ExecutionId(String value) implements Comparable<ExecutionId> {
    public ExecutionId {
        if (value == null) {
            throw new InvalidParameterException("The execution id must not be empty");
        }
        try {
            if (!UUID.fromString(value).toString().equals(value)) {
                throw new IllegalArgumentException();
            }
        } catch (IllegalArgumentException e) {
            throw new InvalidParameterException("The execution id must be a UUID, got `" + value + "`");
        }
    }

    public static ExecutionId random() {
        return new ExecutionId(UUID.randomUUID().toString());
    }

    public static ExecutionId of(String value) {
        return new ExecutionId(value);
    }

    @Override
    public int compareTo(ExecutionId other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
