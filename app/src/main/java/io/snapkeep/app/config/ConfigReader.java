package io.snapkeep.app.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.snapkeep.app.config.SnapkeepConfig.ArchiveUrl;
import io.snapkeep.app.config.SnapkeepConfig.Catalog;
import io.snapkeep.app.config.SnapkeepConfig.DirectoryParticipantConfig;
import io.snapkeep.app.config.SnapkeepConfig.Fs;
import io.snapkeep.app.config.SnapkeepConfig.JdbcTablesParticipantConfig;
import io.snapkeep.app.config.SnapkeepConfig.Participant;
import io.snapkeep.app.config.SnapkeepConfig.S3;
import io.snapkeep.app.config.SnapkeepConfig.Server;
import io.snapkeep.app.config.SnapkeepConfig.Storage;
import io.snapkeep.app.config.SnapkeepConfig.User;
import io.snapkeep.core.application.archive.ArchiveLimits;
import io.snapkeep.core.domain.SnapshotId;
import io.snapkeep.core.domain.StateCategory;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads the configuration tree with its environment overrides, collecting every problem instead of stopping
 * at the first, so that one failed start reports everything that needs fixing.
 */
final class ConfigReader {
    static final String ENV_PREFIX = "SNAPKEEP_";
    static final long MIB = 1L << 20;
    private static final long MIN_PART_SIZE = 5 * MIB;
    private static final long MAX_PART_SIZE = 5L << 30;
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*([A-Za-z]*)");
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)?");
    private static final Pattern TABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)?");
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.-]+|\\[[0-9A-Fa-f:.]+\\]");
    private static final ObjectMapper YAML = new ObjectMapper(
            new YAMLFactory().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION));

    private final Map<String, String> env;
    private final List<String> problems = new ArrayList<>();
    private final Set<String> knownEnv = new TreeSet<>();

    ConfigReader(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    SnapkeepConfig read(Optional<Path> file) {
        JsonNode root = file.map(this::parseFile).orElse(MissingNode.getInstance());
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        Section top = new Section(root, "");

        Server server = new Server(
                top.string("host").orElse("127.0.0.1"),
                top.integer("port", 0, 65535).orElse(8080));
        if (server.host().isBlank()) {
            problems.add("host: must not be empty");
        }
        Path dataDir = top.path("data_dir").orElse(Path.of("snapkeep-data").toAbsolutePath().normalize());
        Optional<Secret> adminPassword = top.secret("admin_password").filter(s -> !s.isEmpty());

        Section catalogSection = top.section("catalog");
        String url = catalogSection.string("url")
                .orElse("jdbc:h2:file:" + dataDir.resolve("catalog").resolve("snapkeep"));
        if (!url.startsWith("jdbc:")) {
            problems.add("catalog.url: must be a JDBC URL starting with \"jdbc:\", got \"" + url + "\"");
        }
        Catalog catalog = new Catalog(url, catalogSection.string("user").orElse("sa"),
                catalogSection.secret("password").orElse(Secret.of("")));

        Storage storage = storage(top, dataDir);
        ArchiveLimits limits = archiveLimits(top.section("archive"));
        ArchiveUrl archiveUrl = archiveUrl(top.section("snapshot_archive_url"));
        List<Participant> participants = participants(top, dataDir);
        List<User> users = users(top);

        top.reportUnknownKeys();
        reportUnknownEnvironment();
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return new SnapkeepConfig(server, dataDir, adminPassword, catalog, storage, limits, archiveUrl,
                participants, users);
    }

    private JsonNode parseFile(Path file) {
        try {
            JsonNode node = YAML.readTree(Files.newBufferedReader(file));
            if (node == null || node.isMissingNode() || node.isNull()) {
                return MissingNode.getInstance();
            }
            if (!node.isObject()) {
                problems.add(file + ": must hold a YAML mapping of keys to values");
            }
            return node;
        } catch (NoSuchFileException e) {
            problems.add("--config: file " + file + " does not exist");
        } catch (JsonProcessingException e) {
            problems.add(file + ": not valid YAML: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr()));
        } catch (IOException e) {
            problems.add(file + ": cannot be read: " + e);
        }
        return MissingNode.getInstance();
    }

    private Storage storage(Section top, Path dataDir) {
        String type = top.section("storage").choice("type", List.of("fs", "s3")).orElse("fs");
        Section fs = top.section("fs");
        Path root = fs.path("root").orElse(dataDir.resolve("archives"));

        Section s3 = top.section("s3");
        Optional<URI> endpoint = s3.value("endpoint", "an http or https URL, e.g. http://127.0.0.1:9000",
                ConfigReader::httpUri);
        String region = s3.string("region").orElse("us-east-1");
        Optional<String> bucket = s3.string("bucket");
        String prefix = s3.string("prefix").orElse("");
        Optional<String> accessKey = s3.string("access_key");
        Optional<Secret> secretKey = s3.secret("secret_key");
        boolean pathStyle = s3.bool("path_style").orElse(true);
        long partSize = s3.size("part_size", MIN_PART_SIZE, MAX_PART_SIZE).orElse(16 * MIB);
        boolean createBucket = s3.bool("create_bucket").orElse(false);
        if (!prefix.isEmpty() && (prefix.startsWith("/") || !prefix.endsWith("/") || prefix.contains(".."))) {
            problems.add("s3.prefix: must be empty or a relative key prefix ending with \"/\" and without \"..\","
                    + " got \"" + prefix + "\"");
        }
        if (!type.equals("s3")) {
            return new Fs(root);
        }
        requireForS3("s3.endpoint", endpoint);
        requireForS3("s3.bucket", bucket);
        requireForS3("s3.access_key", accessKey);
        requireForS3("s3.secret_key", secretKey);
        if (endpoint.isEmpty() || bucket.isEmpty() || accessKey.isEmpty() || secretKey.isEmpty()) {
            return new Fs(root);
        }
        return new S3(endpoint.get(), region, bucket.get(), prefix, accessKey.get(), secretKey.get(), pathStyle,
                partSize, createBucket);
    }

    private void requireForS3(String key, Optional<?> value) {
        if (value.isEmpty()) {
            problems.add(key + ": required when storage.type is s3 (or set " + envName(key) + ")");
        }
    }

    private ArchiveLimits archiveLimits(Section archive) {
        ArchiveLimits d = ArchiveLimits.DEFAULTS;
        long entries = archive.longValue("max_entries", 1, Long.MAX_VALUE).orElse(d.maxEntries());
        long bytes = archive.size("max_expanded_bytes", 1, Long.MAX_VALUE).orElse(d.maxExpandedBytes());
        long ratio = archive.longValue("max_compression_ratio", 1, Long.MAX_VALUE).orElse(d.maxCompressionRatio());
        return new ArchiveLimits(entries, bytes, ratio);
    }

    private ArchiveUrl archiveUrl(Section section) {
        List<String> schemes = section.stringList("allowed_schemes").orElse(List.of("http", "https"));
        Set<String> allowedSchemes = new LinkedHashSet<>();
        for (String scheme : schemes) {
            String s = scheme.toLowerCase(Locale.ROOT);
            if (!s.equals("http") && !s.equals("https")) {
                problems.add("snapshot_archive_url.allowed_schemes: each must be one of http, https, got \""
                        + scheme + "\"");
            }
            allowedSchemes.add(s);
        }
        if (allowedSchemes.isEmpty()) {
            problems.add("snapshot_archive_url.allowed_schemes: must name at least one of http, https");
        }
        Set<String> hosts = new LinkedHashSet<>();
        for (String host : section.stringList("allowed_hosts").orElse(List.of())) {
            if (!HOST.matcher(host).matches()) {
                problems.add("snapshot_archive_url.allowed_hosts: each must be a host name or IP address, got \""
                        + host + "\"");
            }
            hosts.add(host.toLowerCase(Locale.ROOT));
        }
        Duration connect = section.duration("connect_timeout").orElse(Duration.ofSeconds(10));
        Duration read = section.duration("read_timeout").orElse(Duration.ofSeconds(60));
        long maxSize = section.size("max_size", 1, Long.MAX_VALUE).orElse(ArchiveLimits.DEFAULTS.maxExpandedBytes());
        return new ArchiveUrl(allowedSchemes, hosts, connect, read, maxSize);
    }

    private List<Participant> participants(Section top, Path dataDir) {
        Optional<JsonNode> list = top.list("participants");
        if (list.isEmpty()) {
            return List.of(
                    new DirectoryParticipantConfig("resources", StateCategory.STATE, dataDir.resolve("resources")),
                    new DirectoryParticipantConfig("credentials", StateCategory.CREDENTIALS,
                            dataDir.resolve("credentials")));
        }
        List<Participant> result = new ArrayList<>();
        Set<String> names = new HashSet<>();
        int i = 0;
        for (JsonNode item : list.get()) {
            Section p = new Section(item, "participants[" + i++ + "]", false);
            if (!item.isObject()) {
                problems.add(p.path + ": must be a mapping with name, type, category and the type's keys");
                continue;
            }
            Optional<String> name = p.string("name");
            if (name.isEmpty()) {
                problems.add(p.path + ".name: required");
            } else if (SnapshotId.problemWith(name.get()) != null) {
                problems.add(p.path + ".name: must start with a letter and hold only letters, digits, '.', '_'"
                        + " and '-' (no \"..\"), got \"" + name.get() + "\"");
            } else if (!names.add(name.get())) {
                problems.add(p.path + ".name: \"" + name.get() + "\" is already the name of another participant");
            }
            List<String> categoryNames = Arrays.stream(StateCategory.values())
                    .map(c -> c.name().toLowerCase(Locale.ROOT)).toList();
            StateCategory category = p.choice("category", categoryNames)
                    .map(c -> StateCategory.valueOf(c.toUpperCase(Locale.ROOT))).orElse(StateCategory.STATE);
            Optional<String> type = p.choice("type", List.of("directory", "jdbc_tables"));
            if (type.isEmpty()) {
                if (!p.node.has("type")) {
                    problems.add(p.path + ".type: required, one of directory, jdbc_tables");
                }
            } else if (type.get().equals("directory")) {
                Optional<Path> path = p.path("path");
                if (path.isEmpty()) {
                    problems.add(p.path + ".path: required for a directory participant");
                } else if (name.isPresent()) {
                    result.add(new DirectoryParticipantConfig(name.get(), category, path.get()));
                }
            } else {
                Optional<String> url = p.string("url");
                String user = p.string("user").orElse("");
                Secret password = p.secret("password").orElse(Secret.of(""));
                List<String> tables = p.stringList("tables").orElse(List.of());
                if (url.isEmpty() || !url.get().startsWith("jdbc:")) {
                    problems.add(p.path + ".url: required, a JDBC URL starting with \"jdbc:\"");
                }
                if (tables.isEmpty()) {
                    problems.add(p.path + ".tables: required, a list of at least one table name");
                }
                for (String table : tables) {
                    if (!TABLE.matcher(table).matches()) {
                        problems.add(p.path + ".tables: each must be a plain SQL name (letters, digits, '_';"
                                + " optionally schema.table), got \"" + table + "\"");
                    }
                }
                if (name.isPresent() && url.isPresent()) {
                    result.add(new JdbcTablesParticipantConfig(name.get(), category, url.get(), user, password,
                            tables));
                }
            }
            p.reportUnknownKeys();
        }
        return result;
    }

    private List<User> users(Section top) {
        Optional<JsonNode> list = top.list("users");
        if (list.isEmpty()) {
            return List.of();
        }
        List<User> result = new ArrayList<>();
        Set<String> names = new HashSet<>();
        names.add("admin");
        int i = 0;
        for (JsonNode item : list.get()) {
            Section u = new Section(item, "users[" + i++ + "]", false);
            if (!item.isObject()) {
                problems.add(u.path + ": must be a mapping with name, roles and password or password_hash");
                continue;
            }
            Optional<String> name = u.string("name");
            Set<String> roles = new LinkedHashSet<>(u.stringList("roles").orElse(List.of()));
            Optional<Secret> password = u.secret("password");
            Optional<String> hash = u.string("password_hash");
            if (name.isEmpty() || name.get().isBlank() || name.get().contains(":")) {
                problems.add(u.path + ".name: required, without ':'");
            } else if (!names.add(name.get())) {
                problems.add(u.path + ".name: \"" + name.get() + "\" is taken"
                        + (name.get().equals("admin") ? " by the bootstrap admin (set admin_password instead)" : ""));
            }
            if (password.isPresent() == hash.isPresent()) {
                problems.add(u.path + ": needs exactly one of password, password_hash");
            }
            if (hash.isPresent() && PasswordHash.problemWith(hash.get()) != null) {
                problems.add(u.path + ".password_hash: " + PasswordHash.problemWith(hash.get()));
            }
            u.reportUnknownKeys();
            if (problems.isEmpty()) {
                result.add(new User(name.get(), roles, password, hash));
            }
        }
        return result;
    }

    private void reportUnknownEnvironment() {
        for (String variable : new TreeSet<>(env.keySet())) {
            if (variable.startsWith(ENV_PREFIX) && !knownEnv.contains(variable)) {
                problems.add(variable + ": unknown environment variable; known ones are "
                        + String.join(", ", knownEnv));
            }
        }
    }

    static String envName(String key) {
        return ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('.', '_');
    }

    private static URI httpUri(String text) {
        try {
            URI uri = new URI(text);
            if (uri.getHost() == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
                return null;
            }
            return uri;
        } catch (URISyntaxException e) {
            return null;
        }
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

    static String describe(SnapkeepConfig c) {
        StringBuilder out = new StringBuilder();
        out.append("host: ").append(c.server().host()).append('\n');
        out.append("port: ").append(c.server().port()).append('\n');
        out.append("data_dir: ").append(c.dataDir()).append('\n');
        out.append("admin_password: ").append(c.adminPassword().isPresent() ? "******" : "(unset)").append('\n');
        out.append("catalog.url: ").append(c.catalog().url()).append('\n');
        out.append("catalog.user: ").append(c.catalog().user()).append('\n');
        if (c.storage() instanceof S3 s3) {
            out.append("storage.type: s3\n");
            out.append("s3.endpoint: ").append(s3.endpoint()).append('\n');
            out.append("s3.region: ").append(s3.region()).append('\n');
            out.append("s3.bucket: ").append(s3.bucket()).append('\n');
            out.append("s3.prefix: ").append(s3.prefix()).append('\n');
            out.append("s3.access_key: ").append(s3.accessKey()).append('\n');
            out.append("s3.secret_key: ******\n");
            out.append("s3.path_style: ").append(s3.pathStyle()).append('\n');
            out.append("s3.part_size: ").append(s3.partSize()).append('\n');
            out.append("s3.create_bucket: ").append(s3.createBucket()).append('\n');
        } else if (c.storage() instanceof Fs fs) {
            out.append("storage.type: fs\n");
            out.append("fs.root: ").append(fs.root()).append('\n');
        }
        out.append("archive.max_entries: ").append(c.archiveLimits().maxEntries()).append('\n');
        out.append("archive.max_expanded_bytes: ").append(c.archiveLimits().maxExpandedBytes()).append('\n');
        out.append("archive.max_compression_ratio: ").append(c.archiveLimits().maxCompressionRatio()).append('\n');
        ArchiveUrl u = c.archiveUrl();
        out.append("snapshot_archive_url.allowed_schemes: ").append(String.join(",", new TreeSet<>(u.allowedSchemes())))
                .append('\n');
        out.append("snapshot_archive_url.allowed_hosts: ")
                .append(u.allowedHosts().isEmpty() ? "(any)" : String.join(",", new TreeSet<>(u.allowedHosts())))
                .append('\n');
        out.append("snapshot_archive_url.connect_timeout: ").append(u.connectTimeout().toMillis()).append("ms\n");
        out.append("snapshot_archive_url.read_timeout: ").append(u.readTimeout().toMillis()).append("ms\n");
        out.append("snapshot_archive_url.max_size: ").append(u.maxSize()).append('\n');
        for (Participant p : c.participants()) {
            out.append("participant ").append(p.name()).append(" (")
                    .append(p.category().name().toLowerCase(Locale.ROOT)).append("): ");
            if (p instanceof DirectoryParticipantConfig d) {
                out.append("directory ").append(d.path());
            } else if (p instanceof JdbcTablesParticipantConfig j) {
                out.append("tables ").append(String.join(",", j.tables())).append(" of ").append(j.url());
            }
            out.append('\n');
        }
        for (User user : c.users()) {
            out.append("user ").append(user.name()).append(" roles ")
                    .append(String.join(",", new TreeSet<>(user.roles()))).append('\n');
        }
        return out.toString();
    }

    /**
     * One mapping of the tree, at {@code path}. Each lookup first asks the environment (for sections outside
     * lists), then the file; it remembers the keys it was asked for so that the rest can be reported unknown.
     */
    private final class Section {
        final JsonNode node;
        final String path;
        final boolean fromEnvironment;
        final Set<String> asked = new LinkedHashSet<>();
        final List<Section> children = new ArrayList<>();

        Section(JsonNode node, String path) {
            this(node, path, true);
        }

        Section(JsonNode node, String path, boolean fromEnvironment) {
            this.node = node == null ? MissingNode.getInstance() : node;
            this.path = path;
            this.fromEnvironment = fromEnvironment;
        }

        Section section(String key) {
            asked.add(key);
            JsonNode child = node.path(key);
            if (!child.isMissingNode() && !child.isNull() && !child.isObject()) {
                problems.add(key(key) + ": must be a mapping of keys to values");
                child = MissingNode.getInstance();
            }
            Section section = new Section(child, key(key), fromEnvironment);
            children.add(section);
            return section;
        }

        String key(String key) {
            return path.isEmpty() ? key : path + "." + key;
        }

        /** The raw text of a scalar and where it came from, or empty when unset. */
        Optional<Raw> raw(String key) {
            asked.add(key);
            if (fromEnvironment) {
                String variable = envName(key(key));
                knownEnv.add(variable);
                String value = env.get(variable);
                if (value != null) {
                    return Optional.of(new Raw(value, " (from " + variable + ")"));
                }
            }
            JsonNode value = node.path(key);
            if (value.isMissingNode() || value.isNull()) {
                return Optional.empty();
            }
            if (!value.isValueNode()) {
                problems.add(key(key) + ": must be a single value, not a list or mapping");
                return Optional.empty();
            }
            return Optional.of(new Raw(value.asText(), ""));
        }

        Optional<String> string(String key) {
            return raw(key).map(Raw::text);
        }

        Optional<Secret> secret(String key) {
            return raw(key).map(r -> Secret.of(r.text()));
        }

        <T> Optional<T> value(String key, String allowed, Function<String, T> parse) {
            Optional<Raw> raw = raw(key);
            if (raw.isEmpty()) {
                return Optional.empty();
            }
            T value = parse.apply(raw.get().text().trim());
            if (value == null) {
                problems.add(key(key) + ": must be " + allowed + ", got \"" + raw.get().text() + "\""
                        + raw.get().source());
            }
            return Optional.ofNullable(value);
        }

        Optional<String> choice(String key, List<String> allowed) {
            return value(key, "one of " + String.join(", ", allowed),
                    t -> allowed.contains(t.toLowerCase(Locale.ROOT)) ? t.toLowerCase(Locale.ROOT) : null);
        }

        Optional<Integer> integer(String key, int min, int max) {
            return longValue(key, min, max).map(Long::intValue);
        }

        Optional<Long> longValue(String key, long min, long max) {
            return value(key, "an integer from " + min + " to " + max, t -> {
                try {
                    long n = Long.parseLong(t);
                    return n >= min && n <= max ? n : null;
                } catch (NumberFormatException e) {
                    return null;
                }
            });
        }

        Optional<Long> size(String key, long min, long max) {
            String range = min == 1 && max == Long.MAX_VALUE ? "at least 1 byte"
                    : "from " + human(min) + " to " + human(max);
            return value(key, "a size " + range + " (bytes, or e.g. \"16MiB\")", t -> {
                Long n = parseSize(t);
                return n != null && n >= min && n <= max ? n : null;
            });
        }

        Optional<Duration> duration(String key) {
            return value(key, "a positive duration (seconds, or e.g. \"500ms\", \"10s\", \"5m\", \"1h\")", t -> {
                Duration d = parseDuration(t);
                return d != null && !d.isZero() ? d : null;
            });
        }

        Optional<Boolean> bool(String key) {
            return value(key, "true or false", t -> switch (t.toLowerCase(Locale.ROOT)) {
                case "true" -> Boolean.TRUE;
                case "false" -> Boolean.FALSE;
                default -> null;
            });
        }

        Optional<Path> path(String key) {
            return value(key, "a file system path", t -> {
                try {
                    return t.isEmpty() ? null : Path.of(t).toAbsolutePath().normalize();
                } catch (InvalidPathException e) {
                    return null;
                }
            });
        }

        /** A list of plain values: a YAML list, or comma-separated text (from a file or the environment). */
        Optional<List<String>> stringList(String key) {
            asked.add(key);
            JsonNode value = node.path(key);
            if (fromEnvironment && env.containsKey(envName(key(key)))) {
                return raw(key).map(r -> splitComma(r.text()));
            }
            if (fromEnvironment) {
                knownEnv.add(envName(key(key)));
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
                    problems.add(key(key) + ": must be a list of plain values");
                    return Optional.empty();
                }
                items.add(item.asText());
            }
            return Optional.of(items);
        }

        /** A list of mappings: a YAML list in the file, or YAML flow text in the environment. */
        Optional<JsonNode> list(String key) {
            asked.add(key);
            JsonNode value = node.path(key);
            String variable = envName(key(key));
            knownEnv.add(variable);
            if (env.containsKey(variable)) {
                try {
                    value = YAML.readTree(env.get(variable));
                } catch (JsonProcessingException e) {
                    problems.add(key(key) + ": " + variable + " must be YAML flow text such as [{name: a, ...}]: "
                            + e.getOriginalMessage());
                    return Optional.empty();
                }
            }
            if (value == null || value.isMissingNode() || value.isNull()) {
                return Optional.empty();
            }
            if (!value.isArray()) {
                problems.add(key(key) + ": must be a list");
                return Optional.empty();
            }
            return Optional.of(value);
        }

        void reportUnknownKeys() {
            if (node.isObject()) {
                for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                    String name = it.next();
                    if (!asked.contains(name)) {
                        problems.add(key(name) + ": unknown key; known keys here are " + String.join(", ", asked));
                    }
                }
            }
            children.forEach(Section::reportUnknownKeys);
        }
    }

    private record Raw(String text, String source) {
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
