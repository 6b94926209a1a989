package io.snapkeep.core.domain;

import io.snapkeep.core.error.InvalidParameterException;

/**
 * A snapshot's id: {@code ^[A-Za-z][A-Za-z0-9._-]{0,255}$}, and never containing {@code ..}. Ids are also
 * archive-store keys, so the rules are strict; each violation names the rule it broke.
 */
public record SnapshotId(String value) implements Comparable<SnapshotId> {
    public static final int MAX_LENGTH = 256;

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
        if (candidate == null || candidate.isEmpty()) {
            return "The snapshot id must not be empty";
        }
        if (candidate.length() > MAX_LENGTH) {
            return "The snapshot id must be at most " + MAX_LENGTH + " characters long, got " + candidate.length();
        }
        char first = candidate.charAt(0);
        if (!isAsciiLetter(first)) {
            return "The snapshot id must start with a letter (A-Z or a-z), got `" + printable(candidate) + "`";
        }
        for (int i = 0; i < candidate.length(); i++) {
            char c = candidate.charAt(i);
            if (!(isAsciiLetter(c) || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-')) {
                return "The snapshot id may contain only letters, digits, `.`, `_` and `-`; `"
                        + printable(candidate) + "` has " + describe(c) + " at position " + i;
            }
        }
        if (candidate.contains("..")) {
            return "The snapshot id must not contain `..`, got `" + printable(candidate) + "`";
        }
        return null;
    }

    private static boolean isAsciiLetter(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    }

    private static String describe(char c) {
        if (c == ' ') {
            return "a space";
        }
        if (c == '/') {
            return "a `/`";
        }
        return c < 0x20 || c > 0x7e ? String.format("the character U+%04X", (int) c) : "`" + c + "`";
    }

    private static String printable(String s) {
        String cut = s.length() > 64 ? s.substring(0, 64) + "..." : s;
        StringBuilder out = new StringBuilder(cut.length());
        cut.codePoints().forEach(cp -> {
            if (cp < 0x20 || cp == 0x7f) {
                out.append(String.format("\\u%04X", cp));
            } else {
                out.appendCodePoint(cp);
            }
        });
        return out.toString();
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
