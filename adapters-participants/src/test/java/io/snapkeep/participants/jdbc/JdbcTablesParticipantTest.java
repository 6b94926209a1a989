package io.snapkeep.participants.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snapkeep.core.domain.StateCategory;
import io.snapkeep.core.error.InvalidArchiveException;
import io.snapkeep.core.port.out.StateParticipant;
import io.snapkeep.core.port.out.StateParticipant.Entry;
import io.snapkeep.core.port.out.StateParticipant.EntrySource;
import io.snapkeep.core.port.out.StateParticipant.RestorePlan;
import io.snapkeep.core.port.out.StateParticipantContract;
import io.snapkeep.core.testing.Exports;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract suite on two tables of an H2 file database (a parent and a child referencing it), then what
 * is particular to tables.
 */
class JdbcTablesParticipantTest extends StateParticipantContract {
    private static final String TRICKY = "Zoë \"quoted\" 'single'\nsecond line\ttab \\N back\\slash\r日本語 🎉";

    @TempDir
    Path dir;
    private String url;
    private Connection keepOpen;

    @Override
    protected StateParticipant newParticipant() throws Exception {
        url = "jdbc:h2:file:" + dir.resolve("db").toAbsolutePath();
        // Held open so that the file database is not reopened for every connection of the test.
        keepOpen = DriverManager.getConnection(url, "sa", "");
        try (Statement st = keepOpen.createStatement()) {
            st.execute("CREATE TABLE parent (id INTEGER PRIMARY KEY, name VARCHAR(200), created TIMESTAMP,"
                    + " active BOOLEAN, data VARBINARY(64), doc BLOB)");
            st.execute("CREATE TABLE child (id BIGINT PRIMARY KEY, parent_id INTEGER REFERENCES parent(id),"
                    + " amount DECIMAL(12,3), ratio DOUBLE PRECISION)");
        }
        Files.createDirectories(dir.resolve("tmp"));
        return new JdbcTablesParticipant("db", StateCategory.STATE,
                () -> DriverManager.getConnection(url, "sa", ""), List.of("parent", "child"), dir.resolve("tmp"));
    }

    @AfterEach
    void close() throws SQLException {
        keepOpen.close();
    }

    @Override
    protected void writeSampleState(int variant) throws SQLException {
        execute("DELETE FROM child");
        execute("DELETE FROM parent");
        if (variant == 1) {
            insertParent(1, TRICKY, LocalDateTime.of(2024, 2, 29, 23, 59, 58, 123_456_000), true,
                    new byte[] {0, 1, (byte) 0xff, 9, 10}, "blob\tbytes\n".getBytes(StandardCharsets.UTF_8));
            insertParent(2, null, null, null, null, null);
            insertParent(3, "", LocalDateTime.of(1999, 1, 1, 0, 0), false, new byte[0], new byte[0]);
            execute("INSERT INTO child VALUES (10, 1, 12345.678, 0.1), (11, 3, NULL, -1.5E300)");
        } else {
            insertParent(7, "live one", LocalDateTime.of(2020, 5, 5, 5, 5), false, new byte[] {1}, null);
            execute("INSERT INTO child VALUES (70, 7, 1.5, 2.5)");
        }
    }

    @Override
    protected Object liveState() throws SQLException {
        return Map.of("parent", rows("SELECT * FROM parent ORDER BY id"),
                "child", rows("SELECT * FROM child ORDER BY id"));
    }

    /**
     * 160 MiB of parent rows rather than several GiB: a restore parses and inserts every row and the export
     * reads them back, which in H2 goes at some tens of MiB of rows entry a second even with a 32 KiB
     * document per row, so a multi-GiB entry would take minutes. 160 MiB takes a few seconds and is above
     * the module's test heap (128 MiB), so a participant holding an entry in memory still fails.
     */
    @Override
    protected long largeValueSize() {
        return 160L << 20;
    }

    /** The rows entries an export of the empty tables writes, with generated parent rows appended. */
    @Override
    protected List<TestEntry> exportHoldingLargeValue(long size) throws IOException {
        List<TestEntry> entries = new ArrayList<>();
        for (TestEntry e : exportNow()) {
            byte[] header = e.bytes();
            entries.add(e.path().equals("parent.rows")
                    ? new TestEntry(e.path(), () -> new SequenceInputStream(new ByteArrayInputStream(header),
                            new GeneratedRows(size)))
                    : e);
        }
        return entries;
    }

