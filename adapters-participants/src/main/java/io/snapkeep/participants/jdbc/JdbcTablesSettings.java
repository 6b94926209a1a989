package io.snapkeep.participants.jdbc;

import io.snapkeep.core.domain.ParticipantName;
import io.snapkeep.core.domain.StateCategory;
import io.snapkeep.core.support.Secrets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a {@link JdbcTablesParticipant} reached by JDBC URL is made from, checked by the participant's own
 * rules; the rule for a table name lives here. Each check says what is wrong with one setting, or returns
 * null (or nothing), so that a configuration can name every bad setting at once; the constructor refuses
 * the first. {@link #toString()} never shows the password, nor one inside the URL.
 *
 * @param name     the participant's name (the participant name rules)
 * @param category what kind of state it holds
 * @param url      the database, a JDBC URL
 * @param user     the database user; empty for none
 * @param password the user's password; empty for none
 * @param tables   at least one plain table name, each once; parents before the tables that reference them
 */
public record JdbcTablesSettings(String name, StateCategory category, String url, String user, String password,
                                 List<String> tables) {

    /**
     * A plain SQL table name: letters, digits and {@code _}, not starting with a digit, optionally
     * {@code schema.table}. Used unquoted, so the database's case rules apply.
     */
    public static final Pattern TABLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)?");

    public JdbcTablesSettings {
        refuse("name", problemWithName(name));
        Objects.requireNonNull(category, "category");
        refuse("url", problemWithUrl(url));
        user = user == null ? "" : user;
        password = password == null ? "" : password;
        tables = List.copyOf(Objects.requireNonNull(tables, "tables"));
        List<String> tableProblems = problemsWithTables(tables);
        if (!tableProblems.isEmpty()) {
            refuse("tables", tableProblems.get(0));
        }
    }

    /** What is wrong with {@code name} as a participant name, or null. */
    public static String problemWithName(String name) {
        return ParticipantName.problemWith(name);
    }

    /** What is wrong with {@code url}, or null: a JDBC URL, starting with {@code jdbc:}. */
    public static String problemWithUrl(String url) {
        if (url == null || url.isBlank()) {
            return "required, a JDBC URL starting with \"jdbc:\"";
        }
        if (!url.startsWith("jdbc:")) {
            return "must be a JDBC URL starting with \"jdbc:\", got \"" + Secrets.maskUrl(url) + "\"";
        }
        return null;
    }

    /**
     * Everything wrong with {@code tables}, or nothing: at least one, each a {@link #TABLE_NAME}, none listed
     * twice (compared without case).
     */
    public static List<String> problemsWithTables(List<String> tables) {
        List<String> problems = new ArrayList<>();
        if (tables == null || tables.isEmpty()) {
            problems.add("required, a list of at least one table name");
            return problems;
        }
        Set<String> seen = new HashSet<>();
        for (String table : tables) {
            if (table == null || !TABLE_NAME.matcher(table).matches()) {
                problems.add("each must be a plain SQL name (letters, digits, '_'; optionally schema.table), got \""
                        + table + "\"");
            } else if (!seen.add(table.toLowerCase(Locale.ROOT))) {
                problems.add("each may be listed once, got \"" + table + "\" twice (names are compared without case)");
            }
        }
        return problems;
    }

    /** The participant these settings describe; it connects on each export and restore, not now. */
    public JdbcTablesParticipant open() {
        return JdbcTablesParticipant.forUrl(name, category, url, user, password, tables);
    }

    @Override
    public String toString() {
        return "JdbcTablesSettings[name=" + name + ", category=" + category + ", url=" + Secrets.maskUrl(url)
                + ", user=" + user + ", password=" + Secrets.shown(password) + ", tables=" + tables + "]";
    }

    private static void refuse(String setting, String problem) {
        if (problem != null) {
            throw new IllegalArgumentException("jdbc_tables participant " + setting + ": " + problem);
        }
    }
}
