package io.snapkeep.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoggingConfigTest {
    @TempDir
    Path dir;

    @Test
    void plain_lines_and_no_levels_by_default() {
        SnapkeepConfig.Logging logging = SnapkeepConfig.load(Optional.empty(), Map.of()).logging();
        assertThat(logging.json()).isFalse();
        assertThat(logging.levels()).isEmpty();
    }

    @Test
    void the_file_sets_format_and_levels_in_their_order() throws Exception {
        Path file = Files.writeString(dir.resolve("c.yaml"), """
                logging:
                  format: JSON
                  levels:
                    io.snapkeep: DEBUG
                    org.eclipse.jetty: warn
                    io.snapkeep.access: off
                    root: error
                """);
        SnapkeepConfig.Logging logging = SnapkeepConfig.load(Optional.of(file), Map.of()).logging();
        assertThat(logging.json()).isTrue();
        assertThat(logging.levels()).containsExactly(Map.entry("io.snapkeep", "debug"),
                Map.entry("org.eclipse.jetty", "warn"), Map.entry("io.snapkeep.access", "off"),
                Map.entry("root", "error"));
    }

    @Test
    void the_environment_replaces_the_levels_whole_with_or_without_braces() throws Exception {
        Path file = Files.writeString(dir.resolve("c.yaml"), "logging: {levels: {org.flywaydb: info}}\n");
        for (String text : new String[] {"io.snapkeep: debug, org.eclipse.jetty: error",
                "{io.snapkeep: debug, org.eclipse.jetty: error}"}) {
            SnapkeepConfig.Logging logging = SnapkeepConfig.load(Optional.of(file),
                    Map.of("SNAPKEEP_LOGGING_LEVELS", text, "SNAPKEEP_LOGGING_FORMAT", "json")).logging();
            assertThat(logging.json()).isTrue();
            assertThat(logging.levels()).as(text).containsExactly(Map.entry("io.snapkeep", "debug"),
                    Map.entry("org.eclipse.jetty", "error"));
        }
    }

    @Test
    void bad_formats_levels_and_names_are_each_reported() throws Exception {
        Path file = Files.writeString(dir.resolve("c.yaml"), """
                logging:
                  format: xml
                  levels:
                    io.snapkeep: loud
                    "not a name": info
                    org.x: [debug]
                  colour: blue
                """);
        assertThatThrownBy(() -> SnapkeepConfig.load(Optional.of(file), Map.of()))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).containsExactlyInAnyOrder(
                        "logging.format: must be one of plain, json, got \"xml\"",
                        "logging.levels: the level of io.snapkeep must be one of trace, debug, info, warn, error, off,"
                                + " got \"loud\"",
                        "logging.levels: each key must be a logger or package name such as io.snapkeep, or root,"
                                + " got \"not a name\"",
                        "logging.levels.org.x: must be a single value",
                        "logging.colour: unknown key; known keys here are format, levels"));
        assertThatThrownBy(() -> SnapkeepConfig.load(Optional.empty(), Map.of("SNAPKEEP_LOGGING_LEVELS", "[debug]")))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).singleElement()
                        .asString().startsWith("logging.levels: SNAPKEEP_LOGGING_LEVELS must be name: value pairs such as"
                                + " \"io.snapkeep: debug, org.eclipse.jetty: warn\": a syntax error at line 1"));
    }
}
