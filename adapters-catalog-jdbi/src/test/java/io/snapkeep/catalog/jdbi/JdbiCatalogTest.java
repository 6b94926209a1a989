package io.snapkeep.catalog.jdbi;

import io.snapkeep.core.testing.Races;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snapkeep.core.domain.ArchiveInfo;
import io.snapkeep.core.domain.EventQuery;
import io.snapkeep.core.domain.Execution;
import io.snapkeep.core.domain.ExecutionEvent;
import io.snapkeep.core.domain.ExecutionStatus;
import io.snapkeep.core.domain.ListQuery;
import io.snapkeep.core.domain.Page;
import io.snapkeep.core.domain.Progress;
import io.snapkeep.core.domain.Snapshot;
import io.snapkeep.core.domain.SnapshotField;
import io.snapkeep.core.domain.SnapshotId;
import io.snapkeep.core.domain.Sort;
import io.snapkeep.core.domain.Workflow;
import io.snapkeep.core.error.AlreadyExistsException;
import io.snapkeep.core.error.StorageUnavailableException;
import io.snapkeep.core.testing.InMemorySnapshotCatalog;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the contract suites cannot see: the file, a second instance, volume, and a database that is gone. */
class JdbiCatalogTest {
    private static final Instant T0 = Instant.parse("2026-11-28T12:00:00.123Z");
    private static final String SHA = "cd".repeat(32);

    @TempDir
    Path dir;

    private static Execution execution(String snapshot, boolean queued) {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("force", false);
        params.put("tenant_name", null);
        params.put("snapshot_id", snapshot);
        return Execution.newExecution(Workflow.RESTORE_SNAPSHOT, SnapshotId.of(snapshot), params, "admin", T0,
                queued);
    }

    @Test
    void a_reopened_database_file_holds_everything_written_before() {
        Snapshot snapshot = Snapshot.creating(SnapshotId.of("kept"), "admin", T0).created(new ArchiveInfo(42, SHA));
        Execution running = execution("kept", false).started(T0.plusSeconds(1));
        Execution queued = execution("kept", true);
        ExecutionEvent event = ExecutionEvent.event(running, T0.plusSeconds(2), "workflow_started", "Starting");
        try (JdbiCatalog first = TestDatabases.open(dir)) {
            first.snapshots().insert(snapshot);
            first.executions().insert(running);
            first.executions().insert(queued);
            assertThat(first.executions().updateProgress(running.id(), new Progress(3, 1, 99))).isTrue();
            first.events().append(event);
        }
        try (JdbiCatalog second = TestDatabases.open(dir)) {
            assertThat(second.snapshots().find(snapshot.id())).contains(snapshot);
            assertThat(second.executions().find(running.id()))
                    .contains(running.progressed(new Progress(3, 1, 99)));
            Map<String, Object> parameters = second.executions().find(queued.id()).orElseThrow().parameters();
            assertThat(parameters).isEqualTo(queued.parameters()).containsEntry("tenant_name", null);
            assertThat(parameters.keySet()).as("in insertion order").containsExactly("force", "tenant_name",
                    "snapshot_id");
            assertThat(second.events().read(EventQuery.all(running.id())).items()).containsExactly(event);
            assertThatThrownBy(() -> second.snapshots().insert(snapshot)).isInstanceOf(AlreadyExistsException.class);
        }
    }

