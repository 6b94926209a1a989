package io.snapkeep.app.config;

import io.snapkeep.core.application.archive.ArchiveLimits;
import io.snapkeep.core.domain.StateCategory;
import io.snapkeep.core.port.out.ArchiveStore;
import io.snapkeep.core.port.out.StateParticipant;
import io.snapkeep.core.support.Secrets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The server's settings, immutable and already validated: built by {@link #load} from defaults, an optional
 * YAML file and environment variables (environment over file over defaults). Paths are absolute.
 *
 * <p>Keys and their environment variables: every key {@code a.b_c} is overridden by {@code SNAPKEEP_A_B_C}
 * (upper case, {@code .} as {@code _}), e.g. {@code s3.part_size} by {@code SNAPKEEP_S3_PART_SIZE}. Lists
 * of plain values ({@code snapshot_archive_url.allowed_schemes}) take a comma-separated value; the lists of
 * objects ({@code participants}, {@code users}) take YAML flow text, e.g.
 * {@code SNAPKEEP_USERS='[{name: ops, password: x, roles: [sys_admin]}]'}, which replaces the whole list.
 * An unknown key in the file or an unknown {@code SNAPKEEP_*} variable stops the start.
 *
 * <p>Sizes are a number of bytes or a number with a binary unit: {@code 16MiB}, {@code 512 KiB},
 * {@code 2GiB} ({@code B}, {@code KiB}, {@code MiB}, {@code GiB}, {@code TiB}, case-insensitive). Durations are
 * a number of seconds or a number with a unit: {@code 500ms}, {@code 10s}, {@code 5m}, {@code 1h}.
 */
