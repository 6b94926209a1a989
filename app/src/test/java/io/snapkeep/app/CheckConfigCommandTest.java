package io.snapkeep.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.snapkeep.app.config.PasswordHash;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckConfigCommandTest {
    private static final String HASH = PasswordHash.create("hashed-pw", 10_000).toString();
    /** Every secret the configuration below holds, and the telling parts of the hash. */
    private static final String[] SECRETS = {"adm1n-pw", "cat-pw", "url-pw", "userinfo-pw", "s3-s3cret",
            "endpoint-pw", "ops-pw", "jdbc-pw", HASH, HASH.split("\\$")[2], HASH.split("\\$")[3]};

    @TempDir
    Path dir;

    @Test
    void a_valid_configuration_prints_its_effective_settings_with_every_secret_masked() throws Exception {
        Path file = Files.writeString(dir.resolve("snapkeep.yaml"), """
                data_dir: %s
                admin_password: adm1n-pw
                catalog:
                  url: "jdbc:postgresql://cat:userinfo-pw@127.0.0.1:5432/snapkeep?password=url-pw"
                  password: cat-pw
                storage:
                  type: s3
                s3:
                  endpoint: http://127.0.0.1:9000
                  bucket: archives
                  access_key: AKIA-visible
                  secret_key: s3-s3cret
                participants:
                  - {name: db, type: jdbc_tables, category: credentials,
                     url: "jdbc:h2:mem:x;USER=sa;PASSWORD=jdbc-pw", tables: [a]}
                users:
                  - {name: ops, password: ops-pw, roles: [sys_admin]}
                  - {name: viewer, password_hash: "%s", roles: [viewer]}
                logging:
                  format: json
                  levels: {io.snapkeep: debug, org.eclipse.jetty: warn}
                """.formatted(dir.resolve("data"), HASH));

        Run run = run(Optional.of(file), Map.of());

        assertThat(run.code).as(run.out).isEqualTo(CheckConfigCommand.OK);
        assertThat(run.out).contains("is valid", "storage.type: s3", "s3.bucket: archives", "s3.access_key: AKIA-visible",
                "admin_password: ******", "s3.secret_key: ******", "user ops roles sys_admin", "user viewer roles viewer",
                "logging.format: json", "logging.levels.io.snapkeep: debug", "logging.levels.org.eclipse.jetty: warn",
                "catalog.url: jdbc:postgresql://******@127.0.0.1:5432/snapkeep?password=******");
        assertThat(run.out).doesNotContain(SECRETS);
    }

    @Test
    void a_broken_configuration_lists_every_problem_and_no_secret() throws Exception {
        Path file = Files.writeString(dir.resolve("broken.yaml"), """
                admin_password: adm1n-pw
                port: 99999
                storage:
                  type: ftp
                s3:
                  endpoint: http://minio:endpoint-pw@127.0.0.1:9000
                  secret_key: s3-s3cret
                users:
                  - {name: ops, password: ops-pw, password_hash: "%s", roles: [sys_admin]}
                logging:
                  format: xml
                """.formatted(HASH));

        Run run = run(Optional.of(file), Map.of("SNAPKEEP_LOGGING_LEVELS", "io.snapkeep: loud",
                "SNAPKEEP_CATALOG_URL", "postgresql://cat:userinfo-pw@127.0.0.1/x"));

        assertThat(run.code).as(run.out).isEqualTo(CheckConfigCommand.PROBLEMS);
        assertThat(run.out).contains("7 problem(s)", "s3.endpoint: must not carry credentials", "port: must be an integer from 0 to 65535",
                "storage.type: must be one of", "users[0]: needs exactly one of password, password_hash",
                "logging.format: must be one of plain, json, got \"xml\"",
                "logging.levels: the level of io.snapkeep must be one of", "(from SNAPKEEP_LOGGING_LEVELS)",
                "catalog.url: must be a JDBC URL");
        assertThat(run.out.lines().filter(l -> l.startsWith("  "))).hasSize(7);
        assertThat(run.out).doesNotContain(SECRETS);
    }

    @Test
    void user_info_is_masked_in_any_url() {
        assertThat(CheckConfigCommand.masked("a: https://u:p@host/x and s3://key@b\nc: http://host/"))
                .isEqualTo("a: https://******@host/x and s3://******@b\nc: http://host/");
    }

    private static Run run(Optional<Path> file, Map<String, String> env) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int code = CheckConfigCommand.run(file, env, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return new Run(code, bytes.toString(StandardCharsets.UTF_8));
    }

    private record Run(int code, String out) {
    }
}
