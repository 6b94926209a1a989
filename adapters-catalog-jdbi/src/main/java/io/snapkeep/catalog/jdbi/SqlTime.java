package io.snapkeep.catalog.jdbi;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import org.jdbi.v3.core.argument.Argument;

/**
 * Instants in {@code TIMESTAMP WITH TIME ZONE} columns, passed as UTC {@link OffsetDateTime} (JDBC 4.2) so
 * that neither the JVM's nor the database's time zone can shift them. The columns hold milliseconds: an
 * instant is cut to milliseconds before it is bound, so that a comparison with a stored time is decided the
 * same way on every database, whichever way it would round the rest.
 */
final class SqlTime {
    private SqlTime() {
    }

    /** A bindable argument for {@code t}; SQL NULL when {@code t} is null. */
    static Argument of(Instant t) {
        if (t == null) {
            return (position, statement, ctx) -> statement.setNull(position, Types.TIMESTAMP_WITH_TIMEZONE);
        }
        OffsetDateTime utc = OffsetDateTime.ofInstant(t.truncatedTo(ChronoUnit.MILLIS), ZoneOffset.UTC);
        return (position, statement, ctx) -> statement.setObject(position, utc);
    }

    /** The instant in {@code column}, or null. */
    static Instant read(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }
}