public record SnapkeepConfig(
        Server server,
        Path dataDir,
        Optional<Secret> adminPassword,
        Catalog catalog,
        Storage storage,
        ArchiveLimits archiveLimits,
        ArchiveUrl archiveUrl,
        List<Participant> participants,
        List<User> users,
        Shutdown shutdown,
        Node node,
        Tokens tokens,
        Http http,
        Auth auth,
        Tls tls,
        Logging logging,
        Monitoring monitoring,
        Policies policies,
        Executions executions) {

    public SnapkeepConfig {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(executions, "executions");
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(adminPassword, "adminPassword");
        Objects.requireNonNull(catalog, "catalog");
        Objects.requireNonNull(storage, "storage");
        Objects.requireNonNull(archiveLimits, "archiveLimits");
        Objects.requireNonNull(archiveUrl, "archiveUrl");
        participants = List.copyOf(participants);
        users = List.copyOf(users);
        Objects.requireNonNull(shutdown, "shutdown");
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(tokens, "tokens");
        Objects.requireNonNull(http, "http");
        Objects.requireNonNull(auth, "auth");
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(logging, "logging");
        Objects.requireNonNull(monitoring, "monitoring");
        Objects.requireNonNull(policies, "policies");
    }

    /**
     * Reads the settings: defaults, overridden by {@code file} when present, overridden by {@code env}
     * (pass {@code System.getenv()} in production, a plain map in tests).
     *
     * @throws ConfigException naming every bad or unknown key, and what is allowed
     */
    public static SnapkeepConfig load(Optional<Path> file, Map<String, String> env) {
        return new ConfigReader(env).read(file);
    }

    /** The settings, one {@code key: value} per line, secrets shown as {@code ******} or {@code (unset)}. */
    public String describe() {
        StringBuilder out = new StringBuilder();
        line(out, "host", server.host());
        line(out, "port", server.port());
        line(out, "data_dir", dataDir);
        line(out, "admin_password", Secrets.shown(adminPassword.map(Secret::reveal).orElse(null)));
        line(out, "catalog.url", Secrets.maskUrl(catalog.url()));
        line(out, "catalog.user", catalog.user());
        line(out, "catalog.password", Secrets.shown(catalog.password().reveal()));
        line(out, "storage.type", storage.type());
        storage.effectiveSettings().forEach((key, value) -> line(out, storage.type() + "." + key, value));
        line(out, "archive.max_entries", archiveLimits.maxEntries());
        line(out, "archive.max_expanded_bytes", archiveLimits.maxExpandedBytes());
        line(out, "archive.max_compression_ratio", archiveLimits.maxCompressionRatio());
        line(out, "snapshot_archive_url.allowed_schemes", String.join(",", new TreeSet<>(archiveUrl.allowedSchemes())));
        line(out, "snapshot_archive_url.allowed_hosts", archiveUrl.allowedHosts().isEmpty() ? "(any)"
                : String.join(",", new TreeSet<>(archiveUrl.allowedHosts())));
        line(out, "snapshot_archive_url.allowed_networks", archiveUrl.allowedNetworks().isEmpty()
                ? "(none: public addresses only)" : String.join(",", archiveUrl.allowedNetworks()));
        line(out, "snapshot_archive_url.connect_timeout", archiveUrl.connectTimeout().toMillis() + "ms");
        line(out, "snapshot_archive_url.read_timeout", archiveUrl.readTimeout().toMillis() + "ms");
        line(out, "snapshot_archive_url.total_timeout", archiveUrl.totalTimeout().toMillis() + "ms");
        line(out, "snapshot_archive_url.min_rate", archiveUrl.minRate());
        line(out, "snapshot_archive_url.min_rate_window", archiveUrl.minRateWindow().toMillis() + "ms");
        line(out, "snapshot_archive_url.max_size", archiveUrl.maxSize());
        for (Participant p : participants) {
            out.append("participant ").append(p.name()).append(" (")
                    .append(p.category().name().toLowerCase(Locale.ROOT)).append("): ").append(p.describe()).append('\n');
        }
        line(out, "shutdown.grace_period", shutdown.gracePeriod().toMillis() + "ms");
        line(out, "node.id", node.id().orElse("(host name and a random suffix)"));
        line(out, "node.lease_ttl", node.leaseTtl().toMillis() + "ms");
        line(out, "tokens.lifetime", tokens.lifetime().toMillis() + "ms");
        line(out, "tokens.max_per_user", tokens.maxPerUser());
        line(out, "http.idle_timeout", http.idleTimeout().toMillis() + "ms");
        line(out, "http.plain_basic_networks", String.join(",", http.plainBasicNetworks()));
        line(out, "http.trusted_proxies", http.trustedProxies().isEmpty() ? "(none)"
                : String.join(",", http.trustedProxies()));
        tls.describeTo(out);
        line(out, "policies.catch_up_window", policies.catchUpWindow().toMillis() + "ms");
        line(out, "policies.verify_byte_budget", policies.verifyByteBudget());
        line(out, "executions.nice", executions.nice());
        auth.describeTo(out);
        line(out, "logging.format", logging.format());
        logging.levels().forEach((name, level) -> line(out, "logging.levels." + name, level));
        line(out, "metrics.public", monitoring.metricsPublic());
        line(out, "health.timeout", monitoring.healthTimeout().toMillis() + "ms");
        for (User user : users) {
            out.append("user ").append(user.name()).append(" roles ")
                    .append(String.join(",", new TreeSet<>(user.roles()))).append('\n');
        }
        return out.toString();
    }

    private static void line(StringBuilder out, String key, Object value) {
        out.append(key).append(": ").append(value).append('\n');
    }

    /**
     * How the server stops on SIGTERM.
     *
     * @param gracePeriod how long running requests (downloads, uploads) may take to finish once the server
     *                    stops taking new ones; what is still running then is cut off
     */
    public record Shutdown(Duration gracePeriod) {
        public static final Duration DEFAULT_GRACE = Duration.ofSeconds(30);

        public Shutdown {
            Objects.requireNonNull(gracePeriod, "gracePeriod");
        }
    }

    /**
     * This process as a node of a cluster (nodes on one shared catalog, PostgreSQL, and one store).
     *
     * @param id       the node's id; empty: the host name and a random suffix, new at every start
     * @param leaseTtl how long the node counts as alive after its last heartbeat; another node takes its work
     *                 over soon after
     */
    public record Node(Optional<String> id, Duration leaseTtl) {
        public static final Duration DEFAULT_LEASE_TTL = Duration.ofSeconds(15);

        public Node {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(leaseTtl, "leaseTtl");
        }
    }

    /**
     * Snapshot policies.
     *
     * @param catchUpWindow    a due time missed while no node ran is run at the next start when it is at most
     *                         this old, and recorded as missed otherwise
     * @param verifyByteBudget how many archive bytes one scheduled verification of a policy reads at most
     */
    public record Policies(Duration catchUpWindow, long verifyByteBudget) {
        public static final Duration DEFAULT_CATCH_UP_WINDOW = Duration.ofHours(1);
        public static final long DEFAULT_VERIFY_BYTE_BUDGET = 10L << 30;

        public Policies {
            Objects.requireNonNull(catchUpWindow, "catchUpWindow");
        }
    }

    /**
     * How executions share the machine.
     *
     * @param nice the scheduling priority (Linux nice, 0 to 19) of the threads of running executions, so that
     *             requests are answered at once while an execution keeps the cores busy; 0 leaves them at the
     *             priority of the process
     */
    public record Executions(int nice) {
        public static final int DEFAULT_NICE = 10;
    }

    /** The {@code Authentication-Token}s of {@code GET /tokens}: how long each lasts, how many a user may hold. */
    public record Tokens(Duration lifetime, int maxPerUser) {
        public static final Duration DEFAULT_LIFETIME = Duration.ofHours(10);
        public static final int DEFAULT_MAX_PER_USER = 20;

        public Tokens {
            Objects.requireNonNull(lifetime, "lifetime");
        }
    }

    /**
     * The HTTP connections.
     *
     * @param idleTimeout        how long a connection may send or take nothing before the server gives up on it:
     *                           a request whose body stops coming (a stalled upload) is answered 408 after it
     * @param plainBasicNetworks the client addresses (CIDR ranges, canonical form) that may send a password by
     *                           Basic authentication over plain HTTP; from anywhere else it must come over HTTPS
     * @param trustedProxies     the reverse proxies (CIDR ranges) whose {@code X-Forwarded-For} and
     *                           {@code X-Forwarded-Proto} are believed; every other peer's are ignored
     */
    public record Http(Duration idleTimeout, List<String> plainBasicNetworks, List<String> trustedProxies) {
        /** Jetty's own default for a connector. */
        public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(30);
        /** Loopback only: a password sent in clear text never crosses a network. */
        public static final List<String> DEFAULT_PLAIN_BASIC_NETWORKS = List.of("127.0.0.0/8", "::1/128");

        public Http {
            Objects.requireNonNull(idleTimeout, "idleTimeout");
            plainBasicNetworks = List.copyOf(plainBasicNetworks);
            trustedProxies = List.copyOf(trustedProxies);
        }
    }

    /**
     * HTTPS: from a PEM {@code certificate} (the chain, leaf first) and {@code privateKey}, or from a PKCS#12
     * {@code keystore}; when set, the server's port serves HTTPS only and plain HTTP is served, if at all,
     * on {@code redirectHttpPort} and only as a redirect to HTTPS.
     */
    public record Tls(Optional<Path> certificate, Optional<Path> privateKey, Optional<Path> keystore,
                      Optional<Secret> keystorePassword, Optional<Integer> redirectHttpPort) {
        public static final Tls OFF = new Tls(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty());

        public Tls {
            Objects.requireNonNull(certificate, "certificate");
            Objects.requireNonNull(privateKey, "privateKey");
            Objects.requireNonNull(keystore, "keystore");
            Objects.requireNonNull(keystorePassword, "keystorePassword");
            Objects.requireNonNull(redirectHttpPort, "redirectHttpPort");
        }

        public boolean enabled() {
            return certificate.isPresent() || keystore.isPresent();
        }

        void describeTo(StringBuilder out) {
            if (!enabled()) {
                line(out, "tls", "(off: plain HTTP)");
                return;
            }
            certificate.ifPresent(c -> line(out, "tls.certificate", c));
            privateKey.ifPresent(k -> line(out, "tls.private_key", k));
            keystore.ifPresent(k -> line(out, "tls.keystore", k));
            keystore.ifPresent(k -> line(out, "tls.keystore_password", Secrets.shown(
                    keystorePassword.map(Secret::reveal).orElse(null))));
            line(out, "tls.redirect_http_port", redirectHttpPort.map(String::valueOf).orElse("(none: HTTP off)"));
        }

        @Override
        public String toString() {
            return "Tls[certificate=" + certificate + ", privateKey=" + privateKey + ", keystore=" + keystore
                    + ", keystorePassword=" + Secrets.MASK + ", redirectHttpPort=" + redirectHttpPort + "]";
        }
    }

    /**
     * {@code auth.*}: failed password checks allowed per client address and per user name within
     * {@code failureWindow} before the API answers 429; the first block lasts {@code block}, each further
     * one twice the one before, up to {@code maxBlock}. At most {@code maxConcurrentChecks} password checks
     * run at once, a check waits up to {@code checkWait} for a free slot (then 429), and a successful one is
     * remembered for {@code verifiedTtl}. Users holding one of {@code readerRoles} may list and read snapshots,
     * executions and events besides {@code sys_admin}.
     */
    public record Auth(int maxFailuresPerAddress, int maxFailuresPerUser, Duration failureWindow, Duration block,
                       Duration maxBlock, int maxConcurrentChecks, Duration checkWait, Duration verifiedTtl,
                       Set<String> readerRoles) {
        public static final Auth DEFAULTS = new Auth(10, 20, Duration.ofMinutes(1), Duration.ofMinutes(1),
                Duration.ofMinutes(5), Math.max(1, Runtime.getRuntime().availableProcessors() / 2),
                Duration.ofSeconds(2), Duration.ofMinutes(5), Set.of());

        public Auth {
            Objects.requireNonNull(failureWindow, "failureWindow");
            Objects.requireNonNull(block, "block");
            Objects.requireNonNull(maxBlock, "maxBlock");
            Objects.requireNonNull(checkWait, "checkWait");
            Objects.requireNonNull(verifiedTtl, "verifiedTtl");
            readerRoles = Set.copyOf(readerRoles);
        }

        void describeTo(StringBuilder out) {
            line(out, "auth.max_failures_per_address", maxFailuresPerAddress);
            line(out, "auth.max_failures_per_user", maxFailuresPerUser);
            line(out, "auth.failure_window", failureWindow.toMillis() + "ms");
            line(out, "auth.block", block.toMillis() + "ms");
            line(out, "auth.max_block", maxBlock.toMillis() + "ms");
            line(out, "auth.max_concurrent_checks", maxConcurrentChecks);
            line(out, "auth.check_wait", checkWait.toMillis() + "ms");
            line(out, "auth.verified_ttl", verifiedTtl.toMillis() + "ms");
            line(out, "auth.reader_roles", readerRoles.isEmpty() ? "(none: only sys_admin reads snapshots)"
                    : String.join(",", new TreeSet<>(readerRoles)));
        }
    }

    /**
     * {@code logging.*}: how log lines look and how much is logged.
     *
     * @param format {@link #PLAIN} (one line of text per event) or {@link #JSON} (one JSON object per line)
     * @param levels a level ({@code trace}, {@code debug}, {@code info}, {@code warn}, {@code error},
     *               {@code off}) per logger name ({@code io.snapkeep}, or {@code root} for all the rest), in
     *               the order given
     */
    public record Logging(String format, Map<String, String> levels) {
        public static final String PLAIN = "plain";
        public static final String JSON = "json";
        public static final List<String> FORMATS = List.of(PLAIN, JSON);
        public static final List<String> LEVELS = List.of("trace", "debug", "info", "warn", "error", "off");
        public static final Logging DEFAULTS = new Logging(PLAIN, Map.of());

        public Logging {
            Objects.requireNonNull(format, "format");
            levels = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(levels));
        }

        public boolean json() {
            return format.equals(JSON);
        }
    }

    /**
     * {@code metrics.public}: whether {@code GET /metrics} answers without credentials (otherwise any valid
     * user may read it); {@code health.timeout}: how long each check of {@code GET /health/ready} may take.
     */
    public record Monitoring(boolean metricsPublic, Duration healthTimeout) {
        public static final Duration DEFAULT_HEALTH_TIMEOUT = Duration.ofSeconds(2);

        public Monitoring {
            Objects.requireNonNull(healthTimeout, "healthTimeout");
        }
    }

    /** Where the HTTP server listens; port 0 picks a free port. */
    public record Server(String host, int port) {
    }

    /** The snapshot and execution catalog's database; {@code toString} masks a password in the URL too. */
    public record Catalog(String url, String user, Secret password) {
        @Override
        public String toString() {
            return "Catalog[url=" + Secrets.maskUrl(url) + ", user=" + user + ", password=" + password + "]";
        }
    }

    /**
     * Where archives are kept, as the {@link StorageType} that {@code storage.type} names read it: it opens
     * its own store and shows its own settings.
     */
    public interface Storage {
        /** The {@code storage.type} it was read for. */
        String type();

        /** Opens the archive store (which may create a directory or reach a service). */
        ArchiveStore open();

        /**
         * The effective settings, keyed as in the type's section ({@code bucket} for {@code s3.bucket}),
         * every secret shown as {@link Secrets#shown}.
         */
        Map<String, String> effectiveSettings();

        /** Where archives go, in a few words for the start-up log; never a secret. */
        String where();
    }

    /**
     * What a {@code snapshot_archive_url} upload may fetch.
     *
     * @param allowedSchemes  a non-empty subset of {@code http}, {@code https}
     * @param allowedHosts    host names allowed (lower case); empty means any host
     * @param allowedNetworks CIDR ranges opened although refused by default (loopback, private, link-local, ...),
     *                        each in its canonical form ({@code 10.0.0.0/8})
     * @param totalTimeout    how long a whole fetch may take
     * @param minRate         the fewest bytes per second, averaged over {@code minRateWindow}; 0 for no minimum
     * @param maxSize         the largest archive fetched
     */
    public record ArchiveUrl(Set<String> allowedSchemes, Set<String> allowedHosts, List<String> allowedNetworks,
                             Duration connectTimeout, Duration readTimeout, Duration totalTimeout, long minRate,
                             Duration minRateWindow, long maxSize) {
        /** The default cap: 64 GiB, well under {@code archive.max_expanded_bytes}' 1 TiB. */
        public static final long DEFAULT_MAX_SIZE = 64L << 30;
        public static final Duration DEFAULT_TOTAL_TIMEOUT = Duration.ofHours(1);
        public static final long DEFAULT_MIN_RATE = 64L << 10;
        public static final Duration DEFAULT_MIN_RATE_WINDOW = Duration.ofSeconds(30);

        public ArchiveUrl {
            allowedSchemes = Set.copyOf(allowedSchemes);
            allowedHosts = Set.copyOf(allowedHosts);
            allowedNetworks = List.copyOf(allowedNetworks);
        }
    }

    /**
     * A state participant to snapshot, as the {@link ParticipantType} that its {@code type} names read it;
     * names are unique and follow the participant name rules.
     */
    public interface Participant {
        String name();

        StateCategory category();

        /** The {@code type} it was read for. */
        String type();

        /** Builds the participant. */
        StateParticipant open();

        /** What it captures, in a few words, secrets masked: {@code directory /srv/etc}. */
        String describe();
    }

    /**
     * A user besides the bootstrap {@code admin}: exactly one of a plain {@code password} or a
     * {@code passwordHash} ({@code pbkdf2-sha256$<iterations>$<salt base64>$<key base64>}).
     */
    public record User(String name, Set<String> roles, Optional<Secret> password, Optional<String> passwordHash) {
        public User {
            roles = Set.copyOf(roles);
            if (password.isPresent() == passwordHash.isPresent()) {
                throw new IllegalArgumentException("a user has exactly one of password and password_hash");
            }
        }

        @Override
        public String toString() {
            return "User[name=" + name + ", roles=" + roles + ", password=" + Secrets.MASK + "]";
        }
    }
}
