package io.snapkeep.participants.jdbc;

import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;

/**
 * A column's kind in the rows format: how its values are read from JDBC, written as text, parsed back and
 * bound. SQL types without a kind of their own travel as {@link #STRING}.
 */
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

    /** The name of the kind in an entry's third line. */
    final String label;
    private final int sqlType;

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

    /** The kind called {@code label}, or null. */
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

    /** The value of {@code text} for binding; throws IllegalArgumentException when it is not one. */
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
