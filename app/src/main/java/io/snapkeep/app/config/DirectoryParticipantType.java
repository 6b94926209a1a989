package io.snapkeep.app.config;

import io.snapkeep.app.config.SnapkeepConfig.Participant;
import io.snapkeep.core.domain.StateCategory;
import io.snapkeep.core.port.out.StateParticipant;
import io.snapkeep.participants.directory.DirectorySettings;
import java.nio.file.Path;
import java.util.Optional;

/** {@code type: directory}: a directory tree at {@code path}, checked by {@link DirectorySettings}. */
final class DirectoryParticipantType implements ParticipantType {

    @Override
    public String name() {
        return "directory";
    }

    @Override
    public Optional<Participant> read(Section item, Optional<String> name, StateCategory category) {
        int before = item.problemCount();
        Optional<Path> path = item.path("path");
        if (path.isEmpty() && item.problemCount() == before) {
            item.check("path", DirectorySettings.problemWithPath(null));
        }
        path.ifPresent(p -> item.check("path", DirectorySettings.problemWithPath(p)));
        if (name.isEmpty() || path.isEmpty() || item.problemCount() != before) {
            return Optional.empty();
        }
        return Optional.of(directory(name.get(), category, path.get()));
    }

    /** The participant for the tree at {@code path}. */
    static Participant directory(String name, StateCategory category, Path path) {
        return new Directory(new DirectorySettings(name, category, path));
    }

    /** A directory tree, as {@code settings} name it. */
    public record Directory(DirectorySettings settings) implements Participant {
        @Override
        public String name() {
            return settings.name();
        }

        @Override
        public StateCategory category() {
            return settings.category();
        }

        @Override
        public String type() {
            return "directory";
        }

        @Override
        public StateParticipant open() {
            return settings.open();
        }

        @Override
        public String describe() {
            return "directory " + settings.path();
        }
    }
}
