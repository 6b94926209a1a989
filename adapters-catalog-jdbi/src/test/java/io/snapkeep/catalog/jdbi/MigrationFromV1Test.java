package io.snapkeep.catalog.jdbi;

import static org.assertj.core.api.Assertions.assertThat;

import io.snapkeep.core.domain.EventQuery;
import io.snapkeep.core.domain.Execution;
import io.snapkeep.core.domain.ExecutionId;
import io.snapkeep.core.domain.ExecutionStatus;
import io.snapkeep.core.domain.SnapshotId;
import io.snapkeep.core.domain.SnapshotStatus;
import io.snapkeep.core.port.out.NodeCatalog.NodeLease;
import io.snapkeep.core.port.out.TokenCatalog.StoredToken;
import io.snapkeep.core.testing.LocalPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.Set;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A catalog written before version 2 opens, migrates, and keeps every row it had. */
class MigrationFromV1Test {
    private static final Instant T0 = Instant.parse("2026-11-28T12:00:00.123Z");
    private static final String RUNNING = "00000000-0000-4000-8000-000000000001";
    private static final String QUEUED = "00000000-0000-4000-8000-000000000002";

    @TempDir
    Path dir;

    @Test
    void an_h2_file_of_version_1_migrates_and_keeps_its_rows() throws Exception {
        String url = TestDatabases.fileUrl(dir);
        writeVersion1(url, TestDatabases.USER, TestDatabases.PASSWORD);
        try (JdbiCatalog catalog = TestDatabases.open(dir)) {
            checkMigrated(catalog);
        }
        try (JdbiCatalog reopened = TestDatabases.open(dir)) {
            assertThat(reopened.executions().find(ExecutionId.of(QUEUED))).map(Execution::node).contains("node-a");
            assertThat(reopened.nodes().nodes()).extracting(NodeLease::node).containsExactly("node-a");
        }
    }

    @Test
    void a_postgresql_database_of_version_1_migrates_and_keeps_its_rows() throws Exception {
        LocalPostgres server = LocalPostgres.get();
        String url = server.createDatabase();
        writeVersion1(url, server.user(), server.password());
        try (JdbiCatalog catalog = JdbiCatalog.open(url, server.user(), server.password())) {
            checkMigrated(catalog);
        }
    }

    /** Migrates to version 1 only, then writes rows as a catalog of that version did. */
    private static void writeVersion1(String url, String user, String password) throws Exception {
        Flyway.configure().dataSource(url, user, password).locations(JdbiCatalog.MIGRATIONS)
                .table(JdbiCatalog.HISTORY_TABLE).target("1").load().migrate();
        try (Connection c = DriverManager.getConnection(url, user, password); Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO snapshots (id, created_at, status, error, created_by, archive_size,"
                    + " archive_sha256) VALUES ('old', TIMESTAMP WITH TIME ZONE '2026-11-28 12:00:00.123+00',"
                    + " 'created', '', 'admin', 42, '" + "ab".repeat(32) + "')");
            for (String[] row : new String[][] {{RUNNING, "started", "TIMESTAMP WITH TIME ZONE"
                    + " '2026-11-28 12:00:01.000+00'"}, {QUEUED, "queued", "NULL"}}) {
                s.executeUpdate("INSERT INTO executions (id, workflow_id, snapshot_id, status, error, created_at,"
                        + " started_at, ended_at, created_by, parameters, total_operations, finished_operations,"
                        + " processed_bytes) VALUES ('" + row[0] + "', 'create_snapshot', 'old', '" + row[1] + "',"
                        + " '', TIMESTAMP WITH TIME ZONE '2026-11-28 12:00:00.123+00', " + row[2] + ", NULL,"
                        + " 'admin', '{\"snapshot_id\":\"old\"}', 3, 1, 99)");
            }
            s.executeUpdate("INSERT INTO execution_events (execution_id, workflow_id, occurred_at, kind, event_type,"
                    + " log_level, message) VALUES ('" + RUNNING + "', 'create_snapshot',"
                    + " TIMESTAMP WITH TIME ZONE '2026-11-28 12:00:02.000+00', 'EVENT', 'workflow_started', NULL,"
                    + " 'Starting')");
        }
    }

    private static void checkMigrated(JdbiCatalog catalog) {
        assertThat(catalog.snapshots().find(SnapshotId.of("old"))).hasValueSatisfying(s -> {
            assertThat(s.status()).isEqualTo(SnapshotStatus.CREATED);
            assertThat(s.archive().size()).isEqualTo(42);
        });
        Execution running = catalog.executions().find(ExecutionId.of(RUNNING)).orElseThrow();
        assertThat(running.status()).isEqualTo(ExecutionStatus.STARTED);
        assertThat(running.node()).as("no node claimed it").isEmpty();
        assertThat(running.parameters()).containsEntry("snapshot_id", "old");
        assertThat(catalog.events().read(EventQuery.all(running.id())).items()).singleElement()
                .extracting(e -> e.message()).isEqualTo("Starting");

        assertThat(catalog.executions().beginFinish(running.id())).as("not finishing before").isTrue();
        assertThat(catalog.executions().update(ExecutionStatus.STARTED, running.cancelling())).isFalse();
        assertThat(catalog.executions().update(ExecutionStatus.STARTED, running.terminated(T0.plusSeconds(5))))
                .isTrue();
        assertThat(catalog.executions().promoteNextQueued("node-a")).map(e -> e.id().value()).contains(QUEUED);

        catalog.nodes().join(new NodeLease("node-a", "i1", T0, T0.plusSeconds(30)));
        assertThat(catalog.nodes().tryLock("l", "node-a", "i1", T0)).isTrue();
        StoredToken token = new StoredToken("t1", "cd".repeat(32), "admin", Set.of("admin"), T0, T0.plusSeconds(60));
        assertThat(catalog.tokens().insert(token, 5)).isEmpty();
        assertThat(catalog.tokens().findByDigest(token.digest())).contains(token);
    }
}
