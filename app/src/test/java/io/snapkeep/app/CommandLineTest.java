package io.snapkeep.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snapkeep.app.CommandLine.Command;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CommandLineTest {

    @Test
    void no_arguments_serve_with_the_default_configuration() throws Exception {
        assertThat(CommandLine.parse()).isEqualTo(new CommandLine(Command.SERVE, Optional.empty(), false));
    }

    @Test
    void each_command_is_named_by_its_word_and_takes_config_where_it_reads_one() throws Exception {
        assertThat(CommandLine.parse("serve", "--config", "a.yaml"))
                .isEqualTo(new CommandLine(Command.SERVE, Optional.of(Path.of("a.yaml")), false));
        assertThat(CommandLine.parse("--config=b.yaml"))
                .isEqualTo(new CommandLine(Command.SERVE, Optional.of(Path.of("b.yaml")), false));
        assertThat(CommandLine.parse("reconcile", "--dry-run", "--config", "c.yaml"))
                .isEqualTo(new CommandLine(Command.RECONCILE, Optional.of(Path.of("c.yaml")), true));
        assertThat(CommandLine.parse("reconcile")).isEqualTo(new CommandLine(Command.RECONCILE, Optional.empty(), false));
        assertThat(CommandLine.parse("check-config", "--config", "d.yaml"))
                .isEqualTo(new CommandLine(Command.CHECK_CONFIG, Optional.of(Path.of("d.yaml")), false));
        assertThat(CommandLine.parse("hash-password").command()).isEqualTo(Command.HASH_PASSWORD);
    }

    @Test
    void help_and_version_win_wherever_they_stand() throws Exception {
        for (String[] args : new String[][] {{"--help"}, {"-h"}, {"help"}, {"reconcile", "--help"},
                {"--config", "x.yaml", "-h"}}) {
            assertThat(CommandLine.parse(args).command()).as(String.join(" ", args)).isEqualTo(Command.HELP);
        }
        for (String[] args : new String[][] {{"--version"}, {"-V"}, {"version"}, {"check-config", "--version"}}) {
            assertThat(CommandLine.parse(args).command()).as(String.join(" ", args)).isEqualTo(Command.VERSION);
        }
    }

    @Test
    void unknown_or_misplaced_arguments_are_refused_with_the_reason() {
        refused("unknown argument \"bogus\"", "bogus");
        refused("unknown argument \"--verbose\"", "--verbose");
        refused("unknown argument \"check-config\"", "reconcile", "check-config");
        refused("--config needs a file name", "--config");
        refused("--config needs a file name", "--config", "--dry-run");
        refused("--config needs a file name", "--config=");
        refused("--config is given more than once", "--config", "a", "--config=b");
        refused("--dry-run belongs to reconcile only", "--dry-run");
        refused("--dry-run belongs to reconcile only", "check-config", "--dry-run");
        refused("hash-password reads no configuration", "hash-password", "--config", "a.yaml");
    }

    @Test
    void a_refused_argument_is_echoed_without_control_characters_and_cut_short() {
        assertThatThrownBy(() -> CommandLine.parse("\u001b[2Jx" + "y".repeat(200)))
                .isInstanceOf(CommandLine.Refused.class)
                .hasMessageNotContaining("\u001b").hasMessageContaining("?[2Jx").hasMessageEndingWith("...\"");
    }

    @Test
    void the_usage_names_every_command_and_option() {
        for (Command c : Command.values()) {
            assertThat(CommandLine.USAGE).contains(c.word);
        }
        assertThat(CommandLine.USAGE).contains("--config", "--dry-run", "--help", "--version", "Exit codes");
    }

    private static void refused(String reason, String... args) {
        assertThatThrownBy(() -> CommandLine.parse(args)).as(String.join(" ", args))
                .isInstanceOf(CommandLine.Refused.class).hasMessageContaining(reason);
    }
}
