package io.snapkeep.app.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.snapkeep.app.config.FsStorageType.Fs;
import io.snapkeep.app.config.S3StorageType.S3;
import io.snapkeep.core.domain.StateCategory;
import io.snapkeep.core.port.out.StateParticipant;
import io.snapkeep.participants.directory.DirectoryParticipant;
import io.snapkeep.participants.jdbc.JdbcTablesParticipant;
import io.snapkeep.participants.jdbc.JdbcTablesSettings;
import io.snapkeep.storage.s3.S3Settings;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The storage and participant types: each reads its own part of the configuration with its adapter's own
 * rules, so what the configuration accepts the adapter accepts, and every problem is still named at once.
 */
class ConfigTypesTest {
    private static final URI ENDPOINT = URI.create("http://127.0.0.1:9000");

    @TempDir
    Path dir;

    @Test
    void the_registries_name_every_type() {
        assertThat(StorageTypes.names()).containsExactly("fs", "s3");
        assertThat(StorageTypes.named(StorageTypes.DEFAULT)).containsInstanceOf(FsStorageType.class);
        assertThat(ParticipantTypes.names()).containsExactly("directory", "jdbc_tables");
    }

    @Test
    void every_s3_setting_the_store_refuses_is_refused_by_the_configuration_all_at_once() {
        Map<String, String> env = s3("Bad_Bucket");
        env.put("SNAPKEEP_S3_ENDPOINT", "https://user:pa55@host.test");
        env.put("SNAPKEEP_S3_PREFIX", "team/../other/");
        env.put("SNAPKEEP_S3_PART_SIZE", "2GiB");

        assertThat(problems(env)).containsExactlyInAnyOrder(
                "s3.endpoint: " + S3Settings.problemWithEndpoint(URI.create("https://user:pa55@host.test"))
                        + " (from SNAPKEEP_S3_ENDPOINT)",
                "s3.bucket: name 'Bad_Bucket' is invalid: use 3 to 63 lowercase letters, digits, dots and hyphens,"
                        + " starting and ending with a letter or digit (from SNAPKEEP_S3_BUCKET)",
                "s3.prefix: 'team/../other/' must not start with '/' nor contain '//', '\\' or a '..' segment,"
                        + " e.g. 'team/snapkeep/' (from SNAPKEEP_S3_PREFIX)",
                "s3.part_size: must be a size from 5 MiB to 1 GiB (bytes, or e.g. \"16MiB\"), got \"2GiB\""
                        + " (from SNAPKEEP_S3_PART_SIZE)")
                .noneSatisfy(p -> assertThat(p).contains("pa55"));
    }

    @Test
    void what_the_configuration_accepts_for_s3_the_store_accepts() {
        S3Settings base = S3Settings.of(ENDPOINT, "us-east-1", "snaps", "ak", "sk");
        for (String prefix : List.of("", "team", "team/", "a..b/", "/abs/", "a//b/", "../x/", "x/..", "a\\b/")) {
            Map<String, String> env = s3("snaps");
            env.put("SNAPKEEP_S3_PREFIX", prefix);
            assertThat(accepted(env)).as("prefix %s", prefix).isEqualTo(accepts(() -> base.withKeyPrefix(prefix)));
        }
        for (String bucket : List.of("snaps", "my.bucket-1", "ab", "Upper", "10.0.0.1", "a..b", "-dash")) {
            assertThat(accepted(s3(bucket))).as("bucket %s", bucket)
                    .isEqualTo(accepts(() -> S3Settings.of(ENDPOINT, "us-east-1", bucket, "ak", "sk")));
        }
        for (long size : List.of(5L << 20, (5L << 20) - 1, 1L << 30, (1L << 30) + 1, 5L << 30)) {
            Map<String, String> env = s3("snaps");
            env.put("SNAPKEEP_S3_PART_SIZE", Long.toString(size));
            assertThat(accepted(env)).as("part size %s", size).isEqualTo(accepts(() -> base.withPartSize(size)));
        }
        for (String endpoint : List.of("http://h:9000", "https://h", "https://h/", "ftp://h", "https://h/p",
                "https://u:p@h", "https://h?q=1")) {
            Map<String, String> env = s3("snaps");
            env.put("SNAPKEEP_S3_ENDPOINT", endpoint);
            assertThat(accepted(env)).as("endpoint %s", endpoint)
                    .isEqualTo(accepts(() -> S3Settings.of(URI.create(endpoint), "us-east-1", "snaps", "ak", "sk")));
        }
    }

