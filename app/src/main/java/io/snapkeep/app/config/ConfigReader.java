package io.snapkeep.app.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.snapkeep.app.config.SnapkeepConfig.ArchiveUrl;
import io.snapkeep.app.config.SnapkeepConfig.Catalog;
import io.snapkeep.app.config.SnapkeepConfig.Executions;
import io.snapkeep.app.config.SnapkeepConfig.Http;
import io.snapkeep.app.config.SnapkeepConfig.Logging;
import io.snapkeep.app.config.SnapkeepConfig.Participant;
import io.snapkeep.app.config.SnapkeepConfig.Policies;
import io.snapkeep.app.config.SnapkeepConfig.Server;
import io.snapkeep.app.config.SnapkeepConfig.Node;
import io.snapkeep.app.config.SnapkeepConfig.Shutdown;
import io.snapkeep.app.config.SnapkeepConfig.Tokens;
import io.snapkeep.app.config.SnapkeepConfig.Tls;
import io.snapkeep.app.config.SnapkeepConfig.Auth;
import io.snapkeep.core.application.SnapkeepBuilder;
import io.snapkeep.app.config.SnapkeepConfig.Storage;
import io.snapkeep.app.config.SnapkeepConfig.User;
import io.snapkeep.core.application.archive.ArchiveLimits;
import io.snapkeep.core.domain.ParticipantName;
import io.snapkeep.core.domain.StateCategory;
import io.snapkeep.core.support.Secrets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads the configuration tree with its environment overrides, collecting every problem instead of stopping
 * at the first, so that one failed start reports everything that needs fixing. The top-level keys, the
 * archive limits, the URL fetch policy and the users are read here; the storage and participant types read
 * their own parts ({@link StorageTypes}, {@link ParticipantTypes}).
 */
