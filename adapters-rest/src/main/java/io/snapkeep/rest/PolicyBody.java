package io.snapkeep.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.snapkeep.core.domain.CreateOptions;
import io.snapkeep.core.domain.SnapshotPolicy;
import io.snapkeep.core.domain.SnapshotPolicy.Retention;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The body of {@code PUT /snapshot-policies/{name}}, read strictly: every key known, every value of its JSON
 * type, each refusal a 400 naming the field. What only the engine can judge (whether a cron fires, whether the
 * template makes valid ids, how the counts relate) is left to it; it names its fields the same way.
 */
final class PolicyBody {
    private static final Set<String> KEYS = Set.of("name", "schedule", "time_zone", "snapshot_id", "create_options",
            "retention", "verify_schedule");
    private static final Set<String> CREATE_KEYS = Set.of("include_credentials", "include_metrics", "include_logs",
            "include_events");
    private static final Set<String> RETENTION_KEYS = Set.of("max_count", "expire_after", "min_count");
    /** By its region id, so that the default shows as {@code UTC} rather than {@code Z}. */
    static final ZoneId UTC = ZoneId.of("UTC");
    private static final Pattern SHORT_DURATION = Pattern.compile("(\\d{1,9})\\s*(d|h|m|s)");

    private PolicyBody() {
    }

    /** The policy {@code name} that {@code body} describes. */
    static SnapshotPolicy read(String name, ObjectNode body) {
        if (body == null) {
            throw ApiError.badParameters("The request body must be a JSON object with at least `schedule` and "
                    + "`snapshot_id`");
        }
        String problem = SnapshotPolicy.problemWithName(name);
        if (problem != null) {
            throw ApiError.badParameters("`name`: " + problem);
        }
        knownKeys(body, KEYS, "");
        Optional<String> bodyName = optionalText(body, "name", "name");
        if (bodyName.isPresent() && !bodyName.get().equals(name)) {
            throw ApiError.badParameters("`name` in the body is `" + bodyName.get() + "`, the path names `" + name
                    + "`: leave it out or make them equal");
        }
        String schedule = requiredText(body, "schedule");
        ZoneId zone = optionalText(body, "time_zone", "time_zone").map(PolicyBody::zone).orElse(UTC);
        String template = requiredText(body, "snapshot_id");
        CreateOptions options = createOptions(body.get("create_options"));
        Optional<Retention> retention = retention(body.get("retention"));
        Optional<String> verify = optionalText(body, "verify_schedule", "verify_schedule");
        if (verify.isPresent() && verify.get().isBlank()) {
            throw ApiError.badParameters("`verify_schedule` must be a cron expression, or null for no verification");
        }
        return new SnapshotPolicy(name, schedule, zone, template, options, retention, verify);
    }

    private static ZoneId zone(String text) {
        try {
            return ZoneId.of(text.strip());
        } catch (DateTimeException e) {
            throw ApiError.badParameters("`time_zone` must be a time zone id such as `UTC` or `Europe/Berlin`, got `"
                    + text + "`");
        }
    }

    private static CreateOptions createOptions(JsonNode node) {
        CreateOptions d = CreateOptions.DEFAULTS;
        if (node == null || node.isNull()) {
            return new CreateOptions(d.includeCredentials(), d.includeMetrics(), d.includeLogs(), d.includeEvents(),
                    d.queue());
        }
        ObjectNode object = object(node, "create_options");
        knownKeys(object, CREATE_KEYS, "create_options.");
        return new CreateOptions(
                bool(object, "include_credentials", d.includeCredentials()),
                bool(object, "include_metrics", d.includeMetrics()),
                bool(object, "include_logs", d.includeLogs()),
                bool(object, "include_events", d.includeEvents()),
                d.queue());
    }

