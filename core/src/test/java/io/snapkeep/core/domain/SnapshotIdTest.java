package io.snapkeep.core.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snapkeep.core.error.ErrorCode;
import io.snapkeep.core.error.InvalidParameterException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SnapshotIdTest {

    @ParameterizedTest
    @ValueSource(strings = {"a", "Z", "snap-1", "nightly_2026.11.28", "A-b_c.d", "x0123456789"})
    void valid_ids_are_accepted(String id) {
        assertThat(SnapshotId.of(id).value()).isEqualTo(id);
        assertThat(SnapshotId.problemWith(id)).isNull();
    }

    @org.junit.jupiter.api.Test
    void an_id_of_256_characters_is_accepted_and_257_refused() {
        String max = "a".repeat(256);
        assertThat(SnapshotId.of(max).value()).hasSize(256);
        assertThatThrownBy(() -> SnapshotId.of(max + "b"))
                .isInstanceOf(InvalidParameterException.class)
                .hasMessageContaining("at most 256 characters");
    }

    @ParameterizedTest(name = "[{index}] `{0}` is refused: {1}")
    @CsvSource(delimiter = '|', value = {
        "''|must not be empty",
        "a/b|a `/`",
        "/abs|start with a letter",
        "..|start with a letter",
        "a..b|must not contain `..`",
        "a/../b|a `/`",
        "with space|a space",
        "' lead'|start with a letter",
        "1abc|start with a letter",
        "_abc|start with a letter",
        "snäp|U+00E4",
        "naïve|U+00EF",
        "a%2Fb|`%`",
        "a\\b|`\\`",
        "tab\there|U+0009"
    })
    void invalid_ids_say_which_rule_failed(String id, String rule) {
        String candidate = id.replace("\\t", "\t");
        assertThatThrownBy(() -> SnapshotId.of(candidate))
                .isInstanceOf(InvalidParameterException.class)
                .hasMessageContaining(rule)
                .satisfies(e -> assertThat(((InvalidParameterException) e).code()).isEqualTo(ErrorCode.BAD_PARAMETERS));
    }

    @org.junit.jupiter.api.Test
    void null_is_refused() {
        assertThatThrownBy(() -> SnapshotId.of(null)).hasMessageContaining("must not be empty");
    }
}
