package io.snapkeep.catalog.jdbi;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.snapkeep.core.error.StorageUnavailableException;
import io.snapkeep.core.port.out.ExecutionCatalog;
import io.snapkeep.core.port.out.ExecutionEventLog;
import io.snapkeep.core.port.out.NodeCatalog;
import io.snapkeep.core.port.out.PolicyCatalog;
import io.snapkeep.core.port.out.SnapshotCatalog;
import io.snapkeep.core.port.out.TokenCatalog;
import io.snapkeep.core.support.Secrets;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.h2.jdbcx.JdbcConnectionPool;
import org.jdbi.v3.core.Jdbi;

/**
 * The snapshot catalog, execution catalog, execution event log, node catalog, token catalog and policy catalog on one SQL
 * database, through JDBI.
 *
 * <p>{@link #open} pools connections (H2's own pool for an H2 URL, which is the embedded default; HikariCP for
 * every other database), brings the schema up to date with versioned migrations, and hands out the ports.
 * The SQL is portable: H2 and PostgreSQL (its driver and Flyway's PostgreSQL module come with this module)
 * run the same statements. {@link #close()} releases the connections and, for an embedded H2 file, compacts
 * and closes the file. An embedded H2 file and the directory created for it are owner-only ({@link H2Files}).
 */
public final class JdbiCatalog implements AutoCloseable {
    /** Where the migrations live: a package of its own, so they never mix with a host's {@code db/migration}. */
    static final String MIGRATIONS = "classpath:io/snapkeep/catalog/jdbi/migration";
    static final String HISTORY_TABLE = "snapkeep_schema_history";

    /** The name of the pool for databases other than H2, as HikariCP's logs and metrics show it. */
    static final String POOL_NAME = "snapkeep-catalog";
    private static final int MAX_POOL_SIZE = 10;
    private static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(10);

    /** H2's pool for an H2 URL, else null. */
    private final JdbcConnectionPool pool;
    /** Sessions of an H2 catalog at once: more than the requests a busy server serves at once. */
    static final int H2_MAX_CONNECTIONS = 64;
    /** HikariCP's pool for any other URL, else null. */
    private final HikariDataSource hikari;
    private final String url;
    /** The files of an embedded H2 file database, kept owner-only; else null. */
    private final H2Files files;
    private final AtomicBoolean closing = new AtomicBoolean();
    private final Database db;
    private final SnapshotCatalog snapshots;
    private final ExecutionCatalog executions;
    private final ExecutionEventLog events;
    private final NodeCatalog nodes;
    private final TokenCatalog tokens;
    private final PolicyCatalog policies;

    private JdbiCatalog(JdbcConnectionPool pool, HikariDataSource hikari, String url, H2Files files, Database db) {
        this.pool = pool;
        this.hikari = hikari;
        this.url = url;
        this.files = files;
        this.db = db;
        this.snapshots = new JdbiSnapshotCatalog(db);
        this.executions = new JdbiExecutionCatalog(db);
        this.events = new JdbiExecutionEventLog(db);
        this.nodes = new JdbiNodeCatalog(db);
        this.tokens = new JdbiTokenCatalog(db);
        this.policies = new JdbiPolicyCatalog(db);
    }

    /**
     * Connects to the database at {@code jdbcUrl} and migrates its schema to the current version.
     *
     * @param jdbcUrl for example {@code jdbc:h2:/var/lib/snapkeep/catalog} (an H2 file path must be absolute or
     *                start with {@code ./} or {@code ~/}); add {@code ;AUTO_SERVER=TRUE} to share the file
     *                between processes; or {@code jdbc:postgresql://host:5432/snapkeep}, which is pooled by
     *                HikariCP (at most 10 connections, 10 s to wait for one)
     * @throws StorageUnavailableException when the database cannot be reached, opened or migrated; the
     *                                     message names the URL, never the password
     */
    public static JdbiCatalog open(String jdbcUrl, String user, String password) {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        String description = describe(jdbcUrl);
        JdbcConnectionPool pool = null;
        HikariDataSource hikari = null;
        Jdbi jdbi;
        FluentConfiguration flyway = Flyway.configure()
                .locations(MIGRATIONS)
                .table(HISTORY_TABLE)
                // A host may keep its own tables in the same schema: start our history there, at version 0.
                .baselineOnMigrate(true)
                .baselineVersion("0");
        H2Files files = H2Files.of(jdbcUrl).orElse(null);
        if (files != null) {
            try {
                files.prepare(!hasSetting(jdbcUrl, "IFEXISTS", "TRUE"));
            } catch (IOException e) {
                throw Database.unavailable(description, "be created owner-only", e);
            }
        }
        if (jdbcUrl.startsWith("jdbc:h2:")) {
            // Without a pool H2 reopens the database file for every handle, which is many times slower.
            pool = JdbcConnectionPool.create(durable(jdbcUrl), nullToEmpty(user), nullToEmpty(password));
            // H2's pool allows 10 connections by default, and a request that finds none sleeps and looks again:
            // under 50 clients the lists waited there. An embedded connection is only a session, so allow many.
            pool.setMaxConnections(H2_MAX_CONNECTIONS);
            jdbi = Jdbi.create(pool);
            flyway.dataSource(pool);
        } else {
            try {
                hikari = new HikariDataSource(hikariConfig(jdbcUrl, user, password));
            } catch (RuntimeException e) {
                // HikariCP connects once at start, so an unreachable database or a bad password shows here.
                throw Database.unavailable(description, "be connected to", e);
            }
            jdbi = Jdbi.create(hikari);
            flyway.dataSource(hikari);
        }
        try {
            flyway.load().migrate();
        } catch (FlywayException | IllegalStateException e) {
            if (pool != null) {
                pool.dispose();
            }
            if (hikari != null) {
                hikari.close();
            }
            throw Database.unavailable(description, "be opened and migrated", e);
        } finally {
            if (files != null) {
                files.tighten(); // H2 may have written a trace or lock file with the umask's mode
            }
        }
        return new JdbiCatalog(pool, hikari, jdbcUrl, files, new Database(jdbi, description));
    }

