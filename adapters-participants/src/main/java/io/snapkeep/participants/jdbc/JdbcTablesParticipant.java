package io.snapkeep.participants.jdbc;

import io.snapkeep.core.domain.ParticipantName;
import io.snapkeep.core.domain.StateCategory;
import io.snapkeep.core.port.out.StateParticipant;
import io.snapkeep.core.support.FileTrees;
import io.snapkeep.core.support.Printable;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;

/**
 * Named tables of a JDBC database as state: every row of each table, dumped on export and put back in one
 * transaction on restore.
 *
 * <p>Archive entries: one {@code <table>.rows} per table, in the rows format of {@link RowsCodec} (UTF-8
 * text: a header line, the column names, each column's kind, then a tab-separated line per row). Types
 * without a kind of their own travel as strings.
 *
 * <p>Memory stays bounded by one batch of rows: export streams a result set (read-only transaction,
 * repeatable read where the database offers it, so that the tables agree with each other);
 * {@code prepareRestore} checks every row while copying the entries into a private temporary directory,
 * touching no table (a bad entry, or one for a table that is not configured, is an
 * {@link io.snapkeep.core.error.InvalidArchiveException}); {@code commit} first dumps the current rows into the
 * same directory (the way back), then in one transaction deletes all rows of the tables in reverse order and
 * inserts the staged rows in the given order (list parent tables before the tables that reference them), and
 * commits. {@code rollback} after a commit puts the saved rows back the same way; {@code release} deletes the
 * temporary directory. Identity sequences are not reset.
 */
public final class JdbcTablesParticipant implements StateParticipant {

    private final String name;
    private final StateCategory category;
    private final ConnectionSource connections;
    private final List<String> tables;
    private final Path tempParent;
    private final RowsCodec codec;
    private final TableRows rows;

    /**
     * @param tables plain SQL table names ({@code letters, digits, _}, optionally {@code schema.table}), used
     *               unquoted so that the database's case rules apply; parents before children
     */
    public JdbcTablesParticipant(String name, StateCategory category, DataSource dataSource, List<String> tables) {
        this(name, category, dataSource::getConnection, tables, Path.of(System.getProperty("java.io.tmpdir")));
    }

    /** Connects with {@link DriverManager} for every export and restore. */
    public static JdbcTablesParticipant forUrl(String name, StateCategory category, String url, String user,
                                               String password, List<String> tables) {
        Objects.requireNonNull(url, "url");
        return new JdbcTablesParticipant(name, category, () -> DriverManager.getConnection(url, user, password),
                tables, Path.of(System.getProperty("java.io.tmpdir")));
    }

    JdbcTablesParticipant(String name, StateCategory category, ConnectionSource connections, List<String> tables,
                          Path tempParent) {
        this.name = ParticipantName.of(name).value();
        this.category = Objects.requireNonNull(category, "category");
        this.connections = connections;
        this.tables = List.copyOf(tables);
        this.tempParent = tempParent;
        List<String> problems = JdbcTablesSettings.problemsWithTables(this.tables);
        if (!problems.isEmpty()) {
            // The settings' own words, so that the configuration and the participant never disagree.
            throw new IllegalArgumentException("Participant " + name + " tables: " + Printable.of(problems.get(0)));
        }
        this.codec = new RowsCodec(name);
        this.rows = new TableRows(codec, this.tables);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public StateCategory category() {
        return category;
    }

    @Override
    public boolean isEmpty() throws IOException {
        try (Connection c = connections.open()) {
            return rows.allEmpty(c);
        } catch (SQLException e) {
            throw failure("check whether the tables are empty", e);
        }
    }

    @Override
    public long plannedEntries() {
        return tables.size();
    }

    @Override
    public void exportTo(ExportSink sink) throws IOException {
        try (Connection c = connections.open()) {
            c.setAutoCommit(false);
            if (c.getMetaData().supportsTransactionIsolationLevel(Connection.TRANSACTION_REPEATABLE_READ)) {
                c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            }
            try {
                for (String table : tables) {
                    OutputStream out = sink.newEntry(table + RowsCodec.SUFFIX);
                    try (Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8))) {
                        TableRows.dump(c, table, w);
                    }
                }
            } finally {
                c.rollback();
            }
        } catch (SQLException e) {
            throw failure("export the tables", e);
        }
    }

    @Override
    public RestorePlan prepareRestore(EntrySource entries) throws IOException {
        Path temp = Files.createTempDirectory(tempParent, "snapkeep-" + name + "-");
        try {
            Map<String, Path> staged = new LinkedHashMap<>();
            for (Optional<Entry> next = entries.next(); next.isPresent(); next = entries.next()) {
                String path = next.get().path();
                String table = path.endsWith(RowsCodec.SUFFIX)
                        ? path.substring(0, path.length() - RowsCodec.SUFFIX.length()) : "";
                if (!tables.contains(table)) {
                    throw codec.invalid("has an entry " + Printable.of(path) + " for no configured table (configured: "
                            + tables + ")");
                }
                if (staged.containsKey(table)) {
                    throw codec.invalid("holds " + Printable.of(path) + " twice");
                }
                Path file = temp.resolve("new-" + staged.size() + RowsCodec.SUFFIX);
                codec.copyChecked(next.get().content(), file, path);
                staged.put(table, file);
            }
            for (String table : tables) {
                if (!staged.containsKey(table)) {
                    throw codec.invalid("has no rows entry for table " + table);
                }
            }
            return new TablesPlan(name, tables, this::replaceRows, temp, staged);
        } catch (IOException | RuntimeException e) {
            try {
                FileTrees.deleteTree(temp);
            } catch (IOException | RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    private void replaceRows(Map<String, Path> files, Map<String, Path> backup) throws IOException {
        try (Connection c = connections.open()) {
            rows.replace(c, files, backup);
        } catch (SQLException e) {
            throw failure("replace the rows of the tables", e);
        }
    }

    private IOException failure(String action, SQLException e) {
        return new IOException("Participant " + name + " could not " + action + ": " + e.getMessage(), e);
    }
}
