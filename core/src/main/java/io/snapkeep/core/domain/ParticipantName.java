package io.snapkeep.core.domain;

/**
 * A state participant's name: the archive folder {@code participants/<name>/} holds its entries, so it
 * follows the snapshot id rules, and messages about it say "participant name".
 */
public record ParticipantName(String value) implements Comparable<ParticipantName> {

    public ParticipantName {
        String problem = problemWith(value);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
    }

    public static ParticipantName of(String value) {
        return new ParticipantName(value);
    }

    /** The rule {@code candidate} breaks, or null when it is a valid participant name. */
    public static String problemWith(String candidate) {
        return NameRules.problemWith(candidate, "participant name");
    }

    @Override
    public int compareTo(ParticipantName other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
