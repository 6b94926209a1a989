package io.snapkeep.participants.jdbc;

import io.snapkeep.core.domain.StateCategory;
import io.snapkeep.core.port.out.StateParticipant;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * Named tables of a JDBC database as state: every row of each table, dumped on export and put back in one
 * transaction on restore.
 *
 * <p>Archive entries: one {@code <table>.rows} per table, UTF-8 text. Line 1 is {@code snapkeep-rows/1};
 * line 2 the column names; line 3 each column's kind ({@code string}, {@code long}, {@code decimal},
 * {@code double}, {@code boolean}, {@code date}, {@code time}, {@code timetz}, {@code timestamp},
 * {@code timestamptz}, {@code binary}); then one line per row. Fields are separated by a tab; {@code \N} is
 * SQL NULL; in values a backslash, tab, newline and carriage return are written {@code \\}, {@code \t},
 * {@code \n}, {@code \r}; binary values are hex. Types without a kind of their own travel as strings.
 *
 * <p>Memory stays bounded by one row: export streams a result set (read-only transaction, repeatable read
 * where the database offers it, so that the tables agree with each other); {@code prepareRestore} checks every
 * row while copying the entries into a private temporary directory, touching no table; {@code commit} first
 * dumps the current rows into the same directory (the way back), then in one transaction deletes all rows of
 * the tables in reverse order and inserts the staged rows in the given order (list parent tables before the
 * tables that reference them), and commits. {@code rollback} after a commit puts the saved rows back the same
 * way; {@code release} deletes the temporary directory. Identity sequences are not reset.
 */