    @Test
    void of_two_catalogs_on_one_file_racing_to_insert_one_snapshot_id_exactly_one_wins() throws Exception {
        String url = TestDatabases.fileUrl(dir) + ";AUTO_SERVER=TRUE";
        try (JdbiCatalog a = JdbiCatalog.open(url, TestDatabases.USER, TestDatabases.PASSWORD);
             JdbiCatalog b = JdbiCatalog.open(url, TestDatabases.USER, TestDatabases.PASSWORD)) {
            List<Callable<Boolean>> racers = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                JdbiCatalog side = i % 2 == 0 ? a : b;
                Snapshot s = Snapshot.creating(SnapshotId.of("contested"), "racer" + i, T0);
                racers.add(() -> {
                    try {
                        side.snapshots().insert(s);
                        return true;
                    } catch (AlreadyExistsException e) {
                        return false;
                    }
                });
            }
            assertThat(Races.winners(racers)).isEqualTo(1);
            assertThat(b.snapshots().list(ListQuery.all()).total()).isEqualTo(1);
        }
    }

    @Test
    void of_two_catalogs_on_one_file_racing_to_take_the_execution_slot_exactly_one_wins() throws Exception {
        String url = TestDatabases.fileUrl(dir) + ";AUTO_SERVER=TRUE";
        try (JdbiCatalog a = JdbiCatalog.open(url, TestDatabases.USER, TestDatabases.PASSWORD);
             JdbiCatalog b = JdbiCatalog.open(url, TestDatabases.USER, TestDatabases.PASSWORD)) {
            List<Callable<Boolean>> racers = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                JdbiCatalog side = i % 2 == 0 ? a : b;
                Execution e = execution("s" + i, false);
                racers.add(() -> side.executions().insertIfNoneActive(e));
            }
            assertThat(Races.winners(racers)).isEqualTo(1);
            assertThat(a.executions().list(ListQuery.all()).items())
                    .singleElement().extracting(Execution::status).isEqualTo(ExecutionStatus.PENDING);
        }
    }

    @Test
    void ten_thousand_snapshots_list_page_by_page_filtered_and_sorted_by_two_keys() throws Exception {
        int count = 10_000;
        List<Snapshot> all = new ArrayList<>();
        String[] users = {"carol", "alice", "bob"};
        for (int i = 0; i < count; i++) {
            // Few distinct times and users, so that both sort keys and the tie-breaks all matter.
            Snapshot s = Snapshot.creating(SnapshotId.of(String.format("snap-%05d", (i * 7919) % count)),
                    users[i % users.length], T0.plusSeconds(i % 37));
            all.add(switch (i % 4) {
                case 0 -> s.created(new ArchiveInfo(i, SHA));
                case 1 -> s.failed("broke " + i);
                case 2 -> s;
                default -> Snapshot.uploading(s.id(), s.createdBy(), s.createdAt()).uploaded(new ArchiveInfo(i, SHA));
            });
        }
        InMemorySnapshotCatalog expected = new InMemorySnapshotCatalog();
        all.forEach(expected::insert);
        try (JdbiCatalog catalog = TestDatabases.open(dir)) {
            insertInOneBatch(all);
            ListQuery<SnapshotField> query = ListQuery.<SnapshotField>all()
                    .withFilter(SnapshotField.STATUS, "created", "creating")
                    .sortedBy(Sort.asc(SnapshotField.CREATED_BY), Sort.desc(SnapshotField.CREATED_AT));
            List<String> listed = new ArrayList<>();
            int pageSize = 700;
            for (long offset = 0; ; offset += pageSize) {
                Page<Snapshot> page = catalog.snapshots().list(query.page(offset, pageSize));
                assertThat(page.total()).isEqualTo(count / 2);
                assertThat(page.items()).isEqualTo(expected.list(query.page(offset, pageSize)).items());
                if (page.items().isEmpty()) {
                    break;
                }
                page.items().forEach(s -> listed.add(s.id().value()));
            }
            assertThat(listed).hasSize(count / 2).doesNotHaveDuplicates();
        }
    }

    /** Writes the rows straight through JDBC in one batch: the public API inserts one row per transaction. */
    private void insertInOneBatch(List<Snapshot> snapshots) throws Exception {
        try (var connection = java.sql.DriverManager.getConnection(TestDatabases.fileUrl(dir), TestDatabases.USER,
                TestDatabases.PASSWORD);
             var insert = connection.prepareStatement("INSERT INTO snapshots (id, created_at, status, error,"
                     + " created_by, archive_size, archive_sha256) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            connection.setAutoCommit(false);
            for (Snapshot s : snapshots) {
                insert.setString(1, s.id().value());
                insert.setObject(2, s.createdAt().atOffset(java.time.ZoneOffset.UTC));
                insert.setString(3, s.status().wireName());
                insert.setString(4, s.error());
                insert.setString(5, s.createdBy());
                insert.setObject(6, s.archive() == null ? null : s.archive().size(), java.sql.Types.BIGINT);
                insert.setString(7, s.archive() == null ? null : s.archive().sha256());
                insert.addBatch();
            }
            insert.executeBatch();
            connection.commit();
        }
    }

    @Test
    void filters_compare_times_and_numbers_by_their_text_form() {
        try (JdbiCatalog catalog = TestDatabases.open(dir)) {
            catalog.snapshots().insert(Snapshot.creating(SnapshotId.of("big"), "admin", T0)
                    .created(new ArchiveInfo(300, SHA)));
            catalog.snapshots().insert(Snapshot.creating(SnapshotId.of("later"), "admin", T0.plusSeconds(1)));
            ListQuery<SnapshotField> all = ListQuery.all();
            assertThat(ids(catalog.snapshots().list(all.withFilter(SnapshotField.CREATED_AT,
                    "2026-11-28T12:00:00.123Z")))).containsExactly("big");
            assertThat(catalog.snapshots().list(all.withFilter(SnapshotField.CREATED_AT,
                    "2026-11-28T12:00:00.123000Z", "2026-11-28T13:00:00.123+01:00", "yesterday")).total())
                    .as("other spellings of the same instant are other texts").isZero();
            assertThat(ids(catalog.snapshots().list(all.withFilter(SnapshotField.ARCHIVE_SIZE, "300", "0300", "x"))))
                    .containsExactly("big");
            assertThat(catalog.snapshots().list(all.withFilter(SnapshotField.STATUS)).total())
                    .as("a filter with no values matches nothing").isZero();
        }
    }

    private static List<String> ids(Page<Snapshot> page) {
        return page.items().stream().map(s -> s.id().value()).toList();
    }

    @Test
    void an_unreachable_database_is_storage_unavailable_without_the_password() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        String url = "jdbc:h2:tcp://127.0.0.1:" + closedPort + "/./catalog";
        assertThatThrownBy(() -> JdbiCatalog.open(url, TestDatabases.USER, TestDatabases.PASSWORD))
                .isInstanceOf(StorageUnavailableException.class)
                .hasMessageContaining("127.0.0.1:" + closedPort)
                .hasMessageNotContaining(TestDatabases.PASSWORD);
    }

    @Test
    void a_closed_catalog_reports_storage_unavailable() {
        JdbiCatalog catalog = TestDatabases.open(dir);
        catalog.close();
        assertThatThrownBy(() -> catalog.snapshots().find(SnapshotId.of("any")))
                .isInstanceOf(StorageUnavailableException.class);
    }

    @Test
    void a_password_in_the_url_is_masked_in_messages() {
        assertThat(JdbiCatalog.describe("jdbc:postgresql://db/snapkeep?user=s&password=hunter2&ssl=true"))
                .doesNotContain("hunter2").contains("password=******").contains("ssl=true");
        assertThat(JdbiCatalog.describe("jdbc:h2:./x;PASSWORD=hunter2;AUTO_SERVER=TRUE"))
                .doesNotContain("hunter2").contains("PASSWORD=******").contains("AUTO_SERVER=TRUE");
    }
}
