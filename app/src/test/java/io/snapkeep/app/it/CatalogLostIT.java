package io.snapkeep.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The archives are the record: with the catalog file deleted, emptied, or replaced by an older copy, the next
 * start lists exactly what the store holds (id, status, created_at, size, SHA-256, creator), removes no
 * archive, and says that it rebuilt the catalog; the reconcile command tells the same story without serving.
 */
class CatalogLostIT {
    private static final String PASSWORD = "it-admin-password";
    private static final Duration COMMAND_LIMIT = Duration.ofMinutes(1);

    @TempDir
    Path temp;

    private Path data;
    private Path resources;
    private Path catalogDir;
    private Map<String, String> env;

    @Test
    void a_lost_catalog_is_rebuilt_from_the_store_and_no_archive_is_removed() throws Exception {
        data = Files.createDirectories(temp.resolve("data"));
        resources = data.resolve("resources");
        catalogDir = data.resolve("catalog");
        env = Map.of("SNAPKEEP_ADMIN_PASSWORD", PASSWORD, "SNAPKEEP_SHUTDOWN_GRACE_PERIOD", "10s");

        try (ServerProcess server = ServerProcess.start(data, env)) {
            Api api = new Api(server.uri(), PASSWORD);
            create(api, "a", 1);
            create(api, "b", 2);
            Path a = temp.resolve("a.zip");
            Files.write(a, api.download("a").body());
            Api.check(api.uploadFile("c", a), 201);
            stop(server);
        }
        Path older = copyOf(catalogDir, temp.resolve("older-catalog"));

        Map<String, List<Object>> expected;
        try (ServerProcess server = ServerProcess.start(data, env)) {
            Api api = new Api(server.uri(), PASSWORD);
            create(api, "d", 3);
            Api.check(api.delete("b"), 200);
            expected = rows(api);
            assertThat(expected).containsOnlyKeys("a", "c", "d");

            ServerProcess.Finished locked = ServerProcess.run(data, env, COMMAND_LIMIT, "reconcile", "--dry-run");
            assertThat(locked.exitCode()).as(locked.output()).isEqualTo(1);
            assertThat(locked.output()).contains("stop the server first");
            stop(server);
        }

        // (a) The catalog file is gone.
        deleteContents(catalogDir);
        try (ServerProcess server = ServerProcess.start(data, env)) {
            assertHoldsWhatTheStoreHolds(server, expected);
            assertThat(server.output()).as("a log line says the catalog was rebuilt").containsPattern("(?i)rebuilt");
            stop(server);
        }

        // (b) The catalog file is there but empty: the command first, dry, then for real.
        truncateDatabaseFiles(catalogDir);
        ServerProcess.Finished dry = ServerProcess.run(data, env, COMMAND_LIMIT, "reconcile", "--dry-run");
        assertThat(dry.exitCode()).as(dry.output()).isEqualTo(1);
        assertThat(dry.output()).containsPattern("to import +3: ").contains("a", "c", "d")
                .contains("would be made");
        ServerProcess.Finished real = ServerProcess.run(data, env, COMMAND_LIMIT, "reconcile");
        assertThat(real.exitCode()).as(real.output()).isZero();
        assertThat(real.output()).containsPattern("imported +3: ").contains("catalog rebuilt from the store: yes");
        try (ServerProcess server = ServerProcess.start(data, env)) {
            assertHoldsWhatTheStoreHolds(server, expected);
            stop(server);
        }

        // (c) An older copy: it lacks d, and still lists b, whose archive was deleted since.
        deleteContents(catalogDir);
        copyOf(older, catalogDir);
        try (ServerProcess server = ServerProcess.start(data, env)) {
            assertHoldsWhatTheStoreHolds(server, expected);
            stop(server);
        }
        ServerProcess.Finished after = ServerProcess.run(data, env, COMMAND_LIMIT, "reconcile", "--dry-run");
        assertThat(after.exitCode()).as(after.output()).isZero();
        assertThat(after.output()).contains("Catalog and store agree");
    }

    private void create(Api api, String id, long seed) throws Exception {
        if (Files.exists(resources)) {
            deleteTree(resources);
        }
        Disk.writeTree(resources, seed, 1, 20);
        JsonNode end = api.awaitStatus(api.create(id), Api.END, Duration.ofMinutes(1));
        assertThat(end.path("status").asText()).as(end.toString()).isEqualTo("terminated");
    }

    private static void stop(ServerProcess server) throws Exception {
        assertThat(server.terminate(Duration.ofSeconds(60))).as(server.output()).isEqualTo(143);
    }

    /**
     * The snapshots listed are those of {@code expected}, with the same fields; any other one (b, which only the
     * older catalog knew) is failed without an archive. Every archive is still in the store and downloads whole.
     */
    private void assertHoldsWhatTheStoreHolds(ServerProcess server, Map<String, List<Object>> expected)
            throws Exception {
        Api api = new Api(server.uri(), PASSWORD);
        Map<String, List<Object>> listed = rows(api);
        Map<String, List<Object>> complete = new LinkedHashMap<>(listed);
        complete.keySet().retainAll(expected.keySet());
        assertThat(complete).as(server.output()).isEqualTo(expected);
        for (String other : listed.keySet()) {
            if (!expected.containsKey(other)) {
                assertThat(listed.get(other).get(0)).as(other + " " + listed.get(other)).isEqualTo("failed");
                assertThat(listed.get(other).get(2)).as(other + " " + listed.get(other)).isNull();
            }
        }
        for (Map.Entry<String, List<Object>> e : expected.entrySet()) {
            long size = (Long) e.getValue().get(2);
            String sha = (String) e.getValue().get(3);
            assertThat(Disk.filesHolding(data.resolve("archives"), size, sha)).as("the archive of " + e.getKey())
                    .isNotEmpty();
            HttpResponse<byte[]> download = api.download(e.getKey());
            Api.check(download, 200);
            assertThat(Disk.sha256(download.body())).as(e.getKey()).isEqualTo(sha);
        }
    }

    /** Each snapshot's status, created_at, archive_size, archive_sha256 and created_by, by id. */
    private static Map<String, List<Object>> rows(Api api) throws Exception {
        Map<String, List<Object>> rows = new LinkedHashMap<>();
        for (JsonNode s : api.snapshots()) {
            rows.put(s.path("id").asText(), Arrays.asList(s.path("status").asText(), s.path("created_at").asText(),
                    s.path("archive_size").isNull() ? null : s.path("archive_size").asLong(),
                    s.path("archive_sha256").isNull() ? null : s.path("archive_sha256").asText(),
                    s.path("created_by").asText()));
        }
        return rows;
    }

    private static Path copyOf(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : files.toList()) {
                Files.copy(f, to.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return to;
    }

    private static void deleteContents(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                deleteTree(f);
            }
        }
    }

    /** Every database file of the catalog, cut to 0 bytes. */
    private static void truncateDatabaseFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> databases = files.filter(f -> f.getFileName().toString().endsWith(".db")).toList();
            assertThat(databases).isNotEmpty();
            for (Path f : databases) {
                try (FileChannel c = FileChannel.open(f, StandardOpenOption.WRITE)) {
                    c.truncate(0);
                }
            }
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
