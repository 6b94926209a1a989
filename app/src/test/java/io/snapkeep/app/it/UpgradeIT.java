package io.snapkeep.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A data directory written by the previous release (release 0.1.0, fs storage, H2 catalog; see
 * {@code fixtures/README.md}) opened by this one: the same snapshots are listed with the same ids, sizes,
 * digests and creators, each downloads whole, a restore works, and a second start and the reconcile command
 * find nothing left to do.
 */
class UpgradeIT {
    private static final String PASSWORD = "it-admin-password";
    private static final String FIXTURE = "/fixtures/release-0.1.0-fs-data";

    @TempDir
    Path temp;

    @Test
    void the_previous_release_s_data_directory_opens_with_every_snapshot() throws Exception {
        try (InputStream tar = getClass().getResourceAsStream(FIXTURE + ".tar.gz")) {
            Disk.untarGz(tar, temp);
        }
        Path data = temp.resolve("data");
        JsonNode expected;
        try (InputStream json = getClass().getResourceAsStream(FIXTURE + ".expected.json")) {
            expected = Api.JSON.readTree(json);
        }
        Map<String, String> env = Map.of("SNAPKEEP_ADMIN_PASSWORD", PASSWORD);

        try (ServerProcess server = ServerProcess.start(data, env)) {
            Api api = new Api(server.uri(), PASSWORD);
            assertListed(api, expected, server);
            for (JsonNode e : expected) {
                String id = e.path("id").asText();
                HttpResponse<byte[]> download = api.download(id);
                Api.check(download, 200);
                assertThat(download.body()).as(id).hasSize(e.path("archive_size").intValue());
                assertThat(Disk.sha256(download.body())).as(id).isEqualTo(e.path("archive_sha256").asText());
            }

            Path first = temp.resolve("first.zip");
            Files.write(first, api.download("first").body());
            Files.writeString(data.resolve("resources/greeting.txt"), "changed since the old release");
            JsonNode restored = api.awaitStatus(api.restore("first"), Api.END, Duration.ofMinutes(1));
            assertThat(restored.path("status").asText()).as(restored.toString()).isEqualTo("terminated");
            assertTreesHoldTheArchive(data, first);
        }

        try (ServerProcess server = ServerProcess.start(data, env)) {
            assertListed(new Api(server.uri(), PASSWORD), expected, server);
        }
        ServerProcess.Finished dryRun = ServerProcess.run(data, env, Duration.ofMinutes(1), "reconcile", "--dry-run");
        assertThat(dryRun.exitCode()).as(dryRun.output()).isZero();
    }

    private static void assertListed(Api api, JsonNode expected, ServerProcess server) throws Exception {
        Map<String, List<Object>> want = new LinkedHashMap<>();
        for (JsonNode e : expected) {
            want.put(e.path("id").asText(), List.of(e.path("created_by").asText(), e.path("archive_size").asLong(),
                    e.path("archive_sha256").asText()));
        }
        Map<String, List<Object>> listed = new LinkedHashMap<>();
        for (JsonNode s : api.snapshots()) {
            listed.put(s.path("id").asText(), List.of(s.path("created_by").asText(), s.path("archive_size").asLong(),
                    s.path("archive_sha256").asText()));
            assertThat(s.path("status").asText()).as(s.toString()).isIn("created", "uploaded");
        }
        assertThat(listed).as(server.output()).containsExactlyInAnyOrderEntriesOf(want);
        assertThat(api.snapshot("copy-of-first").orElseThrow().path("status").asText()).isEqualTo("uploaded");
    }

    /** Every file entry of every participant in {@code archive} is in that participant's tree, byte for byte. */
    private static void assertTreesHoldTheArchive(Path data, Path archive) throws Exception {
        List<String> compared = new ArrayList<>();
        try (ZipFile zip = new ZipFile(archive.toFile())) {
            for (ZipEntry entry : java.util.Collections.list(zip.entries())) {
                String[] parts = entry.getName().split("/", 4);
                if (entry.isDirectory() || parts.length < 4 || !parts[0].equals("participants")
                        || !parts[2].equals("files")) {
                    continue;
                }
                Path onDisk = data.resolve(parts[1]).resolve(parts[3]);
                try (InputStream in = zip.getInputStream(entry)) {
                    assertThat(onDisk).as(entry.getName()).hasBinaryContent(in.readAllBytes());
                }
                compared.add(entry.getName());
            }
        }
        assertThat(compared).contains("participants/resources/files/greeting.txt");
    }
}
