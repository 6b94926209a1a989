package io.snapkeep.catalog.jdbi;

import io.snapkeep.core.error.StorageUnavailableException;
import io.snapkeep.core.port.out.ExecutionCatalog;
import io.snapkeep.core.port.out.ExecutionEventLog;
import io.snapkeep.core.port.out.SnapshotCatalog;
import io.snapkeep.core.support.Secrets;
import java.util.Objects;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.h2.jdbcx.JdbcConnectionPool;
import org.jdbi.v3.core.Jdbi;

/**
 * The snapshot catalog, execution catalog and execution event log on one SQL database, through JDBI.
 *
 * <p>{@link #open} pools connections (for an H2 URL, which is the embedded default), brings the schema up to
 * date with versioned migrations, and hands out the three ports. The SQL is portable: moving to PostgreSQL
 * takes a {@code jdbc:postgresql:} URL, its driver and Flyway's PostgreSQL module on the class path.
 * {@link #close()} releases the connections (and so, for an embedded H2 file, the file).
 */
public final class JdbiCatalog implements AutoCloseable {
    /** Where the migrations live: a package of its own, so they never mix with a host's {@code db/migration}. */
    static final String MIGRATIONS = "classpath:io/snapkeep/catalog/jdbi/migration";
    static final String HISTORY_TABLE = "snapkeep_schema_history";

    private final JdbcConnectionPool pool;
    private final Database db;
    private final SnapshotCatalog snapshots;
    private final ExecutionCatalog executions;
    private final ExecutionEventLog events;

    private JdbiCatalog(JdbcConnectionPool pool, Database db) {
        this.pool = pool;
        this.db = db;
        this.snapshots = new JdbiSnapshotCatalog(db);
        this.executions = new JdbiExecutionCatalog(db);
        this.events = new JdbiExecutionEventLog(db);
    }

    /**
     * Connects to the database at {@code jdbcUrl} and migrates its schema to the current version.
     *
     * @param jdbcUrl for example {@code jdbc:h2:/var/lib/snapkeep/catalog} (an H2 file path must be absolute or
     *                start with {@code ./} or {@code ~/}); add {@code ;AUTO_SERVER=TRUE} to share the file
     *                between processes
     * @throws StorageUnavailableException when the database cannot be reached, opened or migrated; the
     *                                     message names the URL, never the password
     */
    public static JdbiCatalog open(String jdbcUrl, String user, String password) {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        String description = describe(jdbcUrl);
        JdbcConnectionPool pool = null;
        Jdbi jdbi;
        FluentConfiguration flyway = Flyway.configure()
                .locations(MIGRATIONS)
                .table(HISTORY_TABLE)
                // A host may keep its own tables in the same schema: start our history there, at version 0.
                .baselineOnMigrate(true)
                .baselineVersion("0");
        if (jdbcUrl.startsWith("jdbc:h2:")) {
            // Without a pool H2 reopens the database file for every handle, which is many times slower.
            pool = JdbcConnectionPool.create(durable(jdbcUrl), nullToEmpty(user), nullToEmpty(password));
            jdbi = Jdbi.create(pool);
            flyway.dataSource(pool);
        } else {
            jdbi = Jdbi.create(jdbcUrl, user, password);
            flyway.dataSource(jdbcUrl, user, password);
        }
        try {
            flyway.load().migrate();
        } catch (FlywayException | IllegalStateException e) {
            if (pool != null) {
                pool.dispose();
            }
            throw Database.unavailable(description, "be opened and migrated", e);
        }
        return new JdbiCatalog(pool, new Database(jdbi, description));
    }

    /**
     * H2 writes committed changes to its file up to half a second late by default, so a process killed
     * right after a commit would lose it: recovery could then never see an execution a client was already
     * told about. Writing at each commit costs little at the catalog's rate of change.
     */
    static String durable(String h2Url) {
        return h2Url.toUpperCase(java.util.Locale.ROOT).contains(";WRITE_DELAY=") ? h2Url : h2Url + ";WRITE_DELAY=0";
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

    /** Closes the pooled connections; an embedded H2 database closes with its last connection. */
    @Override
    public void close() {
        db.close();
        if (pool != null) {
            pool.dispose();
        }
    }

    /** The URL as messages show it: any password in it is masked. */
    static String describe(String jdbcUrl) {
        return "`" + Secrets.maskUrl(jdbcUrl) + "`";
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
