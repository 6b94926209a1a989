package io.snapkeep.participants.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snapkeep.core.domain.StateCategory;
import java.util.List;
import org.junit.jupiter.api.Test;

class JdbcTablesSettingsTest {
    private static final String URL = "jdbc:h2:mem:settings";

    @Test
    void table_lists_are_accepted_exactly_when_the_participant_accepts_them() {
        List<List<String>> lists = List.of(List.of("a"), List.of("s.b", "c_1"), List.of("_x"), List.of(),
                List.of("t; drop"), List.of("1a"), List.of("a.b.c"), List.of("a", "A"), List.of("s.t", "S.T"),
                List.of("\"quoted\""), List.of("a-b"));
        for (List<String> tables : lists) {
            boolean participant = accepts(() -> JdbcTablesParticipant.forUrl("db", StateCategory.STATE, URL, "", "",
                    tables));
            assertThat(JdbcTablesSettings.problemsWithTables(tables).isEmpty()).as("%s", tables).isEqualTo(participant);
            assertThat(accepts(() -> new JdbcTablesSettings("db", StateCategory.STATE, URL, "", "", tables)))
                    .as("%s", tables).isEqualTo(participant);
        }
    }

    @Test
    void every_problem_of_a_list_is_named() {
        assertThat(JdbcTablesSettings.problemsWithTables(List.of("ok", "t; drop", "OK", "2x"))).containsExactly(
                "each must be a plain SQL name (letters, digits, '_'; optionally schema.table), got \"t; drop\"",
                "each may be listed once, got \"OK\" twice (names are compared without case)",
                "each must be a plain SQL name (letters, digits, '_'; optionally schema.table), got \"2x\"");
        assertThat(JdbcTablesSettings.problemsWithTables(List.of()))
                .containsExactly("required, a list of at least one table name");
    }

    @Test
    void the_url_is_a_jdbc_url_and_its_password_never_shows() {
        assertThat(JdbcTablesSettings.problemWithUrl(null)).isEqualTo("required, a JDBC URL starting with \"jdbc:\"");
        assertThat(JdbcTablesSettings.problemWithUrl("postgres://h/db?password=hunter2"))
                .startsWith("must be a JDBC URL starting with \"jdbc:\"").doesNotContain("hunter2");
        assertThat(JdbcTablesSettings.problemWithUrl(URL)).isNull();
        assertThatThrownBy(() -> new JdbcTablesSettings("db", StateCategory.STATE, "h2:mem:x", "", "", List.of("a")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("jdbc_tables participant url:");

        JdbcTablesSettings settings = new JdbcTablesSettings("db", StateCategory.STATE,
                "jdbc:h2:mem:x;PASSWORD=in-url", "sa", "pass-word", List.of("a"));
        assertThat(settings.toString()).doesNotContain("in-url", "pass-word").contains("password=******");
    }

    @Test
    void names_follow_the_participant_name_rules_and_the_participant_is_built_from_the_settings() {
        assertThat(JdbcTablesSettings.problemWithName("db-1")).isNull();
        assertThat(JdbcTablesSettings.problemWithName("../db")).isNotNull();
        assertThatThrownBy(() -> new JdbcTablesSettings("../db", StateCategory.STATE, URL, "", "", List.of("a")))
                .hasMessageStartingWith("jdbc_tables participant name:");
        JdbcTablesParticipant participant = new JdbcTablesSettings("db", StateCategory.CREDENTIALS, URL, null, null,
                List.of("a")).open();
        assertThat(participant.name()).isEqualTo("db");
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
