package io.snapkeep.app.users;

import static io.snapkeep.core.testing.FileModes.mode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.snapkeep.app.config.DataDirectory;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The data directory the app creates and the admin-password files in it are owner-only. */
class AdminPasswordFilesTest {
    @TempDir
    Path dir;

    @BeforeEach
    void posixOnly() {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"), "POSIX permissions");
    }

    @Test
    void a_data_directory_created_for_the_admin_password_is_owner_only_and_so_are_its_files() throws IOException {
        Path data = dir.resolve("var/snapkeep-data");
        List<String> announced = new ArrayList<>();
        ConfiguredUsers.load(data, Optional.empty(), List.of(), announced::add, 10_000,
                ConfiguredUsers.Verifier.PBKDF2);

        assertThat(announced).hasSize(1);
        assertThat(mode(dir.resolve("var"))).isEqualTo("rwx------");
        assertThat(mode(data)).isEqualTo("rwx------");
        assertThat(modes(data)).containsOnlyKeys("admin-password", "admin-password.pbkdf2")
                .allSatisfy((name, mode) -> assertThat(mode).as(name).isEqualTo("rw-------"));
    }

    @Test
    void a_data_directory_the_operator_made_keeps_its_mode() throws IOException {
        Path data = Files.createDirectory(dir.resolve("data"));
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-x---"));
        DataDirectory.create(data);
        DataDirectory.create(data.resolve("deeper/still"));

        assertThat(mode(data)).isEqualTo("rwxr-x---");
        assertThat(mode(data.resolve("deeper"))).isEqualTo("rwx------");
        assertThat(mode(data.resolve("deeper/still"))).isEqualTo("rwx------");
    }

    private static Map<String, String> modes(Path directory) throws IOException {
        Map<String, String> modes = new TreeMap<>();
        try (Stream<Path> files = Files.list(directory)) {
            for (Path p : files.toList()) {
                modes.put(p.getFileName().toString(), mode(p));
            }
        }
        return modes;
    }
}
