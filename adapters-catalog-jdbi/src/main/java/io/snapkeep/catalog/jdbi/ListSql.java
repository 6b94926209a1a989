package io.snapkeep.catalog.jdbi;

import io.snapkeep.core.domain.ListQuery;
import io.snapkeep.core.domain.Page;
import io.snapkeep.core.domain.Sort;
import io.snapkeep.core.domain.Timestamps;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;

/**
 * Turns a core {@link ListQuery} into SQL over one table: filters, id substring, sort keys, paging and the
 * total count all run in the database. Column names come only from the allow-list given at construction,
 * keyed by the core's field enum; everything from the query is bound as a parameter.
 *
 * @param <F> the core's field enum
 */
final class ListSql<F extends Enum<F>> {

    /** How a column holds its field, which decides how a filter's text becomes a bound value. */
    enum Kind { TEXT, TIME, NUMBER }

    record Column(String name, Kind kind) {
        static Column text(String name) {
            return new Column(name, Kind.TEXT);
        }

        static Column time(String name) {
            return new Column(name, Kind.TIME);
        }

        static Column number(String name) {
            return new Column(name, Kind.NUMBER);
        }
    }

    private final String table;
    private final String selectColumns;
    private final Map<F, Column> columns;
    private final String idColumn;
    private final String createdAtColumn;

    ListSql(Class<F> fields, String table, String selectColumns, Map<F, Column> columns, String idColumn,
            String createdAtColumn) {
        this.table = table;
        this.selectColumns = selectColumns;
        this.columns = new EnumMap<>(columns);
        this.idColumn = idColumn;
        this.createdAtColumn = createdAtColumn;
        for (F f : fields.getEnumConstants()) {
            if (!this.columns.containsKey(f)) {
                throw new IllegalStateException("No column for the list field " + f + " of " + table);
            }
        }
    }

    /** One page of {@code query}'s matches and their total, read in the caller's transaction. */
    <T> Page<T> page(Handle handle, ListQuery<F> query, RowMapper<T> mapper) {
        Map<String, Object> params = new LinkedHashMap<>();
        String where = where(query, params);
        long total = handle.createQuery("SELECT COUNT(*) FROM " + table + where)
                .bindMap(params)
                .mapTo(Long.class)
                .one();
        List<T> items = List.of();
        if (query.size() > 0 && query.offset() < total) {
            items = handle.createQuery("SELECT " + selectColumns + " FROM " + table + where + orderBy(query.sort())
                            + " LIMIT :page_limit OFFSET :page_offset")
                    .bindMap(params)
                    .bind("page_limit", query.size())
                    .bind("page_offset", query.offset())
                    .map(mapper)
                    .list();
        }
        return new Page<>(items, total, query.offset(), query.size());
    }

    private String where(ListQuery<F> query, Map<String, Object> params) {
        List<String> conditions = new ArrayList<>();
        for (Map.Entry<F, Set<String>> filter : query.filters().entrySet()) {
            conditions.add(anyOf(columns.get(filter.getKey()), filter.getValue(), params));
        }
        String part = query.idContains();
        if (part != null && !part.isEmpty()) {
            params.put("id_part", "%" + escapeLike(part) + "%");
            // '!' as the escape character: a backslash means different things in different SQL dialects.
            conditions.add(idColumn + " LIKE :id_part ESCAPE '!'");
        }
        return conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
    }

    /** The column equals one of the values (OR); a value that the column can never hold matches nothing. */
    private static String anyOf(Column column, Set<String> values, Map<String, Object> params) {
        List<String> names = new ArrayList<>();
        boolean orNull = false;
        for (String text : values) {
            if (text == null) {
                orNull = true;
                continue;
            }
            Object value = valueOf(column.kind(), text);
            if (value != null) {
                String name = "f" + params.size();
                params.put(name, value);
                names.add(":" + name);
            }
        }
        List<String> alternatives = new ArrayList<>();
        if (!names.isEmpty()) {
            alternatives.add(column.name() + " IN (" + String.join(", ", names) + ")");
        }
        if (orNull) {
            alternatives.add(column.name() + " IS NULL");
        }
        return alternatives.isEmpty() ? "1 = 0" : "(" + String.join(" OR ", alternatives) + ")";
    }

    /**
     * The stored value whose text form ({@code SnapshotField.textOf}) is exactly {@code text}, or null when
     * there is none: {@code 2026-01-01T00:00:00Z} is not the text of any stored time (the form has millis).
     */
    private static Object valueOf(Kind kind, String text) {
        switch (kind) {
            case TEXT:
                return text;
            case NUMBER:
                try {
                    long n = Long.parseLong(text);
                    return Long.toString(n).equals(text) ? n : null;
                } catch (NumberFormatException e) {
                    return null;
                }
            case TIME:
                try {
                    Instant t = Instant.parse(text);
                    return Timestamps.format(t).equals(text) ? SqlTime.of(t) : null;
                } catch (DateTimeParseException e) {
                    return null;
                }
            default:
                throw new IllegalStateException("Unknown column kind " + kind);
        }
    }

    /** Ascending keys put nulls first, descending last (the reverse), then created_at and id break ties. */
    private String orderBy(List<Sort<F>> sort) {
        List<String> keys = new ArrayList<>();
        for (Sort<F> key : sort) {
            String column = columns.get(key.field()).name();
            keys.add(column + (key.descending() ? " DESC NULLS LAST" : " ASC NULLS FIRST"));
        }
        keys.add(createdAtColumn + " ASC");
        keys.add(idColumn + " ASC");
        return " ORDER BY " + String.join(", ", keys);
    }

    static String escapeLike(String text) {
        return text.replace("!", "!!").replace("%", "!%").replace("_", "!_");
    }
}
