package io.snapkeep.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damage at rest: an archive file in the store with one byte flipped, or cut short. A download of it is cut
 * before its end (fewer bytes than its Content-Length), so no client takes it for whole; the snapshot turns
 * {@code failed} with "archive damaged"; {@code verify} finds the same; a whole archive verifies valid.
 */
class DamageIT {
    private static final String PASSWORD = "it-admin-password";
    private static final String DAMAGED = "archive damaged";

    @TempDir
    Path temp;

    @Test
    void a_damaged_archive_is_never_served_as_whole_and_its_snapshot_fails() throws Exception {
        Path data = Files.createDirectories(temp.resolve("data"));
        Path resources = data.resolve("resources");
        Map<String, String> env = Map.of("SNAPKEEP_ADMIN_PASSWORD", PASSWORD);
        try (ServerProcess server = ServerProcess.start(data, env)) {
            Api api = new Api(server.uri(), PASSWORD);
            Map<String, JsonNode> snapshots = new LinkedHashMap<>();
            long seed = 1;
            for (String id : List.of("flipped-download", "cut-download", "flipped-verify", "cut-verify", "whole")) {
                if (Files.exists(resources)) {
                    deleteTree(resources);
                }
                Disk.writeTree(resources, seed++, 2, 10);
                JsonNode end = api.awaitStatus(api.create(id), Api.END, Duration.ofMinutes(1));
                assertThat(end.path("status").asText()).as(end.toString()).isEqualTo("terminated");
                snapshots.put(id, api.snapshot(id).orElseThrow());
            }

            Path archives = data.resolve("archives");
            Disk.flipOneByte(storedFile(archives, snapshots.get("flipped-download")));
            Disk.flipOneByte(storedFile(archives, snapshots.get("flipped-verify")));
            cutShort(storedFile(archives, snapshots.get("cut-download")));
            cutShort(storedFile(archives, snapshots.get("cut-verify")));

            for (String id : List.of("flipped-download", "cut-download")) {
                long size = snapshots.get(id).path("archive_size").asLong();
                assertThat(bytesOfADownload(api, id, size)).as("bytes served of damaged " + id).isLessThan(size);
                assertFailedAsDamaged(api, id, server);
            }
            for (String id : List.of("flipped-verify", "cut-verify")) {
                HttpResponse<String> verify = api.verify(id);
                Api.check(verify, 200);
                JsonNode result = Api.json(verify.body());
                assertThat(result.path("id").asText()).isEqualTo(id);
                assertThat(result.path("valid").asBoolean()).as(verify.body()).isFalse();
                assertThat(result.path("error").asText()).as(verify.body()).isNotBlank();
                assertFailedAsDamaged(api, id, server);
            }

            HttpResponse<String> whole = api.verify("whole");
            Api.check(whole, 200);
            assertThat(Api.json(whole.body())).isEqualTo(Api.json("{\"id\":\"whole\",\"valid\":true,\"error\":\"\"}"));
            assertThat(api.snapshot("whole").orElseThrow()).isEqualTo(snapshots.get("whole"));
            HttpResponse<byte[]> download = api.download("whole");
            Api.check(download, 200);
            assertThat(Disk.sha256(download.body())).isEqualTo(snapshots.get("whole").path("archive_sha256").asText());
        }
    }

    private static void assertFailedAsDamaged(Api api, String id, ServerProcess server) throws Exception {
        JsonNode after = api.snapshot(id).orElseThrow();
        assertThat(after.path("status").asText()).as(after + "\n" + server.output()).isEqualTo("failed");
        assertThat(after.path("error").asText()).as(after.toString()).startsWith(DAMAGED);
    }

    /** Reads the download to its end, or to where the server cut it; returns how many bytes came. */
    private static long bytesOfADownload(Api api, String id, long size) throws Exception {
        HttpResponse<InputStream> r = api.openDownload(id);
        Api.check(r, 200);
        assertThat(r.headers().firstValueAsLong("Content-Length")).as("Content-Length of " + id).hasValue(size);
        long read = 0;
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = r.body()) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                read += n;
            }
        } catch (IOException cut) {
            // The server closed the connection before the end: what a damaged archive must get.
        }
        return read;
    }

    /** The one file in the store holding this snapshot's archive, whatever the layout calls it. */
    private static Path storedFile(Path archives, JsonNode snapshot) throws IOException {
        List<Path> files = Disk.filesHolding(archives, snapshot.path("archive_size").asLong(),
                snapshot.path("archive_sha256").asText());
        assertThat(files).as("the stored archive of " + snapshot).hasSize(1);
        return files.get(0);
    }

    private static void cutShort(Path file) throws IOException {
        try (FileChannel c = FileChannel.open(file, StandardOpenOption.WRITE)) {
            c.truncate(c.size() * 2 / 3);
            c.force(true);
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
