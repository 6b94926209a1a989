package io.snapkeep.catalog.jdbi;

import io.snapkeep.core.domain.CreateOptions;
import io.snapkeep.core.domain.ExecutionId;
import io.snapkeep.core.domain.PolicyRun;
import io.snapkeep.core.domain.SnapshotId;
import io.snapkeep.core.domain.SnapshotPolicy;
import io.snapkeep.core.domain.SnapshotPolicy.Retention;
import io.snapkeep.core.error.AlreadyExistsException;
import io.snapkeep.core.error.StorageUnavailableException;
import io.snapkeep.core.port.out.PolicyCatalog;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.core.statement.Update;

/**
 * {@link PolicyCatalog} on the {@code snapshot_policies}, {@code policy_claims} and {@code policy_runs} tables.
 * A claim is an insert that the primary key lets succeed once. A write of a row that may be missing (a policy, a
 * history entry) is an update, else an insert in a transaction of its own, tried again when a racer inserted
 * first: PostgreSQL aborts a transaction at its first failed statement.
 */
final class JdbiPolicyCatalog implements PolicyCatalog {
    /** A row that racers insert first, again and again: a bound, not an expected count. */
    private static final int ATTEMPTS = 20;
    private static final String POLICY_COLUMNS = "name, schedule, time_zone, snapshot_id_template, create_options,"
            + " has_retention, max_count, expire_after_ms, min_count, verify_schedule";
    private static final String RUN_COLUMNS = "policy, kind, due_at, snapshot_id, recorded_at, outcome, execution_id,"
            + " detail";

    private final Database db;
    private final ParametersJson json = new ParametersJson();

    JdbiPolicyCatalog(Database db) {
        this.db = db;
    }

    @Override
    public void save(SnapshotPolicy policy) {
        upsert("store snapshot policy `" + policy.name() + "`",
                h -> bindPolicy(h.createUpdate("UPDATE snapshot_policies SET schedule = :schedule, time_zone = :zone,"
                        + " snapshot_id_template = :template, create_options = :options, has_retention = :retained,"
                        + " max_count = :max, expire_after_ms = :expire, min_count = :min, verify_schedule = :verify"
                        + " WHERE name = :name"), policy).execute(),
                h -> bindPolicy(h.createUpdate("INSERT INTO snapshot_policies (" + POLICY_COLUMNS + ") VALUES (:name,"
                        + " :schedule, :zone, :template, :options, :retained, :max, :expire, :min, :verify)"), policy)
                        .execute());
    }

    private Update bindPolicy(Update u, SnapshotPolicy p) {
        Optional<Retention> r = p.retention();
        return u.bind("name", p.name())
                .bind("schedule", p.schedule())
                .bind("zone", p.timeZone().getId())
                .bind("template", p.snapshotIdTemplate())
                .bind("options", json.write(p.createOptions().asParameters()))
                .bind("retained", r.isPresent())
                .bindBySqlType("max", r.flatMap(Retention::maxCount).orElse(null), Types.INTEGER)
                .bindBySqlType("expire", r.flatMap(Retention::expireAfter).map(Duration::toMillis).orElse(null),
                        Types.BIGINT)
                .bindBySqlType("min", r.map(Retention::minCount).orElse(null), Types.INTEGER)
                .bindBySqlType("verify", p.verifySchedule().orElse(null), Types.VARCHAR);
    }

    @Override
    public Optional<SnapshotPolicy> find(String name) {
        return db.inTransaction("read snapshot policy `" + name + "`", h ->
                h.createQuery("SELECT " + POLICY_COLUMNS + " FROM snapshot_policies WHERE name = :name")
                        .bind("name", name)
                        .map(this::policy)
                        .findOne());
    }

    @Override
    public List<SnapshotPolicy> all() {
        return db.inTransaction("list the snapshot policies", h ->
                h.createQuery("SELECT " + POLICY_COLUMNS + " FROM snapshot_policies ORDER BY name")
                        .map(this::policy)
                        .list());
    }

    @Override
    public boolean delete(String name) {
        return db.inTransaction("remove snapshot policy `" + name + "`", h -> {
            h.createUpdate("DELETE FROM policy_runs WHERE policy = :name").bind("name", name).execute();
            h.createUpdate("DELETE FROM policy_claims WHERE policy = :name").bind("name", name).execute();
            return h.createUpdate("DELETE FROM snapshot_policies WHERE name = :name").bind("name", name).execute() == 1;
        });
    }

    @Override
    public boolean claim(String policy, PolicyRun.Kind kind, Instant dueAt, String node) {
        try {
            db.inTransaction("claim " + kind + " at " + dueAt + " of policy `" + policy + "`", h -> Database.conflictAs(
                    () -> new AlreadyExistsException("claimed already"),
                    () -> h.createUpdate("INSERT INTO policy_claims (policy, kind, due_at, node_id)"
                                    + " VALUES (:policy, :kind, :due, :node)")
                            .bind("policy", policy)
                            .bind("kind", kind.name())
                            .bind("due", SqlTime.of(dueAt))
                            .bind("node", node)
                            .execute()));
            return true;
        } catch (AlreadyExistsException e) {
            return false;
        }
    }

