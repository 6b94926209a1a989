package io.snapkeep.catalog.jdbi;

import static io.snapkeep.catalog.jdbi.ListSql.Column.number;
import static io.snapkeep.catalog.jdbi.ListSql.Column.text;
import static io.snapkeep.catalog.jdbi.ListSql.Column.time;

import io.snapkeep.core.domain.ArchiveInfo;
import io.snapkeep.core.domain.ListQuery;
import io.snapkeep.core.domain.Page;
import io.snapkeep.core.domain.Progress;
import io.snapkeep.core.domain.Snapshot;
import io.snapkeep.core.domain.SnapshotField;
import io.snapkeep.core.domain.SnapshotId;
import io.snapkeep.core.domain.SnapshotStatus;
import io.snapkeep.core.error.AlreadyExistsException;
import io.snapkeep.core.port.out.SnapshotCatalog;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.statement.SqlStatement;
import org.jdbi.v3.core.statement.StatementContext;

/** {@link SnapshotCatalog} on the {@code snapshots} table; the primary key makes inserts exclusive. */
final class JdbiSnapshotCatalog implements SnapshotCatalog {
    private static final String COLUMNS = "id, created_at, status, error, created_by, archive_size, archive_sha256,"
            + " processed_bytes, finished_entries, progress_phase, bytes_total, entries_total, bytes_per_second,"
            + " eta_seconds";

    private static final ListSql<SnapshotField> LIST = new ListSql<>(SnapshotField.class, "snapshots", COLUMNS,
            Map.of(SnapshotField.ID, text("id"),
                    SnapshotField.CREATED_AT, time("created_at"),
                    SnapshotField.STATUS, text("status"),
                    SnapshotField.ERROR, text("error"),
                    SnapshotField.CREATED_BY, text("created_by"),
                    SnapshotField.ARCHIVE_SIZE, number("archive_size"),
                    SnapshotField.ARCHIVE_SHA256, text("archive_sha256")),
            "id", "created_at");

    /** An upload has no planned operations (no Cloudify client reads them): only the entries done. */
    private static final String UPLOAD_SET = "processed_bytes = :bytes, finished_entries = :finished,"
            + ProgressColumns.SET;

    private final Database db;

    JdbiSnapshotCatalog(Database db) {
        this.db = db;
    }

    @Override
    public void insert(Snapshot snapshot) {
        db.inTransaction("insert snapshot `" + snapshot.id() + "`", h -> Database.conflictAs(
                () -> new AlreadyExistsException("Snapshot `" + snapshot.id() + "` already exists"),
                () -> bindFields(h.createUpdate("INSERT INTO snapshots (" + COLUMNS + ") VALUES (:id, :created_at,"
                        + " :status, :error, :created_by, :archive_size, :archive_sha256, :bytes, :finished, :phase,"
                        + " :bytes_total, :entries_total, :bytes_per_second, :eta_seconds)"), snapshot).execute()));
    }

    @Override
    public Optional<Snapshot> find(SnapshotId id) {
        return db.inTransaction("read snapshot `" + id + "`", h ->
                h.createQuery("SELECT " + COLUMNS + " FROM snapshots WHERE id = :id")
                        .bind("id", id.value())
                        .map(JdbiSnapshotCatalog::map)
                        .findOne());
    }

    @Override
    public boolean update(SnapshotStatus expected, Snapshot updated) {
        return db.inTransaction("update snapshot `" + updated.id() + "`", h ->
                bindFields(h.createUpdate("UPDATE snapshots SET created_at = :created_at, status = :status,"
                        + " error = :error, created_by = :created_by, archive_size = :archive_size,"
                        + " archive_sha256 = :archive_sha256, " + UPLOAD_SET + " WHERE id = :id"
                        + " AND status = :expected"), updated)
                        .bind("expected", expected.wireName())
                        .execute() == 1);
    }

    /** One statement: a poller and another node see the figures, and the status decides, as in {@link #update}. */
    @Override
    public boolean updateUploadProgress(SnapshotId id, Progress progress) {
        return db.inTransaction("record upload progress of snapshot `" + id + "`", h ->
                ProgressColumns.bind(h.createUpdate("UPDATE snapshots SET " + UPLOAD_SET
                                + " WHERE id = :id AND status = :uploading"), progress)
                        .bind("id", id.value())
                        .bind("uploading", SnapshotStatus.UPLOADING.wireName())
                        .execute() == 1);
    }

    @Override
    public boolean delete(SnapshotId id) {
        return db.inTransaction("delete snapshot `" + id + "`", h ->
                h.createUpdate("DELETE FROM snapshots WHERE id = :id").bind("id", id.value()).execute() == 1);
    }

    @Override
    public List<Snapshot> findByStatus(Set<SnapshotStatus> statuses) {
        if (statuses.isEmpty()) {
            return List.of();
        }
        List<String> names = statuses.stream().map(SnapshotStatus::wireName).sorted().toList();
        return db.inTransaction("find snapshots by status", h ->
                h.createQuery("SELECT " + COLUMNS + " FROM snapshots WHERE status IN (<statuses>)"
                                + " ORDER BY created_at ASC, id ASC")
                        .bindList("statuses", names)
                        .map(JdbiSnapshotCatalog::map)
                        .list());
    }

    @Override
    public Map<SnapshotStatus, Long> countByStatus() {
        return db.inTransaction("count snapshots by status", h -> {
            Map<SnapshotStatus, Long> counts = new EnumMap<>(SnapshotStatus.class);
            h.createQuery("SELECT status, COUNT(*) AS n FROM snapshots GROUP BY status")
                    .map((rs, ctx) -> Map.entry(SnapshotStatus.fromWireName(rs.getString("status")), rs.getLong("n")))
                    .forEach(e -> counts.put(e.getKey(), e.getValue()));
            return counts;
        });
    }

    @Override
    public Page<Snapshot> list(ListQuery<SnapshotField> query) {
        return db.inTransaction("list snapshots", h -> LIST.page(h, query, JdbiSnapshotCatalog::map));
    }

    private static <S extends SqlStatement<S>> S bindFields(S statement, Snapshot s) {
        ArchiveInfo archive = s.archive();
        statement
                .bind("id", s.id().value())
                .bind("created_at", SqlTime.of(s.createdAt()))
                .bind("status", s.status().wireName())
                .bind("error", s.error())
                .bind("created_by", s.createdBy())
                .bind("archive_size", archive == null ? null : archive.size())
                .bind("archive_sha256", archive == null ? null : archive.sha256());
        return ProgressColumns.bind(statement, s.upload());
    }

    private static Snapshot map(ResultSet rs, StatementContext ctx) throws SQLException {
        String sha = rs.getString("archive_sha256");
        long size = rs.getLong("archive_size");
        ArchiveInfo archive = sha == null ? null : new ArchiveInfo(size, sha);
        return new Snapshot(SnapshotId.of(rs.getString("id")), SqlTime.read(rs, "created_at"),
                SnapshotStatus.fromWireName(rs.getString("status")), rs.getString("error"),
                rs.getString("created_by"), archive,
                ProgressColumns.read(rs, 0, "finished_entries", "processed_bytes"));
    }
}
