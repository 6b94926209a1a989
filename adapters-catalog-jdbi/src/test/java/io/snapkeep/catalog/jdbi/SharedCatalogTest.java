package io.snapkeep.catalog.jdbi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snapkeep.core.domain.Execution;
import io.snapkeep.core.domain.ExecutionStatus;
import io.snapkeep.core.domain.ListQuery;
import io.snapkeep.core.domain.SnapshotId;
import io.snapkeep.core.domain.Workflow;
import io.snapkeep.core.error.StorageUnavailableException;
import io.snapkeep.core.port.out.NodeCatalog.NodeLease;
import io.snapkeep.core.testing.LocalPostgres;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One database, several catalogs on it, each with a pool of its own as separate processes would have: on an
 * H2 file shared through AUTO_SERVER and on PostgreSQL. Also which URLs count as shared by processes.
 */
class SharedCatalogTest {
    private static final Instant T0 = Instant.parse("2026-11-28T12:00:00.123Z");
    private static final int RACERS = 8;

    @TempDir
    Path dir;

    @Test
    void embedded_h2_is_one_processs_and_every_server_database_is_shared() {
        assertThat(JdbiCatalog.isSharedByProcesses("jdbc:h2:/var/lib/snapkeep/catalog")).isFalse();
        assertThat(JdbiCatalog.isSharedByProcesses("jdbc:h2:./catalog;WRITE_DELAY=0")).isFalse();
        assertThat(JdbiCatalog.isSharedByProcesses("jdbc:h2:mem:catalog")).isFalse();
        assertThat(JdbiCatalog.isSharedByProcesses("jdbc:h2:mem:catalog;AUTO_SERVER=TRUE")).isFalse();
        assertThat(JdbiCatalog.isSharedByProcesses("jdbc:h2:./catalog;AUTO_SERVER=FALSE")).isFalse();
        assertThat(JdbiCatalog.isSharedByProcesses("jdbc:h2:./catalog;auto_server=true")).isTrue();
        assertThat(JdbiCatalog.isSharedByProcesses("jdbc:h2:tcp://127.0.0.1:9092/./catalog")).isTrue();
        assertThat(JdbiCatalog.isSharedByProcesses("jdbc:h2:ssl://127.0.0.1:9092/./catalog")).isTrue();
        assertThat(JdbiCatalog.isSharedByProcesses("jdbc:postgresql://127.0.0.1:5432/snapkeep")).isTrue();
        try (JdbiCatalog embedded = TestDatabases.open(dir)) {
            assertThat(embedded.isSharedByProcesses()).isFalse();
        }
    }

    @Test
    void catalogs_sharing_an_h2_file_race_for_locks_with_exactly_one_winner() throws Exception {
        String url = TestDatabases.fileUrl(dir) + ";AUTO_SERVER=TRUE";
        try (JdbiCatalog a = JdbiCatalog.open(url, TestDatabases.USER, TestDatabases.PASSWORD);
             JdbiCatalog b = JdbiCatalog.open(url, TestDatabases.USER, TestDatabases.PASSWORD)) {
            assertThat(a.isSharedByProcesses()).isTrue();
            raceForLocks(a, b);
        }
    }

    @Test
    void catalogs_sharing_a_postgresql_database_race_for_locks_and_the_slot_with_exactly_one_winner()
            throws Exception {
        LocalPostgres server = LocalPostgres.get();
        String url = server.createDatabase();
        try (JdbiCatalog a = JdbiCatalog.open(url, server.user(), server.password());
             JdbiCatalog b = JdbiCatalog.open(url, server.user(), server.password())) {
            assertThat(a.isSharedByProcesses()).isTrue();
            raceForLocks(a, b);
            List<Callable<Boolean>> racers = new ArrayList<>();
            for (int i = 0; i < RACERS; i++) {
                JdbiCatalog side = i % 2 == 0 ? a : b;
                Execution e = Execution.newExecution(Workflow.CREATE_SNAPSHOT, SnapshotId.of("s" + i), Map.of(),
                        "admin", T0, false);
                racers.add(() -> side.executions().insertIfNoneActive(e));
            }
            assertThat(race(racers)).isEqualTo(1);
            assertThat(b.executions().list(ListQuery.all()).items()).singleElement()
                    .extracting(Execution::status).isEqualTo(ExecutionStatus.PENDING);
        }
    }