    private static Optional<Retention> retention(JsonNode node) {
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        ObjectNode object = object(node, "retention");
        knownKeys(object, RETENTION_KEYS, "retention.");
        Optional<Integer> maxCount = count(object, "max_count", 1);
        Optional<Integer> minCount = count(object, "min_count", 0);
        Optional<Duration> expireAfter = optionalText(object, "expire_after", "retention.expire_after")
                .map(PolicyBody::duration);
        if (maxCount.isEmpty() && expireAfter.isEmpty()) {
            throw ApiError.badParameters("`retention` must set `max_count`, `expire_after` or both; leave `retention`"
                    + " out to keep every snapshot");
        }
        return Optional.of(new Retention(maxCount, expireAfter, minCount.orElse(0)));
    }

    /**
     * A duration as {@code 30d}, {@code 12h}, {@code 90m} or {@code 45s}, or ISO-8601 ({@code P30D},
     * {@code PT12H}); longer than zero.
     */
    static Duration duration(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        Duration d = null;
        Matcher m = SHORT_DURATION.matcher(t);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            d = switch (m.group(2)) {
                case "d" -> Duration.ofDays(n);
                case "h" -> Duration.ofHours(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofSeconds(n);
            };
        } else if (t.startsWith("p")) {
            try {
                d = Duration.parse(t);
            } catch (DateTimeParseException notIso) {
                d = null;
            }
        }
        if (d == null) {
            throw ApiError.badParameters("`retention.expire_after` must be a duration such as `30d`, `12h`, `90m` or"
                    + " ISO-8601 `P30D`, got `" + text + "`");
        }
        if (d.isZero() || d.isNegative()) {
            throw ApiError.badParameters("`retention.expire_after` must be longer than zero, got `" + text + "`");
        }
        return d;
    }

    /** The short form {@link #duration} reads: the largest whole unit of days, hours, minutes, seconds. */
    static String format(Duration d) {
        long s = d.getSeconds();
        if (d.getNano() != 0) {
            return d.toString();
        }
        if (s % 86_400 == 0) {
            return s / 86_400 + "d";
        }
        if (s % 3_600 == 0) {
            return s / 3_600 + "h";
        }
        if (s % 60 == 0) {
            return s / 60 + "m";
        }
        return s + "s";
    }

    private static void knownKeys(ObjectNode object, Set<String> known, String prefix) {
        Iterator<String> names = object.fieldNames();
        while (names.hasNext()) {
            String key = names.next();
            if (!known.contains(key)) {
                throw ApiError.badParameters("`" + prefix + key + "` is not a key of a snapshot policy; the keys are "
                        + String.join(", ", known.stream().sorted().map(k -> prefix + k).toList()));
            }
        }
    }

    private static ObjectNode object(JsonNode node, String field) {
        if (!(node instanceof ObjectNode object)) {
            throw ApiError.badParameters("`" + field + "` must be a JSON object, got " + node);
        }
        return object;
    }

    private static String requiredText(ObjectNode body, String key) {
        Optional<String> value = optionalText(body, key, key);
        if (value.isEmpty() || value.get().isBlank()) {
            throw ApiError.badParameters("`" + key + "` is required: a non-empty string");
        }
        return value.get();
    }

    /** A string member, empty when absent or null; any other JSON type is a 400 naming {@code field}. */
    private static Optional<String> optionalText(ObjectNode object, String key, String field) {
        JsonNode v = object.get(key);
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        if (!v.isTextual()) {
            throw ApiError.badParameters("`" + field + "` must be a string, got " + v);
        }
        return Optional.of(v.textValue());
    }

    private static boolean bool(ObjectNode object, String key, boolean fallback) {
        JsonNode v = object.get(key);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isBoolean()) {
            throw ApiError.badParameters("`create_options." + key + "` must be true or false, got " + v);
        }
        return v.booleanValue();
    }

    private static Optional<Integer> count(ObjectNode object, String key, int min) {
        JsonNode v = object.get(key);
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt() || v.intValue() < min) {
            throw ApiError.badParameters("`retention." + key + "` must be a whole number of at least " + min
                    + ", got " + v);
        }
        return Optional.of(v.intValue());
    }
}
