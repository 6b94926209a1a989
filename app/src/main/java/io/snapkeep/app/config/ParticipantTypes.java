package io.snapkeep.app.config;

import java.util.List;
import java.util.Optional;

/** Every participant type that an item of {@code participants} can name. */
final class ParticipantTypes {
    static final List<ParticipantType> ALL = List.of(
            new DirectoryParticipantType(),
            new JdbcTablesParticipantType());

    private ParticipantTypes() {
    }

    static List<String> names() {
        return ALL.stream().map(ParticipantType::name).toList();
    }

    static Optional<ParticipantType> named(String name) {
        return ALL.stream().filter(t -> t.name().equals(name)).findFirst();
    }
}