    /** Racers on both catalogs take a free lock, then a lock whose holder's lease ran out. */
    private static void raceForLocks(JdbiCatalog a, JdbiCatalog b) throws Exception {
        Instant expired = T0.plusSeconds(30);
        a.nodes().join(new NodeLease("dead", "d1", T0, expired));
        assertThat(b.nodes().tryLock("held-by-the-dead", "dead", "d1", T0)).isTrue();
        for (int i = 0; i < RACERS; i++) {
            (i % 2 == 0 ? a : b).nodes().join(new NodeLease("n" + i, "i" + i, T0, T0.plusSeconds(300)));
        }
        for (String lock : List.of("free", "held-by-the-dead")) {
            List<Callable<Boolean>> racers = new ArrayList<>();
            for (int i = 0; i < RACERS; i++) {
                JdbiCatalog side = i % 2 == 0 ? a : b;
                String node = "n" + i;
                String instance = "i" + i;
                racers.add(() -> side.nodes().tryLock(lock, node, instance, expired));
            }
            assertThat(race(racers)).as(lock).isEqualTo(1);
            assertThat(a.nodes().lockHolder(lock, expired)).isEqualTo(b.nodes().lockHolder(lock, expired))
                    .hasValueSatisfying(holder -> assertThat(holder).startsWith("n"));
        }
    }

    @Test
    void an_unreachable_postgresql_server_is_storage_unavailable_without_the_password() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            closedPort = socket.getLocalPort();
        }
        assertThatThrownBy(() -> JdbiCatalog.open("jdbc:postgresql://127.0.0.1:" + closedPort + "/snapkeep",
                "snapkeep", "not-this-secret"))
                .isInstanceOf(StorageUnavailableException.class)
                .hasMessageContaining("127.0.0.1:" + closedPort)
                .hasMessageNotContaining("not-this-secret");
        assertThatThrownBy(() -> JdbiCatalog.open("jdbc:nosuchdb://127.0.0.1/x?password=not-this-secret", null, null))
                .as("no driver takes the URL")
                .isInstanceOf(StorageUnavailableException.class)
                .hasMessageContaining("jdbc:nosuchdb://127.0.0.1/x")
                .hasMessageNotContaining("not-this-secret");
    }

    @Test
    void a_closed_postgresql_catalog_is_storage_unavailable_and_has_given_its_connections_back()
            throws Exception {
        LocalPostgres server = LocalPostgres.get();
        String url = server.createDatabase();
        JdbiCatalog catalog = JdbiCatalog.open(url, server.user(), server.password());
        catalog.nodes().nodes();
        catalog.close();
        catalog.close();
        assertThatThrownBy(() -> catalog.nodes().nodes()).isInstanceOf(StorageUnavailableException.class);
        // PostgreSQL refuses to drop a database while any connection to it is open.
        try (Connection c = DriverManager.getConnection(server.jdbcUrl("postgres"), server.user(),
                server.password()); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE " + url.substring(url.lastIndexOf('/') + 1));
        }
    }

    /** Starts every racer at once; the number that returned true. */
    private static int race(List<Callable<Boolean>> racers) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(racers.size());
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (Callable<Boolean> racer : racers) {
                results.add(pool.submit(() -> {
                    start.await();
                    return racer.call();
                }));
            }
            start.countDown();
            int wins = 0;
            for (Future<Boolean> f : results) {
                wins += f.get(60, TimeUnit.SECONDS) ? 1 : 0;
            }
            return wins;
        } finally {
            pool.shutdownNow();
        }
    }
}