    /**
     * Parent rows as an export writes them ({@code id, name, created, active, data, doc}), made as they are
     * read until at least {@code size} bytes: ids ascending, a name of 180 letters, 8 bytes of data and a
     * 32 KiB document, each varying with the id.
     */
    private static final class GeneratedRows extends InputStream {
        private static final int DOC = 32 * 1024;
        private final byte[] pattern;
        private final long size;
        private long produced;
        private long id;
        private byte[] line = new byte[0];
        private int at;

        GeneratedRows(long size) {
            this.size = size;
            try (InputStream in = generated(5, DOC + 8192)) {
                pattern = in.readAllBytes();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (at == line.length) {
                if (produced >= size) {
                    return -1;
                }
                id++;
                StringBuilder row = new StringBuilder(2 * DOC + 256).append(id).append('\t');
                for (int i = 0; i < 180; i++) {
                    row.append((char) ('a' + (id * 31 + i * 7) % 26));
                }
                int from = (int) (id * 997 % 8192);
                row.append("\t\\N\t").append(id % 2 == 0).append('\t')
                        .append(HexFormat.of().toHexDigits(id * 0x9E3779B97F4A7C15L)).append('\t')
                        .append(HexFormat.of().formatHex(pattern, from, from + DOC)).append('\n');
                line = row.toString().getBytes(StandardCharsets.US_ASCII);
                at = 0;
                produced += line.length;
            }
            int n = Math.min(len, line.length - at);
            System.arraycopy(line, at, b, off, n);
            at += n;
            return n;
        }
    }

    @Override
    protected Map<String, List<TestEntry>> malformedExports(List<TestEntry> valid) {
        String header = RowsCodec.HEADER + "\nID\tNAME\tCREATED\tACTIVE\tDATA\tDOC\n"
                + "long\tstring\ttimestamp\tboolean\tbinary\tbinary\n";
        Map<String, List<TestEntry>> cases = new LinkedHashMap<>();
        cases.put("a table that is not configured", with(valid, TestEntry.of("secrets.rows", valid.get(0).bytes())));
        cases.put("an entry that is not a rows entry", with(valid, TestEntry.of("parent.csv", "1,2")));
        cases.put("no entry for a table", valid.stream().filter(e -> !e.path().equals("child.rows")).toList());
        cases.put("a header that is not the rows format", replaced(valid, "hello\nID\nlong\n"));
        cases.put("a header cut short", replaced(valid, RowsCodec.HEADER + "\nID\n"));
        cases.put("an unknown column kind", replaced(valid, RowsCodec.HEADER + "\nID\tNAME\nlong\tvarchar\n"));
        cases.put("fewer kinds than columns", replaced(valid, RowsCodec.HEADER + "\nID\tNAME\nlong\n"));
        cases.put("an empty column name", replaced(valid, RowsCodec.HEADER + "\nID\t\nlong\tstring\n"));
        cases.put("a null column name", replaced(valid, RowsCodec.HEADER + "\nID\t\\N\nlong\tstring\n"));
        cases.put("a bad escape in a column name", replaced(valid, RowsCodec.HEADER + "\nI\\xD\nlong\n"));
        cases.put("a row with too few fields", replaced(valid, header + "1\tx\n"));
        cases.put("a long that is not a number", replaced(valid, header + "one\tx\t\\N\t\\N\t\\N\t\\N\n"));
        cases.put("a boolean that is not one", replaced(valid, header + "1\tx\t\\N\tyes\t\\N\t\\N\n"));
        cases.put("a timestamp that is not one", replaced(valid, header + "1\tx\tnoon\t\\N\t\\N\t\\N\n"));
        cases.put("binary that is not hex", replaced(valid, header + "1\tx\t\\N\t\\N\tzz\t\\N\n"));
        cases.put("a value ending in a lone backslash", replaced(valid, header + "1\tx\\\t\\N\t\\N\t\\N\t\\N\n"));
        return cases;
    }

    /** {@code valid} with the parent rows replaced by {@code rows}. */
    private static List<TestEntry> replaced(List<TestEntry> valid, String rows) {
        List<TestEntry> entries = new ArrayList<>(valid);
        entries.replaceAll(e -> e.path().equals("parent.rows") ? TestEntry.of(e.path(), rows) : e);
        return entries;
    }

