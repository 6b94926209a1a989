package io.snapkeep.catalog.jdbi;

import io.snapkeep.core.error.SnapkeepException;
import io.snapkeep.core.error.StorageUnavailableException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;

/**
 * The catalog's one way into the database: runs work in a transaction, retries it when the database reports
 * a lock it could not get in time (two writers racing), and turns every driver or JDBI failure into the
 * core's {@link StorageUnavailableException}, so no SQL exception ever leaves this module.
 */
final class Database {
    /** SQLSTATE of a unique-key violation, the same in H2 and PostgreSQL. */
    static final String UNIQUE_VIOLATION = "23505";

    /**
     * SQLSTATEs worth a retry: H2's lock timeout (HYT00), serialization failure and deadlock (40001, 40P01),
     * PostgreSQL's lock not available (55P03).
     */
    private static final Set<String> RETRYABLE = Set.of("HYT00", "40001", "40P01", "55P03");
    private static final Duration RETRY_FOR = Duration.ofSeconds(30);

    private final Jdbi jdbi;
    private final String description;
    private volatile boolean closed;

    /** @param description the database as messages name it: never with its password */
    Database(Jdbi jdbi, String description) {
        this.jdbi = jdbi;
        this.description = description;
    }

    /** Runs {@code work} in one read-committed transaction, retried while it loses lock races. */
    <T> T inTransaction(String what, HandleCallback<T, SQLException> work) {
        if (closed) {
            throw new StorageUnavailableException("The catalog database " + description + " could not " + what
                    + ": the catalog has been closed");
        }
        long deadline = System.nanoTime() + RETRY_FOR.toNanos();
        while (true) {
            try {
                return jdbi.inTransaction(TransactionIsolationLevel.READ_COMMITTED, h -> work.withHandle(h));
            } catch (SnapkeepException e) {
                throw e;
            } catch (JdbiException | SQLException e) {
                if (!isRetryable(e) || System.nanoTime() > deadline) {
                    throw unavailable(what, e);
                }
                backOff();
            }
        }
    }

    /** A short random pause, so that racing writers do not retry in lock step. */
    private static void backOff() {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(1, 20));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageUnavailableException("Interrupted while waiting for a catalog database lock", e);
        }
    }

    /** From now on every call fails with a clear message instead of a pool's or driver's exception. */
    void close() {
        closed = true;
    }

    /** The SQLSTATE of the first SQL exception in {@code e}'s causes, or null. */
    static String sqlState(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                return sql.getSQLState();
            }
        }
        return null;
    }

    static boolean isUniqueViolation(Throwable e) {
        return UNIQUE_VIOLATION.equals(sqlState(e));
    }

    private static boolean isRetryable(Throwable e) {
        return RETRYABLE.contains(sqlState(e));
    }

    StorageUnavailableException unavailable(String what, Throwable e) {
        return unavailable(description, what, e);
    }

    static StorageUnavailableException unavailable(String description, String what, Throwable e) {
        String reason = RETRYABLE.contains(sqlState(e)) ? "it stayed locked by another writer" : rootMessage(e);
        return new StorageUnavailableException("The catalog database " + description + " could not " + what
                + ": " + reason, e);
    }

    /** The message of the deepest cause that has one: the driver's own words, not the wrapper's. */
    private static String rootMessage(Throwable e) {
        String message = e.getMessage();
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException && t.getMessage() != null) {
                message = t.getMessage();
            }
        }
        return message == null ? e.getClass().getSimpleName() : message;
    }

    /** Runs {@code work}, turning a unique-key violation into what {@code onDuplicate} supplies. */
    static <T> T conflictAs(Supplier<? extends SnapkeepException> onDuplicate, Supplier<T> work) {
        try {
            return work.get();
        } catch (JdbiException e) {
            if (isUniqueViolation(e)) {
                throw onDuplicate.get();
            }
            throw e;
        }
    }
}
