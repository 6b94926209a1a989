package io.snapkeep.app.config;

import io.snapkeep.app.config.SnapkeepConfig.Participant;
import io.snapkeep.core.domain.StateCategory;
import io.snapkeep.core.port.out.StateParticipant;
import io.snapkeep.core.support.Secrets;
import io.snapkeep.participants.jdbc.JdbcTablesSettings;
import java.util.List;
import java.util.Optional;

/**
 * {@code type: jdbc_tables}: named tables of the database at {@code url} (with {@code user} and
 * {@code password}), checked by {@link JdbcTablesSettings}.
 */
final class JdbcTablesParticipantType implements ParticipantType {

    @Override
    public String name() {
        return "jdbc_tables";
    }

    @Override
    public Optional<Participant> read(Section item, Optional<String> name, StateCategory category) {
        int before = item.problemCount();
        Optional<String> url = item.string("url");
        String user = item.string("user").orElse("");
        Secret password = item.secret("password").orElse(Secret.of(""));
        List<String> tables = item.stringList("tables").orElse(List.of());
        item.check("url", JdbcTablesSettings.problemWithUrl(url.orElse(null)));
        JdbcTablesSettings.problemsWithTables(tables).forEach(problem -> item.check("tables", problem));
        if (name.isEmpty() || item.problemCount() != before) {
            return Optional.empty();
        }
        return Optional.of(new JdbcTables(new JdbcTablesSettings(name.get(), category, url.get(), user,
                password.reveal(), tables)));
    }

    /** Tables of a database, as {@code settings} name them; its {@code toString} masks the password. */
    public record JdbcTables(JdbcTablesSettings settings) implements Participant {
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
            return "jdbc_tables";
        }

        @Override
        public StateParticipant open() {
            return settings.open();
        }

        @Override
        public String describe() {
            return "tables " + String.join(",", settings.tables()) + " of " + Secrets.maskUrl(settings.url());
        }
    }
}