    private static List<TestEntry> with(List<TestEntry> valid, TestEntry extra) {
        List<TestEntry> entries = new ArrayList<>(valid);
        entries.add(extra);
        return entries;
    }

    // ---------------------------------------------------------------- particular to tables

    @Test
    void roundTripRestoresEveryTypeExactlyAndReplacesNewerRows() throws Exception {
        insertParent(1, TRICKY, LocalDateTime.of(2024, 2, 29, 23, 59, 58, 123_456_000), true,
                new byte[] {0, 1, (byte) 0xff, 9, 10}, "blob\tbytes\n".getBytes(StandardCharsets.UTF_8));
        insertParent(2, null, null, null, null, null);
        insertParent(3, "", LocalDateTime.of(1999, 1, 1, 0, 0), false, new byte[0], new byte[0]);
        execute("INSERT INTO child VALUES (10, 1, 12345.678, 0.1), (11, 3, NULL, -1.5E300)");
        List<List<Object>> parents = rows("SELECT * FROM parent ORDER BY id");
        List<List<Object>> children = rows("SELECT * FROM child ORDER BY id");

        Map<String, byte[]> archive = export();
        assertThat(archive).containsOnlyKeys("parent.rows", "child.rows");

        execute("DELETE FROM child");
        execute("UPDATE parent SET name = 'changed' WHERE id = 1");
        execute("INSERT INTO parent (id, name) VALUES (4, 'new')");

        RestorePlan plan = participant.prepareRestore(source(archive));
        assertThat(rows("SELECT id FROM parent ORDER BY id")).as("prepare touches no table").hasSize(4);
        plan.commit();
        plan.release();

        assertThat(rows("SELECT * FROM parent ORDER BY id")).isEqualTo(parents);
        assertThat(rows("SELECT * FROM child ORDER BY id")).isEqualTo(children);
        assertThat((String) rows("SELECT name FROM parent WHERE id = 1").get(0).get(0)).isEqualTo(TRICKY);
        assertThat(Files.list(dir.resolve("tmp"))).as("release leaves no temporary files").isEmpty();
    }

    @Test
    void rollbackAfterCommitPutsTheOldRowsBack() throws Exception {
        insertParent(1, "archived", null, true, null, null);
        Map<String, byte[]> archive = export();
        execute("DELETE FROM parent");
        insertParent(7, "live one", LocalDateTime.of(2020, 5, 5, 5, 5), false, new byte[] {1}, null);
        execute("INSERT INTO child VALUES (70, 7, 1.5, 2.5)");
        List<List<Object>> before = rows("SELECT * FROM parent ORDER BY id");
        List<List<Object>> childrenBefore = rows("SELECT * FROM child ORDER BY id");

        RestorePlan plan = participant.prepareRestore(source(archive));
        plan.commit();
        assertThat(rows("SELECT name FROM parent")).containsExactly(List.of("archived"));
        plan.rollback();
        plan.rollback();

        assertThat(rows("SELECT * FROM parent ORDER BY id")).isEqualTo(before);
        assertThat(rows("SELECT * FROM child ORDER BY id")).isEqualTo(childrenBefore);
        assertThat(Files.list(dir.resolve("tmp"))).isEmpty();
    }

    @Test
    void rollbackBeforeCommitChangesNothing() throws Exception {
        Map<String, byte[]> archive = export();
        insertParent(5, "stays", null, null, null, null);

        RestorePlan plan = participant.prepareRestore(source(archive));
        plan.rollback();

        assertThat(rows("SELECT id, name FROM parent")).containsExactly(List.of(5, "stays"));
        assertThat(Files.list(dir.resolve("tmp"))).isEmpty();
    }

    @Test
    void failedCommitLeavesTheTablesAsTheyWere() throws Exception {
        insertParent(1, "one", null, null, null, null);
        Map<String, byte[]> archive = export();
        // A child row pointing at a parent that the archive does not hold makes the insert fail midway.
        String badChild = RowsCodec.HEADER + "\nID\tPARENT_ID\tAMOUNT\tRATIO\nlong\tlong\tdecimal\tdouble\n"
                + "1\t999\t\\N\t\\N\n";
        archive.put("child.rows", badChild.getBytes(StandardCharsets.UTF_8));
        execute("INSERT INTO parent (id, name) VALUES (2, 'two')");

        RestorePlan plan = participant.prepareRestore(source(archive));
        assertThatThrownBy(plan::commit).isInstanceOf(IOException.class).hasMessageContaining("db");
        plan.rollback();

        assertThat(rows("SELECT id FROM parent ORDER BY id")).containsExactly(List.of(1), List.of(2));
    }

