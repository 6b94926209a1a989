package io.snapkeep.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged jar's commands run as an operator runs them, as a process, with their exit codes. */
class CommandsIT {
    private static final Duration LIMIT = Duration.ofSeconds(60);

    @TempDir
    Path temp;

    @Test
    void version_and_help_print_and_exit_0_and_an_unknown_argument_exits_2_with_the_usage() throws Exception {
        Path data = temp.resolve("data");
        ServerProcess.Finished version = ServerProcess.run(data, Map.of(), LIMIT, "--version");
        assertThat(version.exitCode()).as(version.output()).isZero();
        assertThat(version.output().strip()).matches("Snapkeep \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");

        ServerProcess.Finished help = ServerProcess.run(data, Map.of(), LIMIT, "--help");
        assertThat(help.exitCode()).as(help.output()).isZero();
        assertThat(help.output()).contains("check-config", "hash-password", "reconcile", "--dry-run");

        ServerProcess.Finished unknown = ServerProcess.run(data, Map.of(), LIMIT, "--frobnicate");
        assertThat(unknown.exitCode()).as(unknown.output()).isEqualTo(2);
        assertThat(unknown.output()).contains("unknown argument \"--frobnicate\"", "Usage:");
        assertThat(Files.exists(data)).as("nothing ran: no data directory").isFalse();
    }

    @Test
    void check_config_prints_masked_settings_or_every_problem() throws Exception {
        Path data = temp.resolve("data");
        Path file = Files.writeString(temp.resolve("snapkeep.yaml"), """
                storage: {type: s3}
                s3: {endpoint: "http://127.0.0.1:9000", bucket: snapkeep-archives, access_key: ak-visible, secret_key: sk-hidden-1}
                logging: {format: json}
                """);
        ServerProcess.Finished fine = ServerProcess.run(data, Map.of("SNAPKEEP_ADMIN_PASSWORD", "admin-hidden-2"),
                LIMIT, "check-config", "--config", file.toString());
        assertThat(fine.exitCode()).as(fine.output()).isZero();
        assertThat(fine.output()).contains("is valid", "s3.access_key: ak-visible", "s3.secret_key: ******",
                "logging.format: json").doesNotContain("sk-hidden-1", "admin-hidden-2");

        ServerProcess.Finished broken = ServerProcess.run(data, Map.of("SNAPKEEP_LOGGING_FORMAT", "xml",
                "SNAPKEEP_S3_BUCKET", "", "SNAPKEEP_TOKENS_LIFETIME", "soon"), LIMIT,
                "check-config", "--config=" + file);
        assertThat(broken.exitCode()).as(broken.output()).isEqualTo(1);
        assertThat(broken.output()).contains("problem(s)", "logging.format", "tokens.lifetime")
                .doesNotContain("sk-hidden-1");
        assertThat(broken.output().lines().filter(l -> l.startsWith("  ")).count()).as(broken.output())
                .isGreaterThanOrEqualTo(2);
    }
}