public final class JdbcTablesParticipant implements StateParticipant {
    static final String HEADER = "snapkeep-rows/1";
    static final String SUFFIX = ".rows";
    private static final Pattern TABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)?");
    private static final int BATCH = 500;

    private final String name;
    private final StateCategory category;
    private final ConnectionSource connections;
    private final List<String> tables;
    private final Path tempParent;

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
        this.name = Objects.requireNonNull(name, "name");
        this.category = Objects.requireNonNull(category, "category");
        this.connections = connections;
        this.tables = List.copyOf(tables);
        this.tempParent = tempParent;
        if (this.tables.isEmpty()) {
            throw new IllegalArgumentException("Participant " + name + " needs at least one table");
        }
        Set<String> seen = new HashSet<>();
        for (String table : this.tables) {
            if (!TABLE.matcher(table).matches()) {
                throw new IllegalArgumentException("Participant " + name + ": \"" + table
                        + "\" is not a plain table name (letters, digits, _; optionally schema.table)");
            }
            if (!seen.add(table.toLowerCase(java.util.Locale.ROOT))) {
                throw new IllegalArgumentException("Participant " + name + " lists table " + table + " twice");
            }
        }
    }

    /** Where the engine's connections come from. */
    @FunctionalInterface
    interface ConnectionSource {
        Connection open() throws SQLException;
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
                    OutputStream out = sink.newEntry(table + SUFFIX);
                    try (Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8))) {
                        dump(c, table, w);
                    }
                }
            } finally {
                c.rollback();
            }
        } catch (SQLException e) {
            throw failure("export the tables", e);
        }
    }

    private static void dump(Connection c, String table, Writer w) throws SQLException, IOException {
        try (Statement st = c.createStatement()) {
            st.setFetchSize(BATCH);
            try (ResultSet rs = st.executeQuery("SELECT * FROM " + table)) {
                ResultSetMetaData meta = rs.getMetaData();
                int n = meta.getColumnCount();
                Kind[] kinds = new Kind[n];
                List<String> names = new ArrayList<>();
                List<String> kindNames = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    kinds[i] = Kind.of(meta.getColumnType(i + 1));
                    names.add(escape(meta.getColumnLabel(i + 1)));
                    kindNames.add(kinds[i].label);
                }
                w.write(HEADER + "\n" + String.join("\t", names) + "\n" + String.join("\t", kindNames) + "\n");
                StringBuilder line = new StringBuilder();
                while (rs.next()) {
                    line.setLength(0);
                    for (int i = 0; i < n; i++) {
                        if (i > 0) {
                            line.append('\t');
                        }
                        String value = kinds[i].read(rs, i + 1);
                        line.append(value == null ? "\\N" : escape(value));
                    }
                    line.append('\n');
                    w.write(line.toString());
                }
            }
        }
    }

    @Override
    public RestorePlan prepareRestore(EntrySource entries) throws IOException {
        Path temp = Files.createTempDirectory(tempParent, "snapkeep-" + name + "-");
        try {
            Map<String, Path> staged = new LinkedHashMap<>();
            for (Optional<Entry> next = entries.next(); next.isPresent(); next = entries.next()) {
                String path = next.get().path();
                String table = path.endsWith(SUFFIX) ? path.substring(0, path.length() - SUFFIX.length()) : "";
                if (!tables.contains(table)) {
                    throw invalid("has an entry " + path + " for no configured table (configured: " + tables + ")");
                }
                if (staged.containsKey(table)) {
                    throw invalid("holds " + path + " twice");
                }
                Path file = temp.resolve("new-" + staged.size() + SUFFIX);
                stageChecked(next.get().content(), file, path);
                staged.put(table, file);
            }
            for (String table : tables) {
                if (!staged.containsKey(table)) {
                    throw invalid("has no rows entry for table " + table);
                }
            }
            return new Plan(temp, staged);
        } catch (IOException | RuntimeException e) {
            deleteTree(temp);
            throw e;
        }
    }

    /** Copies an entry into {@code file}, checking its header and every row on the way. */
    private void stageChecked(InputStream content, Path file, String path) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(content, StandardCharsets.UTF_8));
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            Header header = readHeader(in, path);
            out.write(HEADER + "\n" + header.namesLine + "\n" + header.kindsLine + "\n");
            String line;
            long number = 3;
            while ((line = in.readLine()) != null) {
                number++;
                try {
                    header.parse(line);
                } catch (IllegalArgumentException e) {
                    throw invalid("has a bad row at line " + number + " of " + path + ": " + e.getMessage());
                }
                out.write(line);
                out.write('\n');
            }
        }
    }

    private Header readHeader(BufferedReader in, String path) throws IOException {
        String magic = in.readLine();
        String namesLine = in.readLine();
        String kindsLine = in.readLine();
        if (!HEADER.equals(magic) || namesLine == null || kindsLine == null) {
            throw invalid("has an entry " + path + " that does not start with " + HEADER + " and its column lines");
        }
        List<String> names = new ArrayList<>();
        for (String field : namesLine.split("\t", -1)) {
            String column;
            try {
                column = unescape(field);
            } catch (IllegalArgumentException e) {
                throw invalid("has a bad column name in " + path + ": " + e.getMessage());
            }
            if (column == null || column.isEmpty()) {
                throw invalid("has an empty or null column name in " + path);
            }
            names.add(column);
        }
        String[] kindFields = kindsLine.split("\t", -1);
        if (kindFields.length != names.size()) {
            throw invalid("has " + names.size() + " column names but " + kindFields.length + " kinds in " + path);
        }
        Kind[] kinds = new Kind[kindFields.length];
        for (int i = 0; i < kinds.length; i++) {
            kinds[i] = Kind.byLabel(kindFields[i]);
            if (kinds[i] == null) {
                throw invalid("has an unknown column kind \"" + kindFields[i] + "\" in " + path);
            }
        }
        return new Header(namesLine, kindsLine, names, kinds);
    }

    /** The column names and kinds of one rows entry. */
    private record Header(String namesLine, String kindsLine, List<String> names, Kind[] kinds) {
        /** The row's values converted for JDBC; throws IllegalArgumentException naming what is wrong. */
        Object[] parse(String line) {
            String[] fields = line.split("\t", -1);
            if (fields.length != kinds.length) {
                throw new IllegalArgumentException(fields.length + " fields for " + kinds.length + " columns");
            }
            Object[] values = new Object[fields.length];
            for (int i = 0; i < fields.length; i++) {
                String text = unescape(fields[i]);
                try {
                    values[i] = text == null ? null : kinds[i].parse(text);
                } catch (RuntimeException e) {
                    throw new IllegalArgumentException("column " + names.get(i) + " is not a valid "
                            + kinds[i].label + ": " + e.getMessage());
                }
            }
            return values;
        }
    }

    /**
     * Replaces the rows of every table with the rows of {@code files} in one transaction, first saving the
     * current rows to {@code backup} when it is given.
     */
    private void replaceRows(Map<String, Path> files, Map<String, Path> backup) throws IOException {
        try (Connection c = connections.open()) {
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
                    insertRows(c, table, files.get(table), quote);
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
        } catch (SQLException e) {
            throw failure("replace the rows of the tables", e);
        }
    }

    private void insertRows(Connection c, String table, Path file, String quote) throws SQLException, IOException {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
             BufferedReader in = new BufferedReader(reader)) {
            Header header = readHeader(in, file.getFileName().toString());
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

    /** The staged rows, and after a commit the rows that were replaced. */
    private final class Plan implements RestorePlan {
        private final Path temp;
        private final Map<String, Path> staged;
        private Map<String, Path> saved;
        private boolean finished;

        Plan(Path temp, Map<String, Path> staged) {
            this.temp = temp;
            this.staged = staged;
        }

        @Override
        public void commit() throws IOException {
            if (finished || saved != null) {
                throw new IllegalStateException("Restore of " + name + " was already committed or rolled back");
            }
            Map<String, Path> backup = new LinkedHashMap<>();
            for (int i = 0; i < tables.size(); i++) {
                backup.put(tables.get(i), temp.resolve("old-" + i + SUFFIX));
            }
            replaceRows(staged, backup);
            saved = backup;
        }

        @Override
        public void rollback() throws IOException {
            if (finished) {
                return;
            }
            if (saved != null) {
                replaceRows(saved, null);
                saved = null;
            }
            finished = true;
            deleteTree(temp);
        }

        @Override
        public void release() throws IOException {
            finished = true;
            deleteTree(temp);
        }
    }

    /** How one column's values are read, written as text, parsed back and bound. */
    enum Kind {
        STRING("string", Types.VARCHAR),
        LONG("long", Types.BIGINT),
        DECIMAL("decimal", Types.DECIMAL),
        DOUBLE("double", Types.DOUBLE),
        BOOLEAN("boolean", Types.BOOLEAN),
        DATE("date", Types.DATE),
        TIME("time", Types.TIME),
        TIMETZ("timetz", Types.TIME_WITH_TIMEZONE),
        TIMESTAMP("timestamp", Types.TIMESTAMP),
        TIMESTAMPTZ("timestamptz", Types.TIMESTAMP_WITH_TIMEZONE),
        BINARY("binary", Types.VARBINARY);

        final String label;
        final int sqlType;

        Kind(String label, int sqlType) {
            this.label = label;
            this.sqlType = sqlType;
        }

        static Kind of(int sqlType) {
            return switch (sqlType) {
                case Types.BIT, Types.BOOLEAN -> BOOLEAN;
                case Types.TINYINT, Types.SMALLINT, Types.INTEGER, Types.BIGINT -> LONG;
                case Types.DECIMAL, Types.NUMERIC -> DECIMAL;
                case Types.REAL, Types.FLOAT, Types.DOUBLE -> DOUBLE;
                case Types.DATE -> DATE;
                case Types.TIME -> TIME;
                case Types.TIME_WITH_TIMEZONE -> TIMETZ;
                case Types.TIMESTAMP -> TIMESTAMP;
                case Types.TIMESTAMP_WITH_TIMEZONE -> TIMESTAMPTZ;
                case Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY, Types.BLOB -> BINARY;
                default -> STRING;
            };
        }

        static Kind byLabel(String label) {
            for (Kind kind : values()) {
                if (kind.label.equals(label)) {
                    return kind;
                }
            }
            return null;
        }

        /** The column's value as text, or null for SQL NULL. */
        String read(ResultSet rs, int column) throws SQLException {
            Object value = switch (this) {
                case STRING -> rs.getString(column);
                case LONG -> rs.getLong(column);
                case DECIMAL -> rs.getBigDecimal(column);
                case DOUBLE -> rs.getDouble(column);
                case BOOLEAN -> rs.getBoolean(column);
                case DATE -> rs.getObject(column, LocalDate.class);
                case TIME -> rs.getObject(column, LocalTime.class);
                case TIMETZ -> rs.getObject(column, OffsetTime.class);
                case TIMESTAMP -> rs.getObject(column, LocalDateTime.class);
                case TIMESTAMPTZ -> rs.getObject(column, OffsetDateTime.class);
                case BINARY -> {
                    byte[] bytes = rs.getBytes(column);
                    yield bytes == null ? null : HexFormat.of().formatHex(bytes);
                }
            };
            return value == null || rs.wasNull() ? null : value.toString();
        }

        Object parse(String text) {
            try {
                return switch (this) {
                    case STRING -> text;
                    case LONG -> Long.parseLong(text);
                    case DECIMAL -> new BigDecimal(text);
                    case DOUBLE -> Double.parseDouble(text);
                    case BOOLEAN -> switch (text) {
                        case "true" -> Boolean.TRUE;
                        case "false" -> Boolean.FALSE;
                        default -> throw new IllegalArgumentException("expected true or false");
                    };
                    case DATE -> LocalDate.parse(text);
                    case TIME -> LocalTime.parse(text);
                    case TIMETZ -> OffsetTime.parse(text);
                    case TIMESTAMP -> LocalDateTime.parse(text);
                    case TIMESTAMPTZ -> OffsetDateTime.parse(text);
                    case BINARY -> HexFormat.of().parseHex(text);
                };
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
        }

        void bind(PreparedStatement st, int index, Object value) throws SQLException {
            if (value == null) {
                st.setNull(index, sqlType);
            } else if (this == STRING) {
                st.setString(index, (String) value);
            } else if (this == BINARY) {
                st.setBytes(index, (byte[]) value);
            } else {
                st.setObject(index, value);
            }
        }
    }

    static String escape(String value) {
        StringBuilder out = new StringBuilder(value.length() + 8);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** The value of an escaped field, or null for {@code \N}; throws IllegalArgumentException on a bad escape. */
    static String unescape(String field) {
        if (field.equals("\\N")) {
            return null;
        }
        if (field.indexOf('\\') < 0) {
            return field;
        }
        StringBuilder out = new StringBuilder(field.length());
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c != '\\') {
                out.append(c);
                continue;
            }
            if (++i == field.length()) {
                throw new IllegalArgumentException("a field ends with a lone backslash");
            }
            switch (field.charAt(i)) {
                case '\\' -> out.append('\\');
                case 't' -> out.append('\t');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                default -> throw new IllegalArgumentException("unknown escape \\" + field.charAt(i));
            }
        }
        return out.toString();
    }

    private IOException invalid(String what) {
        return new IOException("The archive's entries for participant " + name + " " + what);
    }

    private IOException failure(String action, SQLException e) {
        return new IOException("Participant " + name + " could not " + action + ": " + e.getMessage(), e);
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path file : files) {
                Files.deleteIfExists(file);
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        Files.deleteIfExists(dir);
    }
}