    @Test
    void prepareRefusesMalformedRowsUnknownTablesAndMissingTables() throws Exception {
        Map<String, byte[]> archive = export();
        Map<String, byte[]> badRow = new LinkedHashMap<>(archive);
        badRow.put("parent.rows", (RowsCodec.HEADER + "\nID\tNAME\nlong\tstring\nnot-a-number\tx\n")
                .getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> participant.prepareRestore(source(badRow)))
                .isInstanceOf(InvalidArchiveException.class).hasMessageContaining("line 4").hasMessageContaining("ID");

        Map<String, byte[]> unknown = new LinkedHashMap<>(archive);
        unknown.put("secrets.rows", archive.get("parent.rows"));
        assertThatThrownBy(() -> participant.prepareRestore(source(unknown)))
                .isInstanceOf(InvalidArchiveException.class).hasMessageContaining("secrets.rows");

        Map<String, byte[]> missing = new LinkedHashMap<>(archive);
        missing.remove("child");
        missing.remove("child.rows");
        assertThatThrownBy(() -> participant.prepareRestore(source(missing)))
                .isInstanceOf(InvalidArchiveException.class).hasMessageContaining("child");
        assertThat(Files.list(dir.resolve("tmp"))).as("refused restores leave nothing").isEmpty();
    }

    @Test
    void isEmptyOnlyWhenEveryTableIsEmpty() throws Exception {
        assertThat(participant.isEmpty()).isTrue();
        insertParent(1, "x", null, null, null, null);
        assertThat(participant.isEmpty()).isFalse();
        assertThat(participant.plannedEntries()).isEqualTo(2);
    }

    @Test
    void escapingRoundTripsAnyText() {
        for (String s : List.of("", "\\N", "\\", "a\\tb", "\t\n\r", TRICKY)) {
            String escaped = RowsCodec.escape(s);
            assertThat(escaped).doesNotContain("\t", "\n", "\r");
            assertThat(RowsCodec.unescape(escaped)).isEqualTo(s);
        }
        assertThat(RowsCodec.unescape("\\N")).isNull();
    }

    @Test
    void refusesTableNamesThatAreNotPlainNames() {
        assertThatThrownBy(() -> JdbcTablesParticipant.forUrl("db", StateCategory.STATE, url, "sa", "",
                List.of("parent; DROP TABLE child")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tables: each must be a plain SQL name");
    }

    private Map<String, byte[]> export() throws IOException {
        return Exports.of(participant);
    }

    private static EntrySource source(Map<String, byte[]> entries) {
        Iterator<Map.Entry<String, byte[]>> it = new ArrayList<>(entries.entrySet()).iterator();
        return () -> {
            if (!it.hasNext()) {
                return Optional.empty();
            }
            Map.Entry<String, byte[]> e = it.next();
            return Optional.of(new Entry(e.getKey(), new ByteArrayInputStream(e.getValue())));
        };
    }

    private void insertParent(int id, String name, LocalDateTime created, Boolean active, byte[] data, byte[] doc)
            throws SQLException {
        try (PreparedStatement st = keepOpen.prepareStatement("INSERT INTO parent VALUES (?, ?, ?, ?, ?, ?)")) {
            st.setInt(1, id);
            st.setString(2, name);
            st.setObject(3, created);
            st.setObject(4, active);
            st.setBytes(5, data);
            st.setBytes(6, doc);
            st.executeUpdate();
        }
    }

    private void execute(String sql) throws SQLException {
        try (Statement st = keepOpen.createStatement()) {
            st.execute(sql);
        }
    }

    private List<List<Object>> rows(String sql) throws SQLException {
        List<List<Object>> rows = new ArrayList<>();
        try (Statement st = keepOpen.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<Object> row = new ArrayList<>();
                for (int i = 1; i <= n; i++) {
                    Object value = rs.getObject(i);
                    if (value instanceof java.sql.Blob blob) {
                        value = blob.getBytes(1, (int) blob.length());
                    }
                    row.add(value instanceof byte[] bytes ? Arrays.toString(bytes) : value);
                }
                rows.add(row);
            }
        }
        return rows;
    }
}
