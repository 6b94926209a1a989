package io.snapkeep.catalog.jdbi;

import io.snapkeep.core.domain.EventQuery;
import io.snapkeep.core.domain.ExecutionEvent;
import io.snapkeep.core.domain.ExecutionId;
import io.snapkeep.core.domain.Page;
import io.snapkeep.core.domain.Workflow;
import io.snapkeep.core.port.out.ExecutionEventLog;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * {@link ExecutionEventLog} on the append-only {@code execution_events} table: its identity column
 * {@code seq} records the order of appends, which breaks ties between events with one timestamp.
 */
final class JdbiExecutionEventLog implements ExecutionEventLog {
    private static final String COLUMNS = "execution_id, workflow_id, occurred_at, kind, event_type, log_level,"
            + " message";

    private final Database db;

    JdbiExecutionEventLog(Database db) {
        this.db = db;
    }

    @Override
    public void append(ExecutionEvent event) {
        db.inTransaction("append an event of execution " + event.executionId(), h ->
                h.createUpdate("INSERT INTO execution_events (" + COLUMNS + ") VALUES (:execution_id, :workflow_id,"
                                + " :occurred_at, :kind, :event_type, :log_level, :message)")
                        .bind("execution_id", event.executionId().value())
                        .bind("workflow_id", event.workflow().wireName())
                        .bind("occurred_at", SqlTime.of(event.timestamp()))
                        .bind("kind", event.kind().name())
                        .bind("event_type", event.eventType())
                        .bind("log_level", event.level() == null ? null : event.level().name())
                        .bind("message", event.message())
                        .execute());
    }

    @Override
    public Page<ExecutionEvent> read(EventQuery query) {
        Map<String, Object> params = new LinkedHashMap<>();
        List<String> conditions = new ArrayList<>();
        conditions.add("execution_id = :execution_id");
        params.put("execution_id", query.executionId().value());
        List<String> kinds = query.kinds().stream().map(Enum::name).toList();
        if (query.from() != null) {
            conditions.add("occurred_at >= :from_time");
            params.put("from_time", SqlTime.of(query.from()));
        }
        if (query.to() != null) {
            conditions.add("occurred_at <= :to_time");
            params.put("to_time", SqlTime.of(query.to()));
        }
        conditions.add("kind IN (<kinds>)");
        String where = " WHERE " + String.join(" AND ", conditions);
        String direction = query.descending() ? " DESC" : " ASC";
        return db.inTransaction("read the events of execution " + query.executionId(), h -> {
            long total = h.createQuery("SELECT COUNT(*) FROM execution_events" + where)
                    .bindMap(params)
                    .bindList("kinds", kinds)
                    .mapTo(Long.class)
                    .one();
            List<ExecutionEvent> items = List.of();
            if (query.size() > 0 && query.offset() < total) {
                items = h.createQuery("SELECT " + COLUMNS + " FROM execution_events" + where
                                + " ORDER BY occurred_at" + direction + ", seq" + direction
                                + " LIMIT :page_limit OFFSET :page_offset")
                        .bindMap(params)
                        .bindList("kinds", kinds)
                        .bind("page_limit", query.size())
                        .bind("page_offset", query.offset())
                        .map(JdbiExecutionEventLog::map)
                        .list();
            }
            return new Page<>(items, total, query.offset(), query.size());
        });
    }

    private static ExecutionEvent map(ResultSet rs, StatementContext ctx) throws SQLException {
        String level = rs.getString("log_level");
        return new ExecutionEvent(ExecutionId.of(rs.getString("execution_id")),
                Workflow.fromWireName(rs.getString("workflow_id")),
                SqlTime.read(rs, "occurred_at"),
                ExecutionEvent.Kind.valueOf(rs.getString("kind")),
                rs.getString("event_type"),
                level == null ? null : ExecutionEvent.Level.valueOf(level),
                rs.getString("message"));
    }
}
