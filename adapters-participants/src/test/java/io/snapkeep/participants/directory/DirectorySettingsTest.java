package io.snapkeep.participants.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snapkeep.core.domain.StateCategory;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectorySettingsTest {
    @TempDir
    Path dir;

    @Test
    void settings_accept_exactly_what_the_participant_accepts() {
        Path root = dir.getRoot();
        for (String name : List.of("etc", "a.b-c_d", "", "1st", "a..b", "with space", "x".repeat(257))) {
            for (Path path : List.of(dir.resolve("tree"), root)) {
                boolean participant = accepts(() -> new DirectoryParticipant(name, StateCategory.STATE, path));
                boolean settings = DirectorySettings.problemWithName(name) == null
                        && DirectorySettings.problemWithPath(path) == null;
                assertThat(settings).as("%s at %s", name, path).isEqualTo(participant);
                assertThat(accepts(() -> new DirectorySettings(name, StateCategory.STATE, path)))
                        .as("%s at %s", name, path).isEqualTo(participant);
            }
        }
    }

    @Test
    void each_problem_is_named_and_the_participant_is_built_from_valid_settings() {
        assertThat(DirectorySettings.problemWithPath(null)).isEqualTo("required for a directory participant");
        assertThat(DirectorySettings.problemWithPath(dir.getRoot())).startsWith("must not be a file system root");
        assertThat(DirectorySettings.problemWithName("1st")).contains("must start with a letter");
        assertThatThrownBy(() -> new DirectorySettings("etc", StateCategory.STATE, dir.getRoot()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Directory participant path: must not be a file system root");

        DirectorySettings settings = new DirectorySettings("etc", StateCategory.CREDENTIALS, dir.resolve("a/../tree"));
        assertThat(settings.path()).isEqualTo(dir.resolve("tree"));
        DirectoryParticipant participant = settings.open();
        assertThat(participant.name()).isEqualTo("etc");
        assertThat(participant.category()).isEqualTo(StateCategory.CREDENTIALS);
    }

    private static boolean accepts(Runnable build) {
        try {
            build.run();
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
