package io.snapkeep.participants.jdbc;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The rows of the configured tables over JDBC: dumped into the rows format from a streamed result set, and
 * replaced from rows files in one transaction, batch by batch. Memory stays bounded by a batch of rows.
 */
final class TableRows {
    private static final int BATCH = 500;

    private final RowsCodec codec;
    private final List<String> tables;

    TableRows(RowsCodec codec, List<String> tables) {
        this.codec = codec;
        this.tables = tables;
    }

    /** Whether every table has no row. */
    boolean allEmpty(Connection c) throws SQLException {
        for (String table : tables) {
            try (Statement st = c.createStatement()) {
                st.setMaxRows(1);
                try (ResultSet rs = st.executeQuery("SELECT 1 FROM " + table)) {
                    if (rs.next()) {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    /** Writes every row of {@code table} in the rows format. */
    static void dump(Connection c, String table, Writer w) throws SQLException, IOException {
        try (Statement st = c.createStatement()) {
            st.setFetchSize(BATCH);
            try (ResultSet rs = st.executeQuery("SELECT * FROM " + table)) {
                ResultSetMetaData meta = rs.getMetaData();
                int n = meta.getColumnCount();
                Kind[] kinds = new Kind[n];
                List<String> names = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    kinds[i] = Kind.of(meta.getColumnType(i + 1));
                    names.add(meta.getColumnLabel(i + 1));
                }
                RowsCodec.writeHeader(w, names, kinds);
                String[] values = new String[n];
                StringBuilder line = new StringBuilder();
                while (rs.next()) {
                    for (int i = 0; i < n; i++) {
                        values[i] = kinds[i].read(rs, i + 1);
                    }
                    RowsCodec.writeRow(w, values, line);
                }
            }
        }
    }

    /**
     * Replaces the rows of every table with the rows of {@code files} in one transaction, first saving the
     * current rows to {@code backup} when it is given. Tables are emptied children first (the reverse of the
     * configured order) and filled parents first.
     */
    void replace(Connection c, Map<String, Path> files, Map<String, Path> backup) throws SQLException, IOException {
        c.setAutoCommit(false);
        try {
            if (backup != null) {
                for (String table : tables) {
                    try (Writer w = Files.newBufferedWriter(backup.get(table), StandardCharsets.UTF_8)) {
                        dump(c, table, w);
                    }
                }
            }
            for (int i = tables.size() - 1; i >= 0; i--) {
                try (Statement st = c.createStatement()) {
                    st.executeUpdate("DELETE FROM " + tables.get(i));
                }
            }
            String quote = quoteString(c.getMetaData());
            for (String table : tables) {
                insert(c, table, files.get(table), quote);
            }
            c.commit();
        } catch (SQLException | IOException | RuntimeException e) {
            try {
                c.rollback();
            } catch (SQLException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    private void insert(Connection c, String table, Path file, String quote) throws SQLException, IOException {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            RowsCodec.Header header = codec.readHeader(in, file.getFileName().toString());
            StringBuilder sql = new StringBuilder("INSERT INTO ").append(table).append(" (");
            for (int i = 0; i < header.names().size(); i++) {
                String column = header.names().get(i);
                sql.append(i > 0 ? ", " : "").append(quote).append(column.replace(quote, quote + quote)).append(quote);
            }
            sql.append(") VALUES (").append("?, ".repeat(header.names().size() - 1)).append("?)");
            try (PreparedStatement insert = c.prepareStatement(sql.toString())) {
                int pending = 0;
                String line;
                while ((line = in.readLine()) != null) {
                    Object[] values = header.parse(line);
                    for (int i = 0; i < values.length; i++) {
                        header.kinds()[i].bind(insert, i + 1, values[i]);
                    }
                    insert.addBatch();
                    if (++pending == BATCH) {
                        insert.executeBatch();
                        pending = 0;
                    }
                }
                if (pending > 0) {
                    insert.executeBatch();
                }
            }
        }
    }

    private static String quoteString(DatabaseMetaData meta) throws SQLException {
        String quote = meta.getIdentifierQuoteString();
        return quote == null || quote.isBlank() ? "\"" : quote.trim();
    }
}