final class ConfigReader {
    private static final Pattern LOGGER_NAME =
            Pattern.compile("[A-Za-z_$][A-Za-z0-9_$-]*(\\.[A-Za-z_$][A-Za-z0-9_$-]*)*");
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.-]+|\\[[0-9A-Fa-f:.]+\\]");

    private final Reading reading;

    ConfigReader(Map<String, String> env) {
        this.reading = new Reading(env);
    }

    SnapkeepConfig read(Optional<Path> file) {
        JsonNode root = file.map(this::parseFile).orElse(MissingNode.getInstance());
        if (!reading.problems().isEmpty()) {
            throw new ConfigException(reading.problems());
        }
        Section top = reading.root(root);

        Server server = new Server(
                top.string("host").orElse("127.0.0.1"),
                top.integer("port", 0, 65535).orElse(8080));
        if (server.host().isBlank()) {
            top.check("host", "must not be empty");
        }
        Path dataDir = top.path("data_dir").orElse(Path.of("snapkeep-data").toAbsolutePath().normalize());
        Optional<Secret> adminPassword = top.secret("admin_password").filter(s -> !s.isEmpty());

        Section catalogSection = top.section("catalog");
        String url = catalogSection.string("url")
                .orElse("jdbc:h2:file:" + dataDir.resolve("catalog").resolve("snapkeep"));
        if (!url.startsWith("jdbc:")) {
            reading.problem("catalog.url: must be a JDBC URL starting with \"jdbc:\", got \""
                    + Secrets.maskUrl(url) + "\"");
        }
        Catalog catalog = new Catalog(url, catalogSection.string("user").orElse("sa"),
                catalogSection.secret("password").orElse(Secret.of("")));

        Optional<Storage> storage = storage(top, dataDir);
        ArchiveLimits limits = archiveLimits(top.section("archive"));
        ArchiveUrl archiveUrl = archiveUrl(top.section("snapshot_archive_url"));
        List<Participant> participants = participants(top, dataDir);
        List<User> users = users(top);
        Shutdown shutdown = new Shutdown(top.section("shutdown").duration("grace_period").orElse(Shutdown.DEFAULT_GRACE));
        Node node = node(top.section("node"));
        Section tokenSection = top.section("tokens");
        Duration tokenLifetime = tokenSection.duration("lifetime").orElse(Tokens.DEFAULT_LIFETIME);
        if (tokenLifetime.isZero() || tokenLifetime.isNegative()) {
            tokenSection.check("lifetime", "must be longer than 0s");
            tokenLifetime = Tokens.DEFAULT_LIFETIME;
        }
        Tokens tokens = new Tokens(tokenLifetime,
                tokenSection.integer("max_per_user", 1, 100_000).orElse(Tokens.DEFAULT_MAX_PER_USER));
        Auth auth = auth(top.section("auth"));

        Section httpSection = top.section("http");
        Http http = new Http(positive(httpSection, "idle_timeout", Http.DEFAULT_IDLE_TIMEOUT),
                networks(httpSection, "plain_basic_networks").orElse(Http.DEFAULT_PLAIN_BASIC_NETWORKS),
                networks(httpSection, "trusted_proxies").orElse(List.of()));
        Tls tls = tls(top.section("tls"), server.port());
        Logging logging = logging(top.section("logging"));
        SnapkeepConfig.Monitoring monitoring = new SnapkeepConfig.Monitoring(
                top.section("metrics").bool("public").orElse(false),
                positive(top.section("health"), "timeout", SnapkeepConfig.Monitoring.DEFAULT_HEALTH_TIMEOUT));
        Section policySection = top.section("policies");
        Policies policies = new Policies(
                policySection.duration("catch_up_window").orElse(Policies.DEFAULT_CATCH_UP_WINDOW),
                policySection.size("verify_byte_budget", 1, Long.MAX_VALUE).orElse(Policies.DEFAULT_VERIFY_BYTE_BUDGET));

        Executions executions = new Executions(
                top.section("executions").integer("nice", 0, 19).orElse(Executions.DEFAULT_NICE));

        top.reportUnknownKeys();
        reading.reportUnknownEnvironment();
        if (!reading.problems().isEmpty()) {
            throw new ConfigException(reading.problems());
        }
        return new SnapkeepConfig(server, dataDir, adminPassword, catalog, storage.orElseThrow(), limits, archiveUrl,
                participants, users, shutdown, node, tokens, http, auth, tls, logging, monitoring, policies,
                executions);
    }

    private JsonNode parseFile(Path file) {
        try {
            JsonNode node = Section.YAML.readTree(Files.newBufferedReader(file));
            if (node == null || node.isMissingNode() || node.isNull()) {
                return MissingNode.getInstance();
            }
            if (!node.isObject()) {
                reading.problem(file + ": must hold a YAML mapping of keys to values");
            }
            return node;
        } catch (NoSuchFileException e) {
            reading.problem("--config: file " + file + " does not exist");
        } catch (JsonProcessingException e) {
            reading.problem(file + ": not valid YAML: " + Section.unparsable(e));
        } catch (IOException e) {
            reading.problem(file + ": cannot be read: " + e);
        }
        return MissingNode.getInstance();
    }

    /**
     * The storage that {@code storage.type} names. Every type reads its own section, chosen or not, so that
     * each section's keys are checked and known.
     */
    private Optional<Storage> storage(Section top, Path dataDir) {
        Section storageSection = top.section("storage");
        String chosen = storageSection.choice("type", StorageTypes.names()).orElse(StorageTypes.DEFAULT);
        Optional<Storage> storage = Optional.empty();
        int before = top.problemCount();
        for (StorageType type : StorageTypes.ALL) {
            Optional<Storage> read = type.read(top.section(type.name()), dataDir, type.name().equals(chosen));
            if (type.name().equals(chosen)) {
                storage = read;
            }
        }
        if (storage.isEmpty() && top.problemCount() == before) {
            storageSection.check("type", "\"" + chosen + "\" could not be read");
        }
        return storage;
    }

    /**
     * {@code auth.*}: how many failed logins an address or a user name may have before 429, the blocks, and
     * how many password checks may run at once.
     */
    private static Auth auth(Section section) {
        Auth d = Auth.DEFAULTS;
        int perAddress = section.integer("max_failures_per_address", 1, 1_000_000).orElse(d.maxFailuresPerAddress());
        int perUser = section.integer("max_failures_per_user", 1, 1_000_000).orElse(d.maxFailuresPerUser());
        Duration window = section.duration("failure_window").orElse(d.failureWindow());
        Duration block = section.duration("block").orElse(d.block());
        Duration maxBlock = section.duration("max_block").orElse(d.maxBlock());
        if (maxBlock.compareTo(block) < 0) {
            section.check("max_block", "must be at least auth.block (" + block.toMillis() + "ms)");
            maxBlock = block;
        }
        int concurrent = section.integer("max_concurrent_checks", 1, 1024).orElse(d.maxConcurrentChecks());
        Duration checkWait = section.duration("check_wait").orElse(d.checkWait());
        Duration verifiedTtl = section.duration("verified_ttl").orElse(d.verifiedTtl());
        Set<String> readers = new LinkedHashSet<>(section.stringList("reader_roles").orElse(List.of()));
        if (readers.contains("sys_admin")) {
            section.check("reader_roles", "need not name sys_admin, which may do everything");
        }
        return new Auth(perAddress, perUser, window, block, maxBlock, concurrent, checkWait, verifiedTtl, readers);
    }

    /** {@code logging.format} and {@code logging.levels}: logger names with the level each logs from. */
    private static Logging logging(Section section) {
        String format = section.choice("format", Logging.FORMATS).orElse(Logging.PLAIN);
        Map<String, String> levels = new java.util.LinkedHashMap<>();
        section.stringMap("levels").orElse(Map.of()).forEach((name, level) -> {
            String l = level.toLowerCase(Locale.ROOT);
            if (!LOGGER_NAME.matcher(name).matches()) {
                section.check("levels", "each key must be a logger or package name such as io.snapkeep, or root,"
                        + " got \"" + name + "\"");
            } else if (!Logging.LEVELS.contains(l)) {
                section.check("levels", "the level of " + name + " must be one of " + String.join(", ", Logging.LEVELS)
                        + ", got \"" + level + "\"");
            } else {
                levels.put(name, l);
            }
        });
        return new Logging(format, levels);
    }

    private Node node(Section section) {
        Optional<String> id = section.string("id");
        id.map(SnapkeepBuilder::problemWithNodeId).ifPresent(problem -> section.check("id", problem));
        Duration ttl = section.duration("lease_ttl").orElse(Node.DEFAULT_LEASE_TTL);
        if (ttl.compareTo(Duration.ofSeconds(1)) < 0) {
            section.check("lease_ttl", "must be at least 1s");
        }
        return new Node(id, ttl);
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
                reading.problem("snapshot_archive_url.allowed_schemes: each must be one of http, https, got \""
                        + scheme + "\"");
            }
            allowedSchemes.add(s);
        }
        if (allowedSchemes.isEmpty()) {
            reading.problem("snapshot_archive_url.allowed_schemes: must name at least one of http, https");
        }
        Set<String> hosts = new LinkedHashSet<>();
        for (String host : section.stringList("allowed_hosts").orElse(List.of())) {
            if (!HOST.matcher(host).matches()) {
                reading.problem("snapshot_archive_url.allowed_hosts: each must be a host name or IP address, got \""
                        + host + "\"");
            }
            hosts.add(host.toLowerCase(Locale.ROOT));
        }
        List<String> networks = networks(section, "allowed_networks").orElse(List.of());
        Duration connect = positive(section, "connect_timeout", Duration.ofSeconds(10));
        Duration read = positive(section, "read_timeout", Duration.ofSeconds(60));
        Duration total = positive(section, "total_timeout", ArchiveUrl.DEFAULT_TOTAL_TIMEOUT);
        long minRate = section.size("min_rate", 0, 1L << 40).orElse(ArchiveUrl.DEFAULT_MIN_RATE);
        Duration window = positive(section, "min_rate_window", ArchiveUrl.DEFAULT_MIN_RATE_WINDOW);
        long maxSize = section.size("max_size", 1, Long.MAX_VALUE).orElse(ArchiveUrl.DEFAULT_MAX_SIZE);
        return new ArchiveUrl(allowedSchemes, hosts, networks, connect, read, total, minRate, window, maxSize);
    }

    /** A list of CIDR ranges (or single addresses), each in its canonical form. */
    private static Optional<List<String>> networks(Section section, String key) {
        return section.stringList(key).map(list -> {
            List<String> networks = new ArrayList<>();
            for (String network : list) {
                try {
                    networks.add(io.snapkeep.rest.NetworkRange.parse(network).toString());
                } catch (IllegalArgumentException e) {
                    section.check(key, "each must be an IPv4 or IPv6 network in CIDR notation (10.0.0.0/8, fd00::/8)"
                            + " or one address, got \"" + network + "\"");
                }
            }
            return networks;
        });
    }

    /**
     * {@code tls.*}: exactly one of a PEM pair and a PKCS#12 keystore, read here already so that a bad key
     * stops the start (and {@code check-config}) with the reason.
     */
    private Tls tls(Section section, int httpsPort) {
        Tls tls = new Tls(section.path("certificate"), section.path("private_key"), section.path("keystore"),
                section.secret("keystore_password"), section.integer("redirect_http_port", 0, 65535));
        boolean pem = tls.certificate().isPresent() || tls.privateKey().isPresent();
        if (pem && tls.keystore().isPresent()) {
            section.problem("give either certificate and private_key (PEM) or keystore (PKCS#12), not both");
            return Tls.OFF;
        }
        if (pem && (tls.certificate().isEmpty() || tls.privateKey().isEmpty())) {
            section.problem("certificate and private_key go together");
            return Tls.OFF;
        }
        if (tls.keystorePassword().isPresent() && tls.keystore().isEmpty()) {
            section.check("keystore_password", "is set without tls.keystore");
        }
        if (!tls.enabled()) {
            if (tls.redirectHttpPort().isPresent()) {
                section.check("redirect_http_port", "needs HTTPS (tls.certificate or tls.keystore)");
            }
            return Tls.OFF;
        }
        if (tls.redirectHttpPort().isPresent() && tls.redirectHttpPort().get() != 0
                && tls.redirectHttpPort().get() == httpsPort) {
            section.check("redirect_http_port", "must differ from port, which serves HTTPS");
        }
        try {
            TlsKeys.load(tls);
        } catch (IllegalArgumentException e) {
            reading.problem(e.getMessage());
        }
        return tls;
    }

    /** A duration of {@code section} that must be longer than 0, or {@code otherwise}. */
    private static Duration positive(Section section, String key, Duration otherwise) {
        Duration d = section.duration(key).orElse(otherwise);
        if (d.isZero() || d.isNegative()) {
            section.check(key, "must be longer than 0s");
            return otherwise;
        }
        return d;
    }

    /**
     * The participants: each item's {@code name}, {@code type} and {@code category} read here alike, the
     * rest by the type that {@code type} names. Without a list, the two default directories.
     */
    private List<Participant> participants(Section top, Path dataDir) {
        Optional<List<Section>> items = top.items("participants",
                "a mapping with name, type, category and the type's keys");
        if (items.isEmpty()) {
            return List.of(
                    DirectoryParticipantType.directory("resources", StateCategory.STATE, dataDir.resolve("resources")),
                    DirectoryParticipantType.directory("credentials", StateCategory.CREDENTIALS,
                            dataDir.resolve("credentials")));
        }
        List<String> categories = Arrays.stream(StateCategory.values())
                .map(c -> c.name().toLowerCase(Locale.ROOT)).toList();
        List<Participant> result = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (Section p : items.get()) {
            Optional<String> name = p.string("name");
            if (name.isEmpty()) {
                p.check("name", "required");
            } else if (ParticipantName.problemWith(name.get()) != null) {
                p.check("name", "must start with a letter and hold only letters, digits, '.', '_' and '-'"
                        + " (no \"..\"), got \"" + name.get() + "\"");
                name = Optional.empty();
            } else if (!names.add(name.get())) {
                p.check("name", "\"" + name.get() + "\" is already the name of another participant");
                name = Optional.empty();
            }
            StateCategory category = p.choice("category", categories)
                    .map(c -> StateCategory.valueOf(c.toUpperCase(Locale.ROOT))).orElse(StateCategory.STATE);
            int beforeType = p.problemCount();
            Optional<ParticipantType> type = p.choice("type", ParticipantTypes.names()).flatMap(ParticipantTypes::named);
            if (type.isEmpty() && p.problemCount() == beforeType) {
                p.check("type", "required, one of " + String.join(", ", ParticipantTypes.names()));
            }
            Optional<String> valid = name;
            type.flatMap(t -> t.read(p, valid, category)).ifPresent(result::add);
        }
        return result;
    }

    private List<User> users(Section top) {
        Optional<List<Section>> items = top.items("users", "a mapping with name, roles and password or password_hash");
        if (items.isEmpty()) {
            return List.of();
        }
        List<User> result = new ArrayList<>();
        Set<String> names = new HashSet<>();
        names.add("admin");
        for (Section u : items.get()) {
            Optional<String> name = u.string("name");
            Set<String> roles = new LinkedHashSet<>(u.stringList("roles").orElse(List.of()));
            Optional<Secret> password = u.secret("password");
            Optional<String> hash = u.string("password_hash");
            if (name.isEmpty() || name.get().isBlank() || name.get().contains(":")) {
                u.check("name", "required, without ':'");
            } else if (!names.add(name.get())) {
                u.check("name", "\"" + name.get() + "\" is taken"
                        + (name.get().equals("admin") ? " by the bootstrap admin (set admin_password instead)" : ""));
            }
            if (password.isPresent() == hash.isPresent()) {
                u.problem("needs exactly one of password, password_hash");
            }
            hash.ifPresent(h -> u.check("password_hash", PasswordHash.problemWith(h)));
            if (reading.problems().isEmpty()) {
                result.add(new User(name.get(), roles, password, hash));
            }
        }
        return result;
    }
}
