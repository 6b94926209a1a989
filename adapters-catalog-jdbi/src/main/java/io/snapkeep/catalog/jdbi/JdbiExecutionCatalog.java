package io.snapkeep.catalog.jdbi;

import static io.snapkeep.catalog.jdbi.ListSql.Column.text;
import static io.snapkeep.catalog.jdbi.ListSql.Column.time;

import io.snapkeep.core.domain.Execution;
import io.snapkeep.core.domain.ExecutionField;
import io.snapkeep.core.domain.ExecutionId;
import io.snapkeep.core.domain.ExecutionStatus;
import io.snapkeep.core.domain.ListQuery;
import io.snapkeep.core.domain.Page;
import io.snapkeep.core.domain.Progress;
import io.snapkeep.core.domain.SnapshotId;
import io.snapkeep.core.domain.Workflow;
import io.snapkeep.core.error.AlreadyExistsException;
import io.snapkeep.core.port.out.ExecutionCatalog;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.SqlStatement;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * {@link ExecutionCatalog} on the {@code executions} table. Every write that can change which executions are
 * active or hold the slot first locks the single row of {@code execution_slot_lock}, in the same transaction:
 * that makes "check, then insert" and "check, then promote" atomic across threads and processes, in any
 * database with row locks, while reads and progress updates stay lock-free.
 *
 * <p>The {@code finishing} column is {@link #beginFinish}'s mark. It is never read back into an
 * {@link Execution}: it only guards the compare-and-set of a cancel, in the same statement, so that a cancel
 * and a finish racing on one row are decided by the database's row lock, on any node.
 */
final class JdbiExecutionCatalog implements ExecutionCatalog {
    private static final String COLUMNS = "id, workflow_id, snapshot_id, status, error, created_at, started_at,"
            + " ended_at, created_by, parameters, total_operations, finished_operations, processed_bytes, node_id,"
            + " progress_phase, bytes_total, entries_total, bytes_per_second, eta_seconds";
    private static final String PROGRESS_SET = ProgressColumns.SET;

    private static final ListSql<ExecutionField> LIST = new ListSql<>(ExecutionField.class, "executions", COLUMNS,
            Map.of(ExecutionField.ID, text("id"),
                    ExecutionField.WORKFLOW_ID, text("workflow_id"),
                    ExecutionField.STATUS, text("status"),
                    ExecutionField.ERROR, text("error"),
                    ExecutionField.CREATED_AT, time("created_at"),
                    ExecutionField.STARTED_AT, time("started_at"),
                    ExecutionField.ENDED_AT, time("ended_at"),
                    ExecutionField.CREATED_BY, text("created_by"),
                    ExecutionField.SNAPSHOT_ID, text("snapshot_id")),
            "id", "created_at");

    private static final List<String> ACTIVE = wireNames(ExecutionStatus::isActive);
    private static final List<String> HOLDING_SLOT = wireNames(ExecutionStatus::holdsSlot);

    private final Database db;
    private final ParametersJson json = new ParametersJson();

    JdbiExecutionCatalog(Database db) {
        this.db = db;
    }

    @Override
    public void insert(Execution execution) {
        db.inTransaction("insert execution " + execution.id(), h -> {
            lockSlot(h);
            insertRow(h, execution);
            return null;
        });
    }

    @Override
    public boolean insertIfNoneActive(Execution execution) {
        if (execution.status() != ExecutionStatus.PENDING) {
            throw new IllegalArgumentException("Only a pending execution may take the slot, got "
                    + execution.status().wireName());
        }
        return db.inTransaction("insert execution " + execution.id(), h -> {
            lockSlot(h);
            if (countIn(h, ACTIVE) > 0) {
                return false;
            }
            insertRow(h, execution);
            return true;
        });
    }

    @Override
    public Optional<Execution> promoteNextQueued(String node) {
        // The runner asks every few seconds, also while idle: a plain read answers "nothing queued" without a
        // write, so an idle server does not commit (and grow an append-only H2 file) for nothing.
        boolean anyQueued = db.inTransaction("look for queued executions", h ->
                countIn(h, List.of(ExecutionStatus.QUEUED.wireName())) > 0);
        if (!anyQueued) {
            return Optional.empty();
        }
        return db.inTransaction("promote the next queued execution", h -> {
            lockSlot(h);
            if (countIn(h, HOLDING_SLOT) > 0) {
                return Optional.<Execution>empty();
            }
            Optional<Execution> next = h.createQuery("SELECT " + COLUMNS + " FROM executions WHERE status = :queued"
                            + " ORDER BY created_at ASC, id ASC LIMIT 1")
                    .bind("queued", ExecutionStatus.QUEUED.wireName())
                    .map(this::map)
                    .findOne();
            if (next.isEmpty()) {
                return next;
            }
            Execution promoted = next.get().promoted().claimedBy(node);
            // Under the slot lock nothing else changes statuses, so this compare-and-set cannot lose.
            if (!compareAndSet(h, ExecutionStatus.QUEUED, promoted)) {
                throw new IllegalStateException("Execution " + promoted.id() + " changed under the slot lock");
            }
            return Optional.of(promoted);
        });
    }

    @Override
    public boolean beginFinish(ExecutionId id) {
        return db.inTransaction("mark execution " + id + " as finishing", h ->
                h.createUpdate("UPDATE executions SET finishing = TRUE WHERE id = :id AND status = :started"
                                + " AND finishing = FALSE")
                        .bind("id", id.value())
                        .bind("started", ExecutionStatus.STARTED.wireName())
                        .execute() == 1);
    }

    @Override
    public Optional<Execution> find(ExecutionId id) {
        return db.inTransaction("read execution " + id, h ->
                h.createQuery("SELECT " + COLUMNS + " FROM executions WHERE id = :id")
                        .bind("id", id.value())
                        .map(this::map)
                        .findOne());
    }

    @Override
    public boolean update(ExecutionStatus expected, Execution updated) {
        return db.inTransaction("update execution " + updated.id(), h -> {
            if (updated.status() != expected) {
                lockSlot(h);
            }
            return compareAndSet(h, expected, updated);
        });
    }

    @Override
    public boolean updateProgress(ExecutionId id, Progress progress) {
        return db.inTransaction("record progress of execution " + id, h ->
                ProgressColumns.bind(h.createUpdate("UPDATE executions SET total_operations = :total,"
                                + " finished_operations = :finished, processed_bytes = :bytes," + PROGRESS_SET
                                + " WHERE id = :id AND status IN (<active>)"), progress)
                        .bind("id", id.value())
                        .bindList("active", ACTIVE)
                        .execute() == 1);
    }

    @Override
    public Optional<Execution> findActive(SnapshotId snapshot) {
        return db.inTransaction("find the active execution of snapshot `" + snapshot + "`", h ->
                h.createQuery("SELECT " + COLUMNS + " FROM executions WHERE snapshot_id = :snapshot"
                                + " AND status IN (<active>) ORDER BY created_at ASC, id ASC LIMIT 1")
                        .bind("snapshot", snapshot.value())
                        .bindList("active", ACTIVE)
                        .map(this::map)
                        .findOne());
    }

    @Override
    public boolean hasQueued(Workflow workflow, SnapshotId snapshot) {
        return db.inTransaction("look for a queued execution of snapshot `" + snapshot + "`", h ->
                h.createQuery("SELECT COUNT(*) FROM executions WHERE workflow_id = :workflow"
                                + " AND snapshot_id = :snapshot AND status = :queued")
                        .bind("workflow", workflow.wireName())
                        .bind("snapshot", snapshot.value())
                        .bind("queued", ExecutionStatus.QUEUED.wireName())
                        .mapTo(Long.class)
                        .one() > 0);
    }

    @Override
    public List<Execution> findHoldingSlot() {
        return db.inTransaction("find the executions holding the slot", h ->
                h.createQuery("SELECT " + COLUMNS + " FROM executions WHERE status IN (<holding>)"
                                + " ORDER BY created_at ASC, id ASC")
                        .bindList("holding", HOLDING_SLOT)
                        .map(this::map)
                        .list());
    }

    @Override
    public boolean isSlotHeldBy(Workflow workflow) {
        return db.inTransaction("check which workflow holds the slot", h ->
                h.createQuery("SELECT COUNT(*) FROM executions WHERE workflow_id = :workflow"
                                + " AND status IN (<holding>)")
                        .bind("workflow", workflow.wireName())
                        .bindList("holding", HOLDING_SLOT)
                        .mapTo(Long.class)
                        .one() > 0);
    }

    @Override
    public Page<Execution> list(ListQuery<ExecutionField> query) {
        return db.inTransaction("list executions", h -> LIST.page(h, query, this::map));
    }

    /** Waits for, then holds until commit, the one lock that orders every change of the active set. */
    private static void lockSlot(Handle h) {
        int rows = h.createUpdate("UPDATE execution_slot_lock SET lock_count = lock_count + 1 WHERE id = 1")
                .execute();
        if (rows != 1) {
            throw new IllegalStateException("The execution_slot_lock row is missing; the schema is damaged");
        }
    }

    private static long countIn(Handle h, List<String> statuses) {
        return h.createQuery("SELECT COUNT(*) FROM executions WHERE status IN (<statuses>)")
                .bindList("statuses", statuses)
                .mapTo(Long.class)
                .one();
    }

    private void insertRow(Handle h, Execution e) {
        Database.conflictAs(() -> new AlreadyExistsException("Execution " + e.id() + " already exists"),
                () -> bindFields(h.createUpdate("INSERT INTO executions (" + COLUMNS + ", finishing) VALUES (:id,"
                        + " :workflow_id, :snapshot_id, :status, :error, :created_at, :started_at, :ended_at,"
                        + " :created_by, :parameters, :total, :finished, :bytes, :node_id, :phase, :bytes_total, :entries_total,"
                        + " :bytes_per_second, :eta_seconds, FALSE)"), e).execute());
    }

    /**
     * A cancel applies only while the finishing mark is not set; any other update clears it. Both in the one
     * statement, so the row lock orders a cancel against {@link #beginFinish}.
     */
    private boolean compareAndSet(Handle h, ExecutionStatus expected, Execution updated) {
        boolean cancel = updated.status() == ExecutionStatus.CANCELLING
                || updated.status() == ExecutionStatus.FORCE_CANCELLING;
        return bindFields(h.createUpdate("UPDATE executions SET workflow_id = :workflow_id,"
                        + " snapshot_id = :snapshot_id, status = :status, error = :error, created_at = :created_at,"
                        + " started_at = :started_at, ended_at = :ended_at, created_by = :created_by,"
                        + " parameters = :parameters, total_operations = :total, finished_operations = :finished,"
                        + " processed_bytes = :bytes, node_id = :node_id," + PROGRESS_SET
                        + (cancel ? " WHERE id = :id AND status = :expected AND finishing = FALSE"
                                : ", finishing = FALSE WHERE id = :id AND status = :expected")), updated)
                .bind("expected", expected.wireName())
                .execute() == 1;
    }

    private <S extends SqlStatement<S>> S bindFields(S statement, Execution e) {
        statement
                .bind("id", e.id().value())
                .bind("workflow_id", e.workflow().wireName())
                .bind("snapshot_id", e.snapshotId().value())
                .bind("status", e.status().wireName())
                .bind("error", e.error())
                .bind("created_at", SqlTime.of(e.createdAt()))
                .bind("started_at", SqlTime.of(e.startedAt()))
                .bind("ended_at", SqlTime.of(e.endedAt()))
                .bind("created_by", e.createdBy())
                .bind("parameters", json.write(e.parameters()))
                .bind("node_id", e.node());
        return ProgressColumns.bind(statement, e.progress());
    }

    private Execution map(ResultSet rs, StatementContext ctx) throws SQLException {
        return new Execution(ExecutionId.of(rs.getString("id")),
                Workflow.fromWireName(rs.getString("workflow_id")),
                SnapshotId.of(rs.getString("snapshot_id")),
                ExecutionStatus.fromWireName(rs.getString("status")),
                rs.getString("error"),
                SqlTime.read(rs, "created_at"),
                SqlTime.read(rs, "started_at"),
                SqlTime.read(rs, "ended_at"),
                rs.getString("created_by"),
                json.read(rs.getString("parameters")),
                ProgressColumns.read(rs, rs.getLong("total_operations"), "finished_operations", "processed_bytes"),
                rs.getString("node_id"));
    }

    private static List<String> wireNames(Predicate<ExecutionStatus> which) {
        return Arrays.stream(ExecutionStatus.values()).filter(which).map(ExecutionStatus::wireName).toList();
    }
}
