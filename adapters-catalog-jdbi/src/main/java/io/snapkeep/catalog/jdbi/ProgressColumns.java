package io.snapkeep.catalog.jdbi;

import io.snapkeep.core.domain.Progress;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.jdbi.v3.core.statement.SqlStatement;

/**
 * The progress figures as columns, alike in {@code executions} and {@code snapshots}: entries and bytes
 * done as {@code :total}, {@code :finished}, {@code :bytes}, the rest as {@link #SET}'s columns, NULL for a
 * figure not known.
 */
final class ProgressColumns {
    /** The assignments of the figures beyond entries and bytes, for an UPDATE. */
    static final String SET = " progress_phase = :phase, bytes_total = :bytes_total,"
            + " entries_total = :entries_total, bytes_per_second = :bytes_per_second, eta_seconds = :eta_seconds";

    private ProgressColumns() {
    }

    static <S extends SqlStatement<S>> S bind(S statement, Progress p) {
        return statement
                .bind("total", p.totalOperations())
                .bind("finished", p.finishedOperations())
                .bind("bytes", p.bytes())
                .bind("phase", p.phase())
                .bind("bytes_total", known(p.bytesTotal()))
                .bind("entries_total", known(p.entriesTotal()))
                .bind("bytes_per_second", known(p.bytesPerSecond()))
                .bind("eta_seconds", known(p.etaSeconds()));
    }

    /** Reads a figure that may be NULL. */
    static long figure(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? Progress.UNKNOWN : v;
    }

    /** The figures of a row, with entries and bytes done from {@code finished} and {@code bytes}. */
    static Progress read(ResultSet rs, long total, String finished, String bytes) throws SQLException {
        return new Progress(total, rs.getLong(finished), rs.getLong(bytes), rs.getString("progress_phase"),
                figure(rs, "bytes_total"), figure(rs, "entries_total"), figure(rs, "bytes_per_second"),
                figure(rs, "eta_seconds"));
    }

    private static Long known(long figure) {
        return figure == Progress.UNKNOWN ? null : figure;
    }
}
