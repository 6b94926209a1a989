package io.snapkeep.app.it;

import static io.snapkeep.core.testing.FileModes.mode;
import static io.snapkeep.core.testing.FileModes.modesUnder;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.http.HttpResponse;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged jar on a data directory it creates itself: after a create and an upload, and again after it
 * stopped, everything in the data directory is owner-only (directories 0700, files 0600), whatever the
 * umask of the test's own process. The participant's tree is outside the data directory: the test wrote it.
 */
class FilePermissionsIT {
    private static final String PASSWORD = "it-admin-password";

    @TempDir
    Path temp;

    @Test
    void everything_snapkeep_creates_under_the_data_directory_is_owner_only() throws Exception {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"), "POSIX permissions");
        Path data = temp.resolve("data");
        Path resources = Files.createDirectories(temp.resolve("resources"));
        Files.writeString(resources.resolve("settings.txt"), "a secret setting\n");
        Map<String, String> env = Map.of(
                "SNAPKEEP_PARTICIPANTS", "[{name: resources, type: directory, category: state, path: \""
                        + resources + "\"}]");
        try (ServerProcess server = ServerProcess.start(data, env)) {
            Api api = new Api(server.uri(), Files.readString(data.resolve("admin-password")).strip());
            String created = api.awaitEnd(api.create("kept"));
            assertThat(Api.field(created, "status")).as(created).isEqualTo("terminated");
            HttpResponse<byte[]> archive = api.download("kept");
            Api.check(archive, 200);
            Api.check(api.upload("copy", archive.body()), 201);

            Map<String, String> modes = modesUnder(data);
            assertThat(modes).containsKeys("admin-password", "admin-password.pbkdf2", "catalog/",
                    "catalog/snapkeep.mv.db", "archives/", "archives/archives/kept.zip",
                    "archives/archives/copy.zip", "archives/records/kept.json", "archives/staging/");
            assertOwnerOnly(modes);
        }
        assertOwnerOnly(modesUnder(data));
        assertThat(mode(data)).as("the data directory the server created").isEqualTo("rwx------");
    }

    private static void assertOwnerOnly(Map<String, String> modes) {
        modes.forEach((name, mode) -> assertThat(mode).as(name)
                .isEqualTo(name.endsWith("/") ? "rwx------" : "rw-------"));
    }
}
