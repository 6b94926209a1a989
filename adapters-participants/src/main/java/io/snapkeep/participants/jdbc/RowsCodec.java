package io.snapkeep.participants.jdbc;

import io.snapkeep.core.error.InvalidArchiveException;
import io.snapkeep.core.support.Printable;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The rows format of one table, {@code <table>.rows}, written and read here only. UTF-8 text: line 1 is
 * {@link #HEADER}; line 2 the column names; line 3 each column's {@link Kind}; then one line per row. Fields
 * are separated by a tab; {@code \N} is SQL NULL; in values a backslash, tab, newline and carriage return are
 * written {@code \\}, {@code \t}, {@code \n}, {@code \r}; binary values are hex.
 *
 * <p>Reading refuses bad content as an {@link InvalidArchiveException} naming the participant and the entry.
 */
final class RowsCodec {
    static final String HEADER = "snapkeep-rows/1";
    static final String SUFFIX = ".rows";

    private final String participant;

    RowsCodec(String participant) {
        this.participant = participant;
    }

    /** The column names and kinds of one rows entry. */
    record Header(String namesLine, String kindsLine, List<String> names, Kind[] kinds) {
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
                    throw new IllegalArgumentException("column " + Printable.of(names.get(i)) + " is not a valid "
                            + kinds[i].label + ": " + Printable.of(e.getMessage()));
                }
            }
            return values;
        }
    }

    // ---------------------------------------------------------------- writing

    /** Writes the three header lines. */
    static void writeHeader(Writer w, List<String> names, Kind[] kinds) throws IOException {
        List<String> escaped = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < kinds.length; i++) {
            escaped.add(escape(names.get(i)));
            labels.add(kinds[i].label);
        }
        w.write(HEADER + "\n" + String.join("\t", escaped) + "\n" + String.join("\t", labels) + "\n");
    }

    /** Writes one row, each value as text or null for SQL NULL, reusing {@code line} as a buffer. */
    static void writeRow(Writer w, String[] values, StringBuilder line) throws IOException {
        line.setLength(0);
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                line.append('\t');
            }
            line.append(values[i] == null ? "\\N" : escape(values[i]));
        }
        line.append('\n');
        w.write(line.toString());
    }

    static String escape(String value) {
        if (!needsEscape(value)) {
            return value;
        }
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

    private static boolean needsEscape(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\' || c == '\t' || c == '\n' || c == '\r') {
                return true;
            }
        }
        return false;
    }

    // ---------------------------------------------------------------- reading

    /**
     * Copies the entry {@code path} into {@code file}, checking its header and every row on the way; only
     * one row is in memory at a time.
     */
    void copyChecked(InputStream content, Path file, String path) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(content, StandardCharsets.UTF_8));
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            Header header = readHeader(in, path);
            out.write(HEADER + "\n" + header.namesLine() + "\n" + header.kindsLine() + "\n");
            String line;
            long number = 3;
            while ((line = in.readLine()) != null) {
                number++;
                try {
                    header.parse(line);
                } catch (IllegalArgumentException e) {
                    throw invalid("has a bad row at line " + number + " of " + Printable.of(path) + ": "
                            + e.getMessage());
                }
                out.write(line);
                out.write('\n');
            }
        }
    }

    /** Reads and checks the three header lines of the entry {@code path}. */
    Header readHeader(BufferedReader in, String path) throws IOException {
        String magic = in.readLine();
        String namesLine = in.readLine();
        String kindsLine = in.readLine();
        String shown = Printable.of(path);
        if (!HEADER.equals(magic) || namesLine == null || kindsLine == null) {
            throw invalid("has an entry " + shown + " that does not start with " + HEADER + " and its column lines");
        }
        List<String> names = new ArrayList<>();
        for (String field : namesLine.split("\t", -1)) {
            String column;
            try {
                column = unescape(field);
            } catch (IllegalArgumentException e) {
                throw invalid("has a bad column name in " + shown + ": " + e.getMessage());
            }
            if (column == null || column.isEmpty()) {
                throw invalid("has an empty or null column name in " + shown);
            }
            names.add(column);
        }
        String[] kindFields = kindsLine.split("\t", -1);
        if (kindFields.length != names.size()) {
            throw invalid("has " + names.size() + " column names but " + kindFields.length + " kinds in " + shown);
        }
        Kind[] kinds = new Kind[kindFields.length];
        for (int i = 0; i < kinds.length; i++) {
            kinds[i] = Kind.byLabel(kindFields[i]);
            if (kinds[i] == null) {
                throw invalid("has an unknown column kind \"" + Printable.of(kindFields[i]) + "\" in " + shown);
            }
        }
        return new Header(namesLine, kindsLine, names, kinds);
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
                default -> throw new IllegalArgumentException("unknown escape \\" + Printable.of(
                        String.valueOf(field.charAt(i))));
            }
        }
        return out.toString();
    }

    /** A refusal of the participant's entries; {@code what} continues "The archive's entries for ... ". */
    InvalidArchiveException invalid(String what) {
        return new InvalidArchiveException("The archive's entries for participant " + participant + " " + what);
    }
}