    @Test
    void the_s3_storage_holds_the_stores_own_settings_with_their_normal_forms() {
        Map<String, String> env = s3("snaps");
        env.put("SNAPKEEP_S3_PREFIX", "team");
        env.put("SNAPKEEP_S3_ENDPOINT", "HTTP://127.0.0.1:9000/");
        SnapkeepConfig c = SnapkeepConfig.load(Optional.empty(), env);

        S3Settings settings = ((S3) c.storage()).settings();
        assertThat(settings.keyPrefix()).isEqualTo("team/");
        assertThat(settings.endpoint()).isEqualTo(ENDPOINT);
        assertThat(c.describe()).contains("storage.type: s3\n", "s3.prefix: team/\n",
                "s3.endpoint: http://127.0.0.1:9000\n", "s3.secret_key: ******\n", "s3.part_size: 16777216\n");
        assertThat(c.storage().where()).isEqualTo("http://127.0.0.1:9000 bucket snaps prefix team/");
    }

    @Test
    void without_a_prefix_the_layout_is_under_snapkeep_and_the_previous_releases_archives_at_the_bucket_root() {
        SnapkeepConfig c = SnapkeepConfig.load(Optional.empty(), s3("snaps"));

        S3Settings settings = ((S3) c.storage()).settings();
        assertThat(settings.keyPrefix()).isEqualTo("snapkeep/");
        assertThat(settings.legacyPrefix()).as("the previous release's default prefix: none").isEmpty();
        assertThat(c.describe()).contains("s3.prefix: snapkeep/\n");
        assertThat(c.storage().where()).isEqualTo("http://127.0.0.1:9000 bucket snaps prefix snapkeep/");
    }

    @Test
    void a_prefix_given_is_where_the_layout_lives_and_where_the_previous_release_kept_its_archives() {
        for (String given : List.of("team", "team/", "snapkeep/", "")) {
            Map<String, String> env = s3("snaps");
            env.put("SNAPKEEP_S3_PREFIX", given);
            S3Settings settings = ((S3) SnapkeepConfig.load(Optional.empty(), env).storage()).settings();
            String normal = given.isEmpty() || given.endsWith("/") ? given : given + "/";
            assertThat(settings.keyPrefix()).as(given).isEqualTo(normal);
            assertThat(settings.legacyPrefix()).as(given).isEqualTo(normal);
        }
    }

    @Test
    void the_s3_keys_are_checked_even_while_fs_is_chosen_and_only_the_chosen_type_demands_its_keys() {
        assertThat(problems(Map.of("SNAPKEEP_S3_PART_SIZE", "2GiB"))).singleElement().asString()
                .startsWith("s3.part_size: must be a size from 5 MiB to 1 GiB");
        SnapkeepConfig c = SnapkeepConfig.load(Optional.empty(), Map.of("SNAPKEEP_FS_ROOT", dir.toString()));
        assertThat(c.storage()).isEqualTo(new Fs(dir));
        assertThat(c.describe()).contains("storage.type: fs\nfs.root: " + dir + "\n");
    }

    @Test
    void participant_settings_the_participants_refuse_are_refused_with_every_other_problem() throws IOException {
        Path file = dir.resolve("snapkeep.yaml");
        Files.writeString(file, """
                participants:
                  - name: db
                    type: jdbc_tables
                    url: mysql://db.test/app?password=hunter2
                    tables: [orders, Orders, "x y"]
                  - name: everything
                    type: directory
                    path: %s
                  - name: nowhere
                    type: directory
                  - name: other
                    type: ftp
                  - name: db2
                    type: jdbc_tables
                """.formatted(dir.getRoot()));

        assertThat(problems(file, Map.of("SNAPKEEP_STORAGE_TYPE", "s3"))).containsExactlyInAnyOrder(
                "participants[0].url: must be a JDBC URL starting with \"jdbc:\", got"
                        + " \"mysql://db.test/app?password=******\"",
                "participants[0].tables: each may be listed once, got \"Orders\" twice (names are compared"
                        + " without case)",
                "participants[0].tables: each must be a plain SQL name (letters, digits, '_'; optionally"
                        + " schema.table), got \"x y\"",
                "participants[1].path: must not be a file system root (restore swaps the directory inside its"
                        + " parent), got " + dir.getRoot(),
                "participants[2].path: required for a directory participant",
                "participants[3].type: must be one of directory, jdbc_tables, got \"ftp\"",
                "participants[4].url: required, a JDBC URL starting with \"jdbc:\"",
                "participants[4].tables: required, a list of at least one table name",
                "s3.endpoint: required when storage.type is s3 (or set SNAPKEEP_S3_ENDPOINT)",
                "s3.bucket: required when storage.type is s3 (or set SNAPKEEP_S3_BUCKET)",
                "s3.access_key: required when storage.type is s3 (or set SNAPKEEP_S3_ACCESS_KEY)",
                "s3.secret_key: required when storage.type is s3 (or set SNAPKEEP_S3_SECRET_KEY)");
    }

