package io.snapkeep.core.application;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A policy's snapshot id template: literal text, and {@code {...}} parts holding a {@link DateTimeFormatter}
 * pattern that the due time fills in the policy's zone. Formatting uses {@link Locale#ROOT}, so that an id never
 * depends on the server's language.
 */
final class PolicyTemplate {
    private final List<Object> parts;

    private PolicyTemplate(List<Object> parts) {
        this.parts = parts;
    }

    /** @throws IllegalArgumentException why {@code template} is not one, in words fit for an API message */
    static PolicyTemplate parse(String template) {
        List<Object> parts = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        int i = 0;
        while (i < template.length()) {
            char c = template.charAt(i);
            if (c == '}') {
                throw new IllegalArgumentException("it has a `}` without its `{` at position " + i);
            }
            if (c != '{') {
                literal.append(c);
                i++;
                continue;
            }
            int end = template.indexOf('}', i + 1);
            if (end < 0) {
                throw new IllegalArgumentException("its `{` at position " + i + " is never closed");
            }
            String pattern = template.substring(i + 1, end);
            if (pattern.isEmpty() || pattern.indexOf('{') >= 0) {
                throw new IllegalArgumentException("`{" + pattern + "}` at position " + i
                        + " holds no date pattern");
            }
            try {
                if (!literal.isEmpty()) {
                    parts.add(literal.toString());
                    literal.setLength(0);
                }
                parts.add(DateTimeFormatter.ofPattern(pattern, Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("`{" + pattern + "}` is not a date pattern: " + e.getMessage());
            }
            i = end + 1;
        }
        if (!literal.isEmpty()) {
            parts.add(literal.toString());
        }
        return new PolicyTemplate(parts);
    }

    /** The id for due time {@code at} in {@code zone}. @throws java.time.DateTimeException a field it lacks */
    String fill(Instant at, ZoneId zone) {
        StringBuilder id = new StringBuilder();
        for (Object part : parts) {
            id.append(part instanceof DateTimeFormatter f ? f.format(at.atZone(zone)) : part);
        }
        return id.toString();
    }
}
