package io.snapkeep.core.domain;

import io.snapkeep.core.error.InvalidParameterException;

/**
 * A snapshot's id: {@code ^[A-Za-z][A-Za-z0-9._-]{0,255}$}, and never containing {@code ..}. Ids are also
 * archive-store keys, so the rules are strict; each violation names the rule it broke.
 */
public record SnapshotId(String value) implements Comparable<SnapshotId> {
    public static final int MAX_LENGTH = NameRules.MAX_LENGTH;

    public SnapshotId {
        String problem = problemWith(value);
        if (problem != null) {
            throw new InvalidParameterException(problem);
        }
    }

    public static SnapshotId of(String value) {
        return new SnapshotId(value);
    }

    /** The rule {@code candidate} breaks, or null when it is a valid id. */
    public static String problemWith(String candidate) {
        return NameRules.problemWith(candidate, "snapshot id");
    }

    @Override
    public int compareTo(SnapshotId other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
