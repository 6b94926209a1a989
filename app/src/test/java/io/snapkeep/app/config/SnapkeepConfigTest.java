package io.snapkeep.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snapkeep.app.config.FsStorageType.Fs;
import io.snapkeep.app.config.JdbcTablesParticipantType.JdbcTables;
import io.snapkeep.app.config.S3StorageType.S3;
import io.snapkeep.core.application.archive.ArchiveLimits;
import io.snapkeep.core.domain.StateCategory;
import io.snapkeep.participants.jdbc.JdbcTablesSettings;
import io.snapkeep.storage.s3.S3Settings;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapkeepConfigTest {
    @TempDir
    Path dir;

    @Test
    void defaultsNeedNoFileAndNoEnvironment() {
        SnapkeepConfig c = SnapkeepConfig.load(Optional.empty(), Map.of());

        Path data = Path.of("snapkeep-data").toAbsolutePath().normalize();
        assertThat(c.server().host()).isEqualTo("127.0.0.1");
        assertThat(c.server().port()).isEqualTo(8080);
        assertThat(c.dataDir()).isEqualTo(data);
        assertThat(c.adminPassword()).isEmpty();
        assertThat(c.catalog().url()).isEqualTo("jdbc:h2:file:" + data.resolve("catalog/snapkeep"));
        assertThat(c.storage()).isEqualTo(new Fs(data.resolve("archives")));
        assertThat(c.archiveLimits()).isEqualTo(ArchiveLimits.DEFAULTS);
        assertThat(c.archiveUrl().allowedSchemes()).containsExactlyInAnyOrder("http", "https");
        assertThat(c.archiveUrl().allowedHosts()).isEmpty();
        assertThat(c.archiveUrl().connectTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.archiveUrl().allowedNetworks()).isEmpty();
        assertThat(c.archiveUrl().totalTimeout()).isEqualTo(Duration.ofHours(1));
        assertThat(c.archiveUrl().minRate()).isEqualTo(64L << 10);
        assertThat(c.archiveUrl().minRateWindow()).isEqualTo(Duration.ofSeconds(30));
        // A fetched archive is capped at 64 GiB by default, not at the archive limits' 1 TiB.
        assertThat(c.archiveUrl().maxSize()).isEqualTo(64L << 30);
        assertThat(c.participants()).containsExactly(
                DirectoryParticipantType.directory("resources", StateCategory.STATE, data.resolve("resources")),
                DirectoryParticipantType.directory("credentials", StateCategory.CREDENTIALS, data.resolve("credentials")));
        assertThat(c.users()).isEmpty();
    }

    @Test
    void environmentOverridesFileWhichOverridesDefaults() throws IOException {
        Path file = write("""
                host: 0.0.0.0
                port: 9000
                data_dir: %s
                storage:
                  type: s3
                s3:
                  endpoint: http://127.0.0.1:9000
                  bucket: from-file
                  access_key: file-key
                  secret_key: file-secret
                  part_size: 32MiB
                archive:
                  max_entries: 10
                """.formatted(dir.resolve("data")));

        SnapkeepConfig c = SnapkeepConfig.load(Optional.of(file),
                Map.of("SNAPKEEP_PORT", "9100", "SNAPKEEP_S3_BUCKET", "from-env"));

        assertThat(c.server().host()).as("file over default").isEqualTo("0.0.0.0");
        assertThat(c.server().port()).as("env over file").isEqualTo(9100);
        S3Settings s3 = ((S3) c.storage()).settings();
        assertThat(s3.bucket()).isEqualTo("from-env");
        assertThat(s3.accessKey()).isEqualTo("file-key");
        assertThat(s3.partSize()).isEqualTo(32L << 20);
        assertThat(s3.region()).as("default").isEqualTo("us-east-1");
        assertThat(s3.pathStyle()).isTrue();
        assertThat(s3.createBucket()).isFalse();
        assertThat(c.archiveLimits().maxEntries()).isEqualTo(10);
        assertThat(c.catalog().url()).isEqualTo("jdbc:h2:file:" + dir.resolve("data/catalog/snapkeep"));
    }

    @Test
    void everyNamedEnvironmentVariableWorks() {
        Map<String, String> env = new HashMap<>();
        env.put("SNAPKEEP_HOST", "127.0.0.2");
        env.put("SNAPKEEP_PORT", "0");
        env.put("SNAPKEEP_DATA_DIR", dir.toString());
        env.put("SNAPKEEP_ADMIN_PASSWORD", "pw-from-env");
        env.put("SNAPKEEP_STORAGE_TYPE", "s3");
        env.put("SNAPKEEP_S3_ENDPOINT", "https://s3.example.test");
        env.put("SNAPKEEP_S3_REGION", "eu-west-3");
        env.put("SNAPKEEP_S3_BUCKET", "snaps");
        env.put("SNAPKEEP_S3_ACCESS_KEY", "AKIA");
        env.put("SNAPKEEP_S3_SECRET_KEY", "s3cr3t");
        env.put("SNAPKEEP_S3_CREATE_BUCKET", "true");
        env.put("SNAPKEEP_S3_PREFIX", "team/");
        env.put("SNAPKEEP_S3_PATH_STYLE", "false");
        env.put("SNAPKEEP_S3_PART_SIZE", "8388608");
        env.put("SNAPKEEP_CATALOG_URL", "jdbc:h2:mem:x");
        env.put("SNAPKEEP_CATALOG_USER", "u");
        env.put("SNAPKEEP_CATALOG_PASSWORD", "p");
        env.put("SNAPKEEP_FS_ROOT", dir.resolve("ignored-for-s3").toString());
        env.put("SNAPKEEP_ARCHIVE_MAX_ENTRIES", "42");
        env.put("SNAPKEEP_ARCHIVE_MAX_EXPANDED_BYTES", "2GiB");
        env.put("SNAPKEEP_ARCHIVE_MAX_COMPRESSION_RATIO", "50");
        env.put("SNAPKEEP_SNAPSHOT_ARCHIVE_URL_ALLOWED_SCHEMES", "http, https");
        env.put("SNAPKEEP_SNAPSHOT_ARCHIVE_URL_ALLOWED_HOSTS", "Files.Example.test,127.0.0.1");
        env.put("SNAPKEEP_SNAPSHOT_ARCHIVE_URL_CONNECT_TIMEOUT", "500ms");
        env.put("SNAPKEEP_SNAPSHOT_ARCHIVE_URL_READ_TIMEOUT", "2m");
        env.put("SNAPKEEP_SNAPSHOT_ARCHIVE_URL_MAX_SIZE", "1 GiB");
        env.put("SNAPKEEP_SNAPSHOT_ARCHIVE_URL_ALLOWED_NETWORKS", "127.0.0.1/32, 10.1.2.3/8,fd00::/8, ::1");
        env.put("SNAPKEEP_SNAPSHOT_ARCHIVE_URL_TOTAL_TIMEOUT", "5m");
        env.put("SNAPKEEP_SNAPSHOT_ARCHIVE_URL_MIN_RATE", "1MiB");
        env.put("SNAPKEEP_SNAPSHOT_ARCHIVE_URL_MIN_RATE_WINDOW", "10s");
        env.put("SNAPKEEP_PARTICIPANTS", "[{name: db, type: jdbc_tables, category: credentials,"
                + " url: 'jdbc:h2:mem:y', tables: [a, s.b]}]");
        env.put("SNAPKEEP_USERS", "[{name: ops, password: x, roles: [sys_admin]}]");

        SnapkeepConfig c = SnapkeepConfig.load(Optional.empty(), env);

        assertThat(c.server()).isEqualTo(new SnapkeepConfig.Server("127.0.0.2", 0));
        assertThat(c.dataDir()).isEqualTo(dir);
        assertThat(c.adminPassword()).contains(Secret.of("pw-from-env"));
        assertThat(c.storage()).isEqualTo(new S3(new S3Settings(URI.create("https://s3.example.test"), "eu-west-3",
                "snaps", "team/", "team/", "AKIA", "s3cr3t", false, 8L << 20, S3Settings.DEFAULT_PARTS_IN_FLIGHT, true,
                S3Settings.DEFAULT_MAX_RETRIES)));
        assertThat(c.catalog()).isEqualTo(new SnapkeepConfig.Catalog("jdbc:h2:mem:x", "u", Secret.of("p")));
        assertThat(c.archiveLimits()).isEqualTo(new ArchiveLimits(42, 2L << 30, 50));
        assertThat(c.archiveUrl()).isEqualTo(new SnapkeepConfig.ArchiveUrl(Set.of("http", "https"),
                Set.of("files.example.test", "127.0.0.1"), List.of("127.0.0.1/32", "10.0.0.0/8", "fd00:0:0:0:0:0:0:0/8",
                "0:0:0:0:0:0:0:1/128"), Duration.ofMillis(500), Duration.ofMinutes(2), Duration.ofMinutes(5), 1L << 20,
                Duration.ofSeconds(10), 1L << 30));
        assertThat(c.participants()).containsExactly(new JdbcTables(new JdbcTablesSettings("db",
                StateCategory.CREDENTIALS, "jdbc:h2:mem:y", "", "", List.of("a", "s.b"))));
        assertThat(c.users()).singleElement().satisfies(u -> {
            assertThat(u.name()).isEqualTo("ops");
            assertThat(u.roles()).containsExactly("sys_admin");
            assertThat(u.password()).contains(Secret.of("x"));
        });
    }

    @Test
    void unknownKeysAndVariablesStopTheStartNamingThem() throws IOException {
        Path file = write("""
                port: 8081
                s3:
                  bucket: b
                  buckit: typo
                colour: blue
                """);

        assertThatThrownBy(() -> SnapkeepConfig.load(Optional.of(file), Map.of("SNAPKEEP_S3_BUKET", "x")))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).problems()).anySatisfy(p ->
                        assertThat(p).startsWith("s3.buckit: unknown key").contains("bucket"))
                        .anySatisfy(p -> assertThat(p).startsWith("colour: unknown key"))
                        .anySatisfy(p -> assertThat(p).startsWith("SNAPKEEP_S3_BUKET: unknown environment variable")
                                .contains("SNAPKEEP_S3_BUCKET")));
    }

    @Test
    void badValuesNameTheKeyAndWhatIsAllowed() throws IOException {
        assertThat(problems(Map.of("SNAPKEEP_PORT", "70000")))
                .containsExactly("port: must be an integer from 0 to 65535, got \"70000\" (from SNAPKEEP_PORT)");
        assertThat(problems(Map.of("SNAPKEEP_STORAGE_TYPE", "ftp")))
                .containsExactly("storage.type: must be one of fs, s3, got \"ftp\" (from SNAPKEEP_STORAGE_TYPE)");
        assertThat(problems(Map.of("SNAPKEEP_S3_PART_SIZE", "1MiB"))).singleElement().asString()
                .startsWith("s3.part_size: must be a size from 5 MiB to 1 GiB").contains("\"1MiB\"");
        assertThat(problems(Map.of("SNAPKEEP_S3_CREATE_BUCKET", "yes"))).singleElement().asString()
                .startsWith("s3.create_bucket: must be true or false");

        Path file = write("storage:\n  type: ftp\nport: 70000\n");
        assertThatThrownBy(() -> SnapkeepConfig.load(Optional.of(file), Map.of()))
                .hasMessageContaining("storage.type: must be one of fs, s3, got \"ftp\"")
                .hasMessageContaining("port: must be an integer from 0 to 65535, got \"70000\"");
    }

    @Test
    void s3NeedsItsEndpointBucketAndKeys() {
        assertThat(problems(Map.of("SNAPKEEP_STORAGE_TYPE", "s3"))).containsExactlyInAnyOrder(
                "s3.endpoint: required when storage.type is s3 (or set SNAPKEEP_S3_ENDPOINT)",
                "s3.bucket: required when storage.type is s3 (or set SNAPKEEP_S3_BUCKET)",
                "s3.access_key: required when storage.type is s3 (or set SNAPKEEP_S3_ACCESS_KEY)",
                "s3.secret_key: required when storage.type is s3 (or set SNAPKEEP_S3_SECRET_KEY)");
    }

    @Test
    void participantsAndUsersFromTheFileAreChecked() throws IOException {
        Path file = write("""
                participants:
                  - name: etc
                    type: directory
                    path: %s
                  - name: etc
                    type: directory
                    path: /tmp/x
                  - name: db
                    type: jdbc_tables
                    category: metrics
                    url: jdbc:h2:mem:z
                    tables: ["t; drop"]
                users:
                  - name: admin
                    password: x
                  - name: ro
                    password_hash: not-a-hash
                """.formatted(dir.resolve("etc")));

        assertThatThrownBy(() -> SnapkeepConfig.load(Optional.of(file), Map.of()))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).problems()).containsExactlyInAnyOrder(
                        "participants[1].name: \"etc\" is already the name of another participant",
                        "participants[2].tables: each must be a plain SQL name (letters, digits, '_';"
                                + " optionally schema.table), got \"t; drop\"",
                        "users[0].name: \"admin\" is taken by the bootstrap admin (set admin_password instead)",
                        "users[1].password_hash: must look like pbkdf2-sha256$<iterations>$<salt base64>$<key base64>"));
    }

    @Test
    void secretsNeverShowInTextForms() {
        Map<String, String> env = Map.of("SNAPKEEP_ADMIN_PASSWORD", "adm1n-pw", "SNAPKEEP_STORAGE_TYPE", "s3",
                "SNAPKEEP_S3_ENDPOINT", "http://127.0.0.1:1", "SNAPKEEP_S3_BUCKET", "snaps",
                "SNAPKEEP_S3_ACCESS_KEY", "ak", "SNAPKEEP_S3_SECRET_KEY", "sup3r-s3cret",
                "SNAPKEEP_CATALOG_PASSWORD", "db-pw", "SNAPKEEP_USERS", "[{name: u, password: us3r-pw}]");
        SnapkeepConfig c = SnapkeepConfig.load(Optional.empty(), env);

        assertThat(List.of(c.toString(), c.describe()))
                .allSatisfy(text -> assertThat(text).doesNotContain("adm1n-pw", "sup3r-s3cret", "db-pw", "us3r-pw"));
        assertThat(c.describe()).contains("s3.secret_key: ******", "admin_password: ******", "s3.bucket: snaps");
    }

    @Test
    void theShutdownGracePeriodIsThirtySecondsUnlessSet() throws IOException {
        assertThat(SnapkeepConfig.load(Optional.empty(), Map.of()).shutdown().gracePeriod())
                .isEqualTo(Duration.ofSeconds(30));
        Path file = write("shutdown:\n  grace_period: 2m\n");
        assertThat(SnapkeepConfig.load(Optional.of(file), Map.of()).shutdown().gracePeriod())
                .isEqualTo(Duration.ofMinutes(2));
        SnapkeepConfig fromEnv = SnapkeepConfig.load(Optional.of(file), Map.of("SNAPKEEP_SHUTDOWN_GRACE_PERIOD", "500ms"));
        assertThat(fromEnv.shutdown().gracePeriod()).isEqualTo(Duration.ofMillis(500));
        assertThat(fromEnv.describe()).contains("shutdown.grace_period: 500ms");
        assertThat(problems(Map.of("SNAPKEEP_SHUTDOWN_GRACE_PERIOD", "0"))).singleElement().asString()
                .startsWith("shutdown.grace_period: must be a positive duration");
    }

    @Test
    void theHttpIdleTimeoutIsThirtySecondsUnlessSet() throws IOException {
        assertThat(SnapkeepConfig.load(Optional.empty(), Map.of()).http().idleTimeout())
                .isEqualTo(Duration.ofSeconds(30));
        Path file = write("http:\n  idle_timeout: 2m\n");
        assertThat(SnapkeepConfig.load(Optional.of(file), Map.of()).http().idleTimeout())
                .isEqualTo(Duration.ofMinutes(2));
        SnapkeepConfig fromEnv = SnapkeepConfig.load(Optional.of(file), Map.of("SNAPKEEP_HTTP_IDLE_TIMEOUT", "750ms"));
        assertThat(fromEnv.http().idleTimeout()).isEqualTo(Duration.ofMillis(750));
        assertThat(fromEnv.describe()).contains("http.idle_timeout: 750ms");
        assertThat(problems(Map.of("SNAPKEEP_HTTP_IDLE_TIMEOUT", "0"))).singleElement().asString()
                .startsWith("http.idle_timeout: ");
    }

    @Test
    void metricsNeedCredentialsAndHealthChecksTakeTwoSecondsUnlessSet() throws IOException {
        SnapkeepConfig defaults = SnapkeepConfig.load(Optional.empty(), Map.of());
        assertThat(defaults.monitoring().metricsPublic()).isFalse();
        assertThat(defaults.monitoring().healthTimeout()).isEqualTo(Duration.ofSeconds(2));
        Path file = write("metrics:\n  public: true\nhealth:\n  timeout: 500ms\n");
        SnapkeepConfig set = SnapkeepConfig.load(Optional.of(file), Map.of());
        assertThat(set.monitoring().metricsPublic()).isTrue();
        assertThat(set.monitoring().healthTimeout()).isEqualTo(Duration.ofMillis(500));
        SnapkeepConfig fromEnv = SnapkeepConfig.load(Optional.of(file),
                Map.of("SNAPKEEP_METRICS_PUBLIC", "false", "SNAPKEEP_HEALTH_TIMEOUT", "3s"));
        assertThat(fromEnv.monitoring().metricsPublic()).isFalse();
        assertThat(fromEnv.monitoring().healthTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(fromEnv.describe()).contains("metrics.public: false").contains("health.timeout: 3000ms");
        assertThat(problems(Map.of("SNAPKEEP_HEALTH_TIMEOUT", "0"))).singleElement().asString()
                .startsWith("health.timeout: ");
        assertThat(problems(Map.of("SNAPKEEP_METRICS_PUBLIC", "sometimes"))).singleElement().asString()
                .startsWith("metrics.public: ");
    }

    @Test
    void nodeAndTokenSettingsHaveDefaultsAndAreChecked() throws IOException {
        SnapkeepConfig defaults = SnapkeepConfig.load(Optional.empty(), Map.of());
        assertThat(defaults.node().id()).isEmpty();
        assertThat(defaults.node().leaseTtl()).isEqualTo(Duration.ofSeconds(15));
        assertThat(defaults.tokens().lifetime()).isEqualTo(Duration.ofHours(10));
        assertThat(defaults.tokens().maxPerUser()).isEqualTo(20);

        Path file = write("node:\n  id: node-1\n  lease_ttl: 8s\ntokens:\n  lifetime: 1h\n  max_per_user: 3\n");
        SnapkeepConfig set = SnapkeepConfig.load(Optional.of(file), Map.of("SNAPKEEP_NODE_ID", "node-2"));
        assertThat(set.node().id()).contains("node-2");
        assertThat(set.node().leaseTtl()).isEqualTo(Duration.ofSeconds(8));
        assertThat(set.tokens().lifetime()).isEqualTo(Duration.ofHours(1));
        assertThat(set.tokens().maxPerUser()).isEqualTo(3);
        assertThat(set.describe()).contains("node.id: node-2", "node.lease_ttl: 8000ms", "tokens.max_per_user: 3");

        assertThat(problems(Map.of("SNAPKEEP_NODE_ID", "node one"))).singleElement().asString()
                .startsWith("node.id: only letters, digits");
        assertThat(problems(Map.of("SNAPKEEP_NODE_LEASE_TTL", "500ms"))).singleElement().asString()
                .startsWith("node.lease_ttl: must be at least 1s");
        assertThat(problems(Map.of("SNAPKEEP_TOKENS_MAX_PER_USER", "0"))).singleElement().asString()
                .startsWith("tokens.max_per_user:");
    }

    @Test
    void executionNiceHasADefaultAndIsChecked() throws IOException {
        assertThat(SnapkeepConfig.load(Optional.empty(), Map.of()).executions().nice()).isEqualTo(10);
        Path file = write("executions:\n  nice: 0\n");
        assertThat(SnapkeepConfig.load(Optional.of(file), Map.of()).executions().nice()).isZero();
        SnapkeepConfig set = SnapkeepConfig.load(Optional.empty(), Map.of("SNAPKEEP_EXECUTIONS_NICE", "19"));
        assertThat(set.executions().nice()).isEqualTo(19);
        assertThat(set.describe()).contains("executions.nice: 19");
        assertThat(problems(Map.of("SNAPKEEP_EXECUTIONS_NICE", "20"))).singleElement().asString()
                .startsWith("executions.nice:");
        assertThat(problems(Map.of("SNAPKEEP_EXECUTIONS_NICE", "-1"))).singleElement().asString()
                .startsWith("executions.nice:");
    }

    @Test
    void policySettingsHaveDefaultsAndAreChecked() throws IOException {
        SnapkeepConfig.Policies defaults = SnapkeepConfig.load(Optional.empty(), Map.of()).policies();
        assertThat(defaults).isEqualTo(new SnapkeepConfig.Policies(Duration.ofHours(1), 10L << 30));

        Path file = write("policies:\n  catch_up_window: 30m\n  verify_byte_budget: 512MiB\n");
        SnapkeepConfig set = SnapkeepConfig.load(Optional.of(file), Map.of("SNAPKEEP_POLICIES_CATCH_UP_WINDOW", "2h"));
        assertThat(set.policies()).isEqualTo(new SnapkeepConfig.Policies(Duration.ofHours(2), 512L << 20));
        assertThat(set.describe()).contains("policies.catch_up_window: 7200000ms",
                "policies.verify_byte_budget: 536870912");

        assertThat(problems(Map.of("SNAPKEEP_POLICIES_CATCH_UP_WINDOW", "0s"))).singleElement().asString()
                .startsWith("policies.catch_up_window:");
        assertThat(problems(Map.of("SNAPKEEP_POLICIES_VERIFY_BYTE_BUDGET", "lots"))).singleElement().asString()
                .startsWith("policies.verify_byte_budget:");
        assertThat(problems(Map.of("SNAPKEEP_POLICIES_WINDOW", "1h"))).singleElement().asString()
                .contains("SNAPKEEP_POLICIES_WINDOW");
    }

    @Test
    void authThrottleSettingsHaveDefaultsAndAreChecked() throws IOException {
        SnapkeepConfig.Auth defaults = SnapkeepConfig.load(Optional.empty(), Map.of()).auth();
        assertThat(defaults).isEqualTo(new SnapkeepConfig.Auth(10, 20, Duration.ofMinutes(1), Duration.ofMinutes(1),
                Duration.ofMinutes(5), Math.max(1, Runtime.getRuntime().availableProcessors() / 2),
                Duration.ofSeconds(2), Duration.ofMinutes(5), java.util.Set.of()));

        Path file = write("auth:\n  max_failures_per_address: 5\n  failure_window: 30s\n  block: 10s\n"
                + "  max_concurrent_checks: 3\n  check_wait: 500ms\n  verified_ttl: 1m\n  reader_roles: [viewer, auditor]\n");
        SnapkeepConfig set = SnapkeepConfig.load(Optional.of(file), Map.of("SNAPKEEP_AUTH_MAX_FAILURES_PER_USER", "7",
                "SNAPKEEP_AUTH_MAX_BLOCK", "2m"));
        assertThat(set.auth()).isEqualTo(new SnapkeepConfig.Auth(5, 7, Duration.ofSeconds(30), Duration.ofSeconds(10),
                Duration.ofMinutes(2), 3, Duration.ofMillis(500), Duration.ofMinutes(1), java.util.Set.of("viewer", "auditor")));
        assertThat(set.describe()).contains("auth.max_failures_per_address: 5", "auth.max_failures_per_user: 7",
                "auth.failure_window: 30000ms", "auth.block: 10000ms", "auth.max_block: 120000ms",
                "auth.max_concurrent_checks: 3", "auth.check_wait: 500ms", "auth.verified_ttl: 60000ms",
                "auth.reader_roles: auditor,viewer");
        assertThat(problems(Map.of("SNAPKEEP_AUTH_READER_ROLES", "viewer,sys_admin"))).singleElement().asString()
                .startsWith("auth.reader_roles: need not name sys_admin");

        assertThat(problems(Map.of("SNAPKEEP_AUTH_MAX_FAILURES_PER_ADDRESS", "0"))).singleElement().asString()
                .startsWith("auth.max_failures_per_address:");
        assertThat(problems(Map.of("SNAPKEEP_AUTH_BLOCK", "10m"))).singleElement().asString()
                .startsWith("auth.max_block: must be at least auth.block");
        assertThat(problems(Map.of("SNAPKEEP_AUTH_FAILURE_WINDOW", "0"))).singleElement().asString()
                .startsWith("auth.failure_window: must be a positive duration");
        assertThat(problems(Map.of("SNAPKEEP_AUTH_MAX_CONCURRENT_CHECKS", "0"))).singleElement().asString()
                .startsWith("auth.max_concurrent_checks:");
    }

    @Test
    void sizesAndDurationsAcceptTheirDocumentedForms() {
        assertThat(Section.parseSize("16MiB")).isEqualTo(16L << 20);
        assertThat(Section.parseSize("512 kib")).isEqualTo(512L << 10);
        assertThat(Section.parseSize("123")).isEqualTo(123L);
        assertThat(Section.parseSize("16MB")).isNull();
        assertThat(Section.parseSize("99999999999TiB")).isNull();
        assertThat(Section.parseDuration("15")).isEqualTo(Duration.ofSeconds(15));
        assertThat(Section.parseDuration("1h")).isEqualTo(Duration.ofHours(1));
        assertThat(Section.parseDuration("soon")).isNull();
    }

    @Test
    void yamlSyntaxErrorsAndMissingFilesAreReported() throws IOException {
        Path broken = write("port: [8080\n");
        assertThatThrownBy(() -> SnapkeepConfig.load(Optional.of(broken), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("not valid YAML");
        assertThatThrownBy(() -> SnapkeepConfig.load(Optional.of(dir.resolve("nope.yaml")), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("does not exist");
    }

    @Test
    void aSyntaxErrorInYamlFlowTextFromTheEnvironmentNamesTheVariableAndPositionButNeverTheText() {
        List<String> secrets = List.of("s3cr3t", "pbkdf2", "c2FsdH", "a2V5", "tok-abc", "sup3r");
        Map<String, String> broken = Map.of(
                "SNAPKEEP_USERS", "[{name: ops, password: s3cr3t-value, roles: [sys_admin]",
                "SNAPKEEP_PARTICIPANTS", "[{name: db, type: jdbc_tables, url: \"jdbc:h2:mem:x\", password: tok-abc123,"
                        + " hash: pbkdf2-sha256$310000$c2FsdHNhbHQ=$a2V5a2V5a2V5a2V5a2V5a2V5, : : sup3r-s3cret}}");
        ConfigException refused = refusal(Optional.empty(), broken);
        assertThat(refused.problems()).hasSize(2).allSatisfy(problem -> assertThat(problem).doesNotContain(secrets));
        assertThat(refused.getMessage()).doesNotContain(secrets);
        assertThat(refused.problems()).anySatisfy(problem -> assertThat(problem)
                .startsWith("users: SNAPKEEP_USERS must be YAML flow text such as [{name: a, ...}]")
                .containsPattern("line 1, column \\d+"));
        assertThat(refused.problems()).anySatisfy(problem -> assertThat(problem)
                .startsWith("participants: SNAPKEEP_PARTICIPANTS must be YAML flow text")
                .containsPattern("line 1, column \\d+"));

        ConfigException twice = refusal(Optional.empty(),
                Map.of("SNAPKEEP_USERS", "[{name: ops, password: s3cr3t-one, password: s3cr3t-two}]"));
        assertThat(twice.problems()).singleElement().asString()
                .startsWith("users: SNAPKEEP_USERS must be YAML flow text such as [{name: a, ...}]: a key given twice"
                        + " at line 1, column ")
                .doesNotContain(secrets);
        assertThat(twice.getMessage()).doesNotContain(secrets);
    }

    @Test
    void aSyntaxErrorInTheYamlFileNamesTheFileAndLineButNeverTheText() throws IOException {
        Path file = write("""
                admin_password: adm1n-pw
                users:
                  - name: two
                    password_hash: pbkdf2-sha256$310000$c2FsdHNhbHQ=$a2V5
                  - {name: ops, password: s3cr3t-value, roles: [sys_admin]
                s3:
                  secret_key: "sup3r-s3cret
                """);
        ConfigException refused = refusal(Optional.of(file), Map.of());
        // Prefixes too: a quoted snippet may be cut short, and half a secret is still a leak.
        List<String> secrets = List.of("adm1n", "sup3r", "s3cr3t", "pbkdf2", "c2FsdH", "a2V5");
        assertThat(refused.problems()).singleElement().asString().startsWith(file + ": not valid YAML")
                .containsPattern("line \\d+, column \\d+").doesNotContain(secrets);
        assertThat(refused.getMessage()).doesNotContain(secrets);
    }

    private ConfigException refusal(Optional<Path> file, Map<String, String> env) {
        try {
            SnapkeepConfig.load(file, env);
        } catch (ConfigException e) {
            return e;
        }
        throw new AssertionError("expected the configuration to be refused");
    }

    @Test
    void archiveUrlNetworksAndTimeoutsAreChecked() {
        Map<String, String> env = Map.of(
                "SNAPKEEP_SNAPSHOT_ARCHIVE_URL_ALLOWED_NETWORKS", "10.0.0.0/33,256.0.0.1/32,192.168.0.0/16",
                "SNAPKEEP_SNAPSHOT_ARCHIVE_URL_TOTAL_TIMEOUT", "0s",
                "SNAPKEEP_SNAPSHOT_ARCHIVE_URL_MIN_RATE", "-1",
                "SNAPKEEP_SNAPSHOT_ARCHIVE_URL_MIN_RATE_WINDOW", "0s");
        List<String> problems = problems(env);
        assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("snapshot_archive_url.allowed_networks:")
                .contains("\"10.0.0.0/33\""));
        assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("snapshot_archive_url.allowed_networks:")
                .contains("\"256.0.0.1/32\""));
        assertThat(problems).noneSatisfy(p -> assertThat(p).contains("192.168.0.0/16"));
        assertThat(problems).anySatisfy(p -> assertThat(p).contains("total_timeout"));
        assertThat(problems).anySatisfy(p -> assertThat(p).contains("min_rate:"));
        assertThat(problems).anySatisfy(p -> assertThat(p).contains("min_rate_window"));
        assertThat(SnapkeepConfig.load(Optional.empty(), Map.of("SNAPKEEP_SNAPSHOT_ARCHIVE_URL_MIN_RATE", "0"))
                .archiveUrl().minRate()).isZero();
    }

    private List<String> problems(Map<String, String> env) {
        try {
            SnapkeepConfig.load(Optional.empty(), env);
        } catch (ConfigException e) {
            return e.problems();
        }
        throw new AssertionError("expected the configuration to be refused");
    }

    private Path write(String yaml) throws IOException {
        Path file = dir.resolve("snapkeep.yaml");
        Files.writeString(file, yaml);
        return file;
    }
}