    @Override
    public Optional<Instant> lastClaimed(String policy, PolicyRun.Kind kind) {
        return db.inTransaction("read the last claim of policy `" + policy + "`", h ->
                Optional.ofNullable(h.createQuery("SELECT MAX(due_at) AS latest FROM policy_claims"
                                + " WHERE policy = :policy AND kind = :kind")
                        .bind("policy", policy)
                        .bind("kind", kind.name())
                        .map((rs, ctx) -> SqlTime.read(rs, "latest"))
                        .one()));
    }

    @Override
    public void record(PolicyRun run) {
        upsert("record a " + run.kind() + " run of policy `" + run.policy() + "`",
                h -> bindRun(h.createUpdate("UPDATE policy_runs SET recorded_at = :recorded, outcome = :outcome,"
                        + " execution_id = :execution, detail = :detail WHERE policy = :policy AND kind = :kind"
                        + " AND due_at = :due AND snapshot_id = :snapshot"), run).execute(),
                h -> bindRun(h.createUpdate("INSERT INTO policy_runs (" + RUN_COLUMNS + ") VALUES (:policy, :kind,"
                        + " :due, :snapshot, :recorded, :outcome, :execution, :detail)"), run).execute());
    }

    private static Update bindRun(Update u, PolicyRun r) {
        return u.bind("policy", r.policy())
                .bind("kind", r.kind().name())
                .bind("due", SqlTime.of(r.dueAt()))
                .bind("snapshot", r.snapshot().map(SnapshotId::value).orElse(""))
                .bind("recorded", SqlTime.of(r.recordedAt()))
                .bind("outcome", r.outcome().name())
                .bind("execution", r.execution().map(ExecutionId::value).orElse(""))
                .bind("detail", r.detail());
    }

    @Override
    public List<PolicyRun> history(String policy, int limit) {
        return db.inTransaction("read the history of policy `" + policy + "`", h ->
                h.createQuery("SELECT " + RUN_COLUMNS + " FROM policy_runs WHERE policy = :policy"
                                + " ORDER BY due_at DESC, recorded_at DESC LIMIT :limit")
                        .bind("policy", policy)
                        .bind("limit", Math.max(0, limit))
                        .map(JdbiPolicyCatalog::run)
                        .list());
    }

    @Override
    public List<SnapshotId> snapshotsOf(String policy) {
        return db.inTransaction("list the snapshots of policy `" + policy + "`", h ->
                h.createQuery("SELECT snapshot_id, MIN(due_at) AS first_due FROM policy_runs"
                                + " WHERE policy = :policy AND kind IN ('SCHEDULED', 'MANUAL') AND snapshot_id <> ''"
                                + " AND snapshot_id NOT IN (SELECT d.snapshot_id FROM policy_runs d"
                                + " WHERE d.policy = :policy AND d.kind = 'RETENTION' AND d.outcome = 'SUCCEEDED')"
                                + " GROUP BY snapshot_id ORDER BY first_due, snapshot_id")
                        .bind("policy", policy)
                        .map((rs, ctx) -> SnapshotId.of(rs.getString("snapshot_id")))
                        .list());
    }

    /** An update of the row, else its insert; an insert that a racer made first is followed by the update. */
    private void upsert(String what, java.util.function.Function<Handle, Integer> update,
                        java.util.function.Function<Handle, Integer> insert) {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            if (db.inTransaction(what, h -> update.apply(h)) > 0) {
                return;
            }
            try {
                db.inTransaction(what, h -> Database.conflictAs(() -> new AlreadyExistsException("inserted meanwhile"),
                        () -> insert.apply(h)));
                return;
            } catch (AlreadyExistsException e) {
                // A racer inserted it first: update it on the next attempt.
            }
        }
        throw new StorageUnavailableException("Could not " + what + ": its row was inserted and removed by others "
                + ATTEMPTS + " times in a row");
    }

    private SnapshotPolicy policy(ResultSet rs, StatementContext ctx) throws SQLException {
        Optional<Retention> retention = Optional.empty();
        if (rs.getBoolean("has_retention")) {
            int max = rs.getInt("max_count");
            Optional<Integer> maxCount = rs.wasNull() ? Optional.empty() : Optional.of(max);
            long expire = rs.getLong("expire_after_ms");
            Optional<Duration> expireAfter = rs.wasNull() ? Optional.empty() : Optional.of(Duration.ofMillis(expire));
            retention = Optional.of(new Retention(maxCount, expireAfter, rs.getInt("min_count")));
        }
        return new SnapshotPolicy(rs.getString("name"), rs.getString("schedule"), ZoneId.of(rs.getString("time_zone")),
                rs.getString("snapshot_id_template"), CreateOptions.fromParameters(json.read(rs.getString("create_options"))),
                retention, Optional.ofNullable(rs.getString("verify_schedule")));
    }

    private static PolicyRun run(ResultSet rs, StatementContext ctx) throws SQLException {
        String snapshot = rs.getString("snapshot_id");
        String execution = rs.getString("execution_id");
        return new PolicyRun(rs.getString("policy"), PolicyRun.Kind.valueOf(rs.getString("kind")),
                SqlTime.read(rs, "due_at"), SqlTime.read(rs, "recorded_at"),
                PolicyRun.Outcome.valueOf(rs.getString("outcome")),
                snapshot.isEmpty() ? Optional.empty() : Optional.of(SnapshotId.of(snapshot)),
                execution.isEmpty() ? Optional.empty() : Optional.of(ExecutionId.of(execution)),
                rs.getString("detail"));
    }
}
