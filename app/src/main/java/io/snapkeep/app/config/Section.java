package io.snapkeep.app.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * One mapping of the configuration tree, at a key path such as {@code s3} or {@code participants[0]}, read
 * the one way every part of the configuration is read. Each lookup first asks the environment (for sections
 * outside lists: key {@code a.b_c} is {@code SNAPKEEP_A_B_C}), then the file, and parses the text; a bad
 * value is reported as a problem naming the key, what is allowed, the value and where it came from, and
 * reads as unset, so that reading goes on and one failed start reports everything that needs fixing.
 *
 * <p>A section remembers the keys it was asked for, so that {@link #reportUnknownKeys()} can name the rest.
 * Every problem goes to the {@link Reading} that the whole tree shares.
 */
public final class Section {
    static final String ENV_PREFIX = "SNAPKEEP_";
    static final ObjectMapper YAML = new ObjectMapper(
            new YAMLFactory().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION));
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*([A-Za-z]*)");
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)?");
    private static final long MIB = 1L << 20;

    private final Reading reading;
    private final JsonNode node;
    private final String path;
    private final boolean fromEnvironment;
    private final Set<String> asked = new LinkedHashSet<>();
    private final Map<String, String> sources = new HashMap<>();
    private final List<Section> children = new ArrayList<>();

    Section(Reading reading, JsonNode node, String path, boolean fromEnvironment) {
        this.reading = reading;
        this.node = node == null ? MissingNode.getInstance() : node;
        this.path = path;
        this.fromEnvironment = fromEnvironment;
    }

    /** The full key of {@code key} in this section, e.g. {@code s3.bucket}. */
    public String key(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    /** The nested mapping at {@code key}; an empty section when it is unset. */
    public Section section(String key) {
        asked.add(key);
        JsonNode child = node.path(key);
        if (!child.isMissingNode() && !child.isNull() && !child.isObject()) {
            reading.problem(key(key) + ": must be a mapping of keys to values");
            child = MissingNode.getInstance();
        }
        return child(child, key(key), fromEnvironment);
    }

    /**
     * The mappings listed at {@code key} (a YAML list in the file, or YAML flow text in the environment),
     * each a section of its own that the environment does not override; empty when unset. An item that is
     * not a mapping is reported as {@code key[i]: must be <shape>} and left out.
     */
    public Optional<List<Section>> items(String key, String shape) {
        Optional<JsonNode> list = list(key);
        if (list.isEmpty()) {
            return Optional.empty();
        }
        List<Section> items = new ArrayList<>();
        int i = 0;
        for (JsonNode item : list.get()) {
            String itemPath = key(key) + "[" + i++ + "]";
            if (!item.isObject()) {
                reading.problem(itemPath + ": must be " + shape);
                continue;
            }
            items.add(child(item, itemPath, false));
        }
        return Optional.of(items);
    }

    public Optional<String> string(String key) {
        return raw(key).map(Raw::text);
    }

    public Optional<Secret> secret(String key) {
        return raw(key).map(r -> Secret.of(r.text()));
    }

    /**
     * The value at {@code key} parsed by {@code parse}, which returns null for text it refuses; then the
     * problem is {@code key: must be <allowed>, got "<text>"}.
     */
    public <T> Optional<T> value(String key, String allowed, Function<String, T> parse) {
        Optional<Raw> raw = raw(key);
        if (raw.isEmpty()) {
            return Optional.empty();
        }
        T value = parse.apply(raw.get().text().trim());
        if (value == null) {
            reading.problem(key(key) + ": must be " + allowed + ", got \"" + raw.get().text() + "\""
                    + raw.get().source());
        }
        return Optional.ofNullable(value);
    }

    /** One of {@code allowed}, in lower case; the text is compared without case. */
    public Optional<String> choice(String key, List<String> allowed) {
        return value(key, "one of " + String.join(", ", allowed),
                t -> allowed.contains(t.toLowerCase(Locale.ROOT)) ? t.toLowerCase(Locale.ROOT) : null);
    }

    public Optional<Integer> integer(String key, int min, int max) {
        return longValue(key, min, max).map(Long::intValue);
    }

    public Optional<Long> longValue(String key, long min, long max) {
        return value(key, "an integer from " + min + " to " + max, t -> {
            try {
                long n = Long.parseLong(t);
                return n >= min && n <= max ? n : null;
            } catch (NumberFormatException e) {
                return null;
            }
        });
    }

    /** A size in bytes from {@code min} to {@code max}: {@code 123}, {@code 16MiB}, {@code 512 KiB}. */
    public Optional<Long> size(String key, long min, long max) {
        String range = min == 1 && max == Long.MAX_VALUE ? "at least 1 byte"
                : "from " + human(min) + " to " + human(max);
        return value(key, "a size " + range + " (bytes, or e.g. \"16MiB\")", t -> {
            Long n = parseSize(t);
            return n != null && n >= min && n <= max ? n : null;
        });
    }

    public Optional<Duration> duration(String key) {
        return value(key, "a positive duration (seconds, or e.g. \"500ms\", \"10s\", \"5m\", \"1h\")", t -> {
            Duration d = parseDuration(t);
            return d != null && !d.isZero() ? d : null;
        });
    }

    public Optional<Boolean> bool(String key) {
        return value(key, "true or false", t -> switch (t.toLowerCase(Locale.ROOT)) {
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            default -> null;
        });
    }

    /** An absolute, normalized path. */
    public Optional<Path> path(String key) {
        return value(key, "a file system path", t -> {
            try {
                return t.isEmpty() ? null : Path.of(t).toAbsolutePath().normalize();
            } catch (InvalidPathException e) {
                return null;
            }
        });
    }

    /** A URI by its syntax only; what it must name is for the caller to check. */
    public Optional<URI> uri(String key, String allowed) {
        return value(key, allowed, t -> {
            try {
                return new URI(t);
            } catch (URISyntaxException e) {
                return null;
            }
        });
    }

    /** A list of plain values: a YAML list, or comma-separated text (from a file or the environment). */
    public Optional<List<String>> stringList(String key) {
        asked.add(key);
        JsonNode value = node.path(key);
        if (fromEnvironment && reading.env().containsKey(envName(key(key)))) {
            return raw(key).map(r -> splitComma(r.text()));
        }
        if (fromEnvironment) {
            reading.known(envName(key(key)));
        }
        if (value.isMissingNode() || value.isNull()) {
            return Optional.empty();
        }
        if (value.isValueNode()) {
            return Optional.of(splitComma(value.asText()));
        }
        List<String> items = new ArrayList<>();
        for (JsonNode item : value) {
            if (!item.isValueNode() || item.isNull()) {
                reading.problem(key(key) + ": must be a list of plain values");
                return Optional.empty();
            }
            items.add(item.asText());
        }
        return Optional.of(items);
    }

    /**
     * A mapping of names to plain values, in the order given: a YAML mapping in the file, or in the
     * environment YAML flow text with or without its braces ({@code io.snapkeep: debug, org.eclipse.jetty: warn}).
     * Its names are free (logger names hold dots), so the environment overrides it whole.
     */
    public Optional<Map<String, String>> stringMap(String key) {
        asked.add(key);
        JsonNode value = node.path(key);
        String variable = envName(key(key));
        String source = "";
        if (fromEnvironment) {
            reading.known(variable);
        }
        if (fromEnvironment && reading.env().containsKey(variable)) {
            String text = reading.env().get(variable).strip();
            source = " (from " + variable + ")";
            sources.put(key, source);
            try {
                value = text.isEmpty() ? MissingNode.getInstance()
                        : YAML.readTree(text.startsWith("{") ? text : "{" + text + "}");
            } catch (JsonProcessingException e) {
                reading.problem(key(key) + ": " + variable + " must be name: value pairs such as "
                        + "\"io.snapkeep: debug, org.eclipse.jetty: warn\": " + unparsable(e));
                return Optional.empty();
            }
        }
        if (value == null || value.isMissingNode() || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isObject()) {
            reading.problem(key(key) + ": must be a mapping of names to values" + source);
            return Optional.empty();
        }
        Map<String, String> result = new java.util.LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            JsonNode v = entry.getValue();
            if (!v.isValueNode() || v.isNull()) {
                reading.problem(key(key) + "." + entry.getKey() + ": must be a single value" + source);
            } else {
                // YAML 1.1 reads a bare `off` as false: a level of "off" is what was meant.
                result.put(entry.getKey(), v.isBoolean() && !v.booleanValue() ? "off" : v.asText());
            }
        }
        return Optional.of(result);
    }

    /**
     * Reports {@code problem} (what is wrong with the value at {@code key}, as a settings check phrases it)
     * as {@code key: problem}, naming the environment variable when the value came from one. Nothing
     * happens when {@code problem} is null.
     *
     * @return whether there was no problem
     */
    public boolean check(String key, String problem) {
        if (problem == null) {
            return true;
        }
        reading.problem(key(key) + ": " + problem + sources.getOrDefault(key, ""));
        return false;
    }

    /** Reports {@code problem} about this section as a whole, as {@code <section>: problem}. */
    public void problem(String problem) {
        reading.problem((path.isEmpty() ? "configuration" : path) + ": " + problem);
    }

    /**
     * Reports {@code key: required <when> (or set SNAPKEEP_...)} when {@code value} is empty.
     *
     * @return whether the value is there
     */
    public boolean require(String key, Optional<?> value, String when) {
        if (value.isPresent()) {
            return true;
        }
        reading.problem(key(key) + ": required " + when
                + (fromEnvironment ? " (or set " + envName(key(key)) + ")" : ""));
        return false;
    }

    /** How many problems the whole tree has so far: compare before and after reading a part of it. */
    public int problemCount() {
        return reading.problems().size();
    }

    /** Names every key of this section and the sections below it that nobody asked for. */
    void reportUnknownKeys() {
        if (node.isObject()) {
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                String name = it.next();
                if (!asked.contains(name)) {
                    reading.problem(key(name) + ": unknown key; known keys here are " + String.join(", ", asked));
                }
            }
        }
        children.forEach(Section::reportUnknownKeys);
    }

    private Section child(JsonNode childNode, String childPath, boolean childFromEnvironment) {
        Section child = new Section(reading, childNode, childPath, childFromEnvironment);
        children.add(child);
        return child;
    }

    /** The raw text of a scalar and where it came from, or empty when unset. */
    private Optional<Raw> raw(String key) {
        asked.add(key);
        if (fromEnvironment) {
            String variable = envName(key(key));
            reading.known(variable);
            String value = reading.env().get(variable);
            if (value != null) {
                sources.put(key, " (from " + variable + ")");
                return Optional.of(new Raw(value, " (from " + variable + ")"));
            }
        }
        JsonNode value = node.path(key);
        if (value.isMissingNode() || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isValueNode()) {
            reading.problem(key(key) + ": must be a single value, not a list or mapping");
            return Optional.empty();
        }
        return Optional.of(new Raw(value.asText(), ""));
    }

    /** A list of mappings: a YAML list in the file, or YAML flow text in the environment. */
    private Optional<JsonNode> list(String key) {
        asked.add(key);
        JsonNode value = node.path(key);
        String variable = envName(key(key));
        if (fromEnvironment) {
            reading.known(variable);
        }
        if (fromEnvironment && reading.env().containsKey(variable)) {
            try {
                value = YAML.readTree(reading.env().get(variable));
            } catch (JsonProcessingException e) {
                reading.problem(key(key) + ": " + variable + " must be YAML flow text such as [{name: a, ...}]: "
                        + unparsable(e));
                return Optional.empty();
            }
        }
        if (value == null || value.isMissingNode() || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isArray()) {
            reading.problem(key(key) + ": must be a list");
            return Optional.empty();
        }
        return Optional.of(value);
    }

    private record Raw(String text, String source) {
    }

    /**
     * What a parser refused and where, e.g. {@code a syntax error at line 1, column 56}, and never the text
     * around it: that text may hold a password, a hash, a token or a secret key, and a problem is printed.
     */
    static String unparsable(JsonProcessingException e) {
        String message = e.getOriginalMessage();
        String what = message != null && message.startsWith("Duplicate field ") ? "a key given twice" : "a syntax error";
        JsonLocation at = e.getLocation();
        String where = at == null || at.getLineNr() < 1 ? ""
                : " at line " + at.getLineNr() + (at.getColumnNr() > 0 ? ", column " + at.getColumnNr() : "");
        return what + where + " (the text is not repeated here: it may hold secrets)";
    }

    /** The environment variable of a full key: {@code s3.part_size} is {@code SNAPKEEP_S3_PART_SIZE}. */
    static String envName(String key) {
        return ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('.', '_');
    }

    /** Parses {@code 123}, {@code 16MiB}, {@code 512 KiB}; null when it is none of them. */
    static Long parseSize(String text) {
        Matcher m = SIZE.matcher(text.trim());
        if (!m.matches()) {
            return null;
        }
        int shift = switch (m.group(2).toLowerCase(Locale.ROOT)) {
            case "", "b" -> 0;
            case "kib" -> 10;
            case "mib" -> 20;
            case "gib" -> 30;
            case "tib" -> 40;
            default -> -1;
        };
        if (shift < 0) {
            return null;
        }
        try {
            long n = Long.parseLong(m.group(1));
            return n > (Long.MAX_VALUE >> shift) ? null : n << shift;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Parses {@code 15} (seconds), {@code 500ms}, {@code 10s}, {@code 5m}, {@code 1h}; null otherwise. */
    static Duration parseDuration(String text) {
        Matcher m = DURATION.matcher(text.trim());
        if (!m.matches()) {
            return null;
        }
        try {
            long n = Long.parseLong(m.group(1));
            String unit = m.group(2) == null ? "s" : m.group(2);
            return switch (unit) {
                case "ms" -> Duration.ofMillis(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofSeconds(n);
            };
        } catch (NumberFormatException | ArithmeticException e) {
            return null;
        }
    }

    private static List<String> splitComma(String text) {
        return Arrays.stream(text.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .collect(Collectors.toList());
    }

    private static String human(long bytes) {
        if (bytes % (1L << 30) == 0) {
            return (bytes >> 30) + " GiB";
        }
        if (bytes % MIB == 0) {
            return (bytes >> 20) + " MiB";
        }
        return bytes + " bytes";
    }
}
