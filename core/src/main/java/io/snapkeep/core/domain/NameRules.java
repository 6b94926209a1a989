package io.snapkeep.core.domain;

import io.snapkeep.core.support.Printable;

/**
 * The rules shared by every name that becomes part of a store key or an archive path (snapshot ids,
 * participant names): {@code ^[A-Za-z][A-Za-z0-9._-]{0,255}$}, never containing {@code ..}. Each
 * violation names the rule it broke and what kind of name broke it.
 */
final class NameRules {
    static final int MAX_LENGTH = 256;

    private NameRules() {
    }

    /** The rule {@code candidate} breaks, or null; {@code what} is how messages call it ("snapshot id"). */
    static String problemWith(String candidate, String what) {
        if (candidate == null || candidate.isEmpty()) {
            return "The " + what + " must not be empty";
        }
        if (candidate.length() > MAX_LENGTH) {
            return "The " + what + " must be at most " + MAX_LENGTH + " characters long, got " + candidate.length();
        }
        char first = candidate.charAt(0);
        if (!isAsciiLetter(first)) {
            return "The " + what + " must start with a letter (A-Z or a-z), got `" + Printable.of(candidate) + "`";
        }
        for (int i = 0; i < candidate.length(); i++) {
            char c = candidate.charAt(i);
            if (!(isAsciiLetter(c) || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-')) {
                return "The " + what + " may contain only letters, digits, `.`, `_` and `-`; `"
                        + Printable.of(candidate) + "` has " + describe(c) + " at position " + i;
            }
        }
        if (candidate.contains("..")) {
            return "The " + what + " must not contain `..`, got `" + Printable.of(candidate) + "`";
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
}