    @Test
    void what_the_configuration_accepts_for_jdbc_tables_the_participant_accepts() {
        for (List<String> tables : List.of(List.of("a"), List.of("s.b", "c"), List.of("a", "A"), List.of("a-b"),
                List.of("1a"), List.of("a.b.c"))) {
            Map<String, String> env = Map.of("SNAPKEEP_PARTICIPANTS", "[{name: db, type: jdbc_tables,"
                    + " url: 'jdbc:h2:mem:t', tables: [" + String.join(", ", tables) + "]}]");
            assertThat(accepted(env)).as("%s", tables).isEqualTo(accepts(() -> JdbcTablesParticipant.forUrl("db",
                    StateCategory.STATE, "jdbc:h2:mem:t", "", "", tables)));
        }
    }

    @Test
    void each_participant_type_builds_its_participant_and_describes_it_with_secrets_masked() {
        Map<String, String> env = new HashMap<>();
        env.put("SNAPKEEP_DATA_DIR", dir.toString());
        env.put("SNAPKEEP_PARTICIPANTS", "[{name: etc, type: directory, path: '" + dir.resolve("etc") + "'},"
                + " {name: db, type: jdbc_tables, category: credentials, url: 'jdbc:h2:mem:p;password=url-pw',"
                + " user: sa, password: table-pw, tables: [a]}]");
        SnapkeepConfig c = SnapkeepConfig.load(Optional.empty(), env);

        List<StateParticipant> built = c.participants().stream().map(SnapkeepConfig.Participant::open).toList();
        assertThat(built).map(StateParticipant::name).containsExactly("etc", "db");
        assertThat(built.get(0)).isInstanceOf(DirectoryParticipant.class);
        assertThat(built.get(1)).isInstanceOf(JdbcTablesParticipant.class);
        assertThat(built.get(1).category()).isEqualTo(StateCategory.CREDENTIALS);
        assertThat(((JdbcTablesParticipantType.JdbcTables) c.participants().get(1)).settings())
                .isEqualTo(new JdbcTablesSettings("db", StateCategory.CREDENTIALS, "jdbc:h2:mem:p;password=url-pw",
                        "sa", "table-pw", List.of("a")));

        assertThat(c.describe()).contains(
                "participant etc (state): directory " + dir.resolve("etc") + "\n",
                "participant db (credentials): tables a of jdbc:h2:mem:p;password=******\n");
        assertThat(List.of(c.describe(), c.toString())).allSatisfy(text ->
                assertThat(text).doesNotContain("url-pw", "table-pw"));
    }

    @Test
    void the_fs_storage_opens_its_store_and_the_catalog_url_is_shown_masked() {
        SnapkeepConfig c = SnapkeepConfig.load(Optional.empty(), Map.of("SNAPKEEP_DATA_DIR", dir.toString(),
                "SNAPKEEP_CATALOG_URL", "jdbc:h2:mem:c;PASSWORD=catalog-pw", "SNAPKEEP_CATALOG_PASSWORD", "other-pw"));

        assertThat(c.storage().open()).isInstanceOf(io.snapkeep.storage.fs.FileSystemArchiveStore.class);
        assertThat(dir.resolve("archives")).isDirectory();
        assertThat(c.storage().where()).isEqualTo(dir.resolve("archives").toString());
        assertThat(c.describe()).contains("catalog.url: jdbc:h2:mem:c;PASSWORD=******\n", "catalog.password: ******\n");
        assertThat(List.of(c.describe(), c.toString())).allSatisfy(text ->
                assertThat(text).doesNotContain("catalog-pw", "other-pw"));
    }

    private Map<String, String> s3(String bucket) {
        Map<String, String> env = new HashMap<>();
        env.put("SNAPKEEP_STORAGE_TYPE", "s3");
        env.put("SNAPKEEP_S3_ENDPOINT", ENDPOINT.toString());
        env.put("SNAPKEEP_S3_BUCKET", bucket);
        env.put("SNAPKEEP_S3_ACCESS_KEY", "ak");
        env.put("SNAPKEEP_S3_SECRET_KEY", "sk");
        return env;
    }

    private static boolean accepted(Map<String, String> env) {
        try {
            SnapkeepConfig.load(Optional.empty(), env);
            return true;
        } catch (ConfigException e) {
            return false;
        }
    }

    private static boolean accepts(Runnable build) {
        try {
            build.run();
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static List<String> problems(Map<String, String> env) {
        return problems(null, env);
    }

    private static List<String> problems(Path file, Map<String, String> env) {
        try {
            SnapkeepConfig.load(Optional.ofNullable(file), env);
        } catch (ConfigException e) {
            return e.problems();
        }
        throw new AssertionError("expected the configuration to be refused");
    }
}