    private static HikariConfig hikariConfig(String jdbcUrl, String user, String password) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setUsername(user);
        config.setPassword(password);
        config.setPoolName(POOL_NAME);
        config.setMaximumPoolSize(MAX_POOL_SIZE);
        // Idle connections shrink to a few; a busy node grows to the maximum.
        config.setMinimumIdle(2);
        config.setConnectionTimeout(CONNECTION_TIMEOUT.toMillis());
        return config;
    }

    /**
     * The settings an H2 URL gets unless it names them itself, so that what a commit acknowledged survives the
     * process being killed:
     * <ul>
     * <li>{@code WRITE_DELAY=0}: H2 otherwise writes committed changes to its file up to half a second late.
     * <li>{@code REUSE_SPACE=FALSE}: every commit is appended at the end of the file. Reusing freed space (after
     *     H2's 45 s retention time) puts a commit's chunk where a reopen of a file that was not closed may not
     *     look: H2 then writes a file header that names the chunk before it, and follows only that chunk's
     *     predicted successor and the chunk at the end of the file. The cost is a file that grows with every
     *     commit while it is open; {@link #close()} compacts it.
     * <li>{@code DB_CLOSE_ON_EXIT=FALSE}: H2's own JVM shutdown hook would otherwise close the database while
     *     the application's shutdown still writes to the catalog; {@link #close()} shuts it down instead. Not
     *     for a file shared with {@code AUTO_SERVER=TRUE}, which H2 refuses to combine with it.
     * </ul>
     */
    static String durable(String h2Url) {
        String url = withDefault(h2Url, "WRITE_DELAY", "0");
        url = withDefault(url, "REUSE_SPACE", "FALSE");
        return isAutoServer(url) ? url : withDefault(url, "DB_CLOSE_ON_EXIT", "FALSE");
    }

    private static String withDefault(String url, String setting, String value) {
        return hasSetting(url, setting) ? url : url + ";" + setting + "=" + value;
    }

    private static boolean hasSetting(String url, String setting) {
        return url.toUpperCase(Locale.ROOT).contains(";" + setting + "=");
    }

    private static boolean hasSetting(String url, String setting, String value) {
        return url.toUpperCase(Locale.ROOT).contains(";" + setting + "=" + value);
    }

    public SnapshotCatalog snapshots() {
        return snapshots;
    }

    public ExecutionCatalog executions() {
        return executions;
    }

    public ExecutionEventLog events() {
        return events;
    }

    /** The nodes sharing this catalog, their leases and their named locks. */
    public NodeCatalog nodes() {
        return nodes;
    }

    /** The issued authentication tokens, as digests. */
    public TokenCatalog tokens() {
        return tokens;
    }

    /** The snapshot policies, the due times claimed for them, and their history. */
    public PolicyCatalog policies() {
        return policies;
    }

    /**
     * Whether other processes can open this catalog's database while this one has it open: then several
     * nodes may share it, and they coordinate through {@link #nodes()}. See {@link #isSharedByProcesses(String)}.
     */
    public boolean isSharedByProcesses() {
        return isSharedByProcesses(url);
    }

    /**
     * Whether other processes can open the database at {@code jdbcUrl} at the same time: true for any database
     * other than H2 (PostgreSQL and its like are servers), for an H2 server URL ({@code jdbc:h2:tcp:} or
     * {@code jdbc:h2:ssl:}) and for an H2 file with {@code AUTO_SERVER=TRUE}; false for an embedded H2 file or
     * in-memory database, which only the process that opened it can use.
     */
    public static boolean isSharedByProcesses(String jdbcUrl) {
        String lower = jdbcUrl.toLowerCase(Locale.ROOT);
        if (!lower.startsWith("jdbc:h2:")) {
            return true;
        }
        if (lower.startsWith("jdbc:h2:tcp:") || lower.startsWith("jdbc:h2:ssl:")) {
            return true;
        }
        return !lower.startsWith("jdbc:h2:mem:") && isAutoServer(jdbcUrl);
    }

    /**
     * Closes the catalog, then the database: for an embedded H2 file, {@code SHUTDOWN COMPACT} writes the file
     * anew with only its live data (it grew with every commit) and closes it; a file shared with other
     * processes ({@code AUTO_SERVER=TRUE}, or an H2 server's) closes with the last connection to it instead; any
     * other database's pool is closed.
     *
     * @throws StorageUnavailableException when the database could not be compacted; it is closed all the same
     */
    @Override
    public void close() {
        db.close();
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        if (hikari != null) {
            hikari.close();
            return;
        }
        try {
            // SHUTDOWN would close the database under every other process connected to it.
            if (!isSharedByProcesses(url)) {
                try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
                    s.execute("SHUTDOWN COMPACT");
                }
            }
        } catch (SQLException e) {
            throw db.unavailable("be compacted and closed", e);
        } finally {
            pool.dispose();
            if (files != null) {
                files.tighten(); // SHUTDOWN COMPACT wrote the database anew, with the umask's mode
            }
        }
    }

    /** Whether other processes may have the file open through this one ({@code AUTO_SERVER=TRUE}). */
    private static boolean isAutoServer(String url) {
        return url.toUpperCase(Locale.ROOT).contains(";AUTO_SERVER=TRUE");
    }

    /** The URL as messages show it: any password in it is masked. */
    static String describe(String jdbcUrl) {
        return "`" + Secrets.maskUrl(jdbcUrl) + "`";
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
