package io.snapkeep.core.application.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snapkeep.core.error.InvalidArchiveException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The reader refuses documents whose reading would cost far more than their size suggests. */
class JsonLimitsTest {

    @Test
    void a_number_of_a_million_digits_is_refused_naming_the_limit() {
        String doc = "{\"n\":" + "7".repeat(1_000_000) + "}";
        assertThatThrownBy(() -> Json.parse(doc)).isInstanceOf(Json.JsonException.class)
                .hasMessage("number longer than 100 characters at offset 5");
    }

    @Test
    void a_number_of_the_limit_is_read_and_one_character_more_is_refused() throws Exception {
        String hundred = "1" + "0".repeat(99);
        assertThat(Json.parse("[" + hundred + "]")).isEqualTo(List.of(new BigDecimal(hundred)));
        assertThat(Json.parse("-" + "9".repeat(99))).isEqualTo(new BigDecimal("-" + "9".repeat(99)));
        assertThatThrownBy(() -> Json.parse("[" + hundred + "0]")).isInstanceOf(Json.JsonException.class)
                .hasMessage("number longer than 100 characters at offset 1");
        assertThatThrownBy(() -> Json.parse("0." + "0".repeat(200) + "1")).isInstanceOf(Json.JsonException.class)
                .hasMessageContaining("number longer than 100 characters");
    }

    @Test
    void a_short_number_with_a_huge_exponent_is_refused() throws Exception {
        assertThat(Json.parse("1e1000")).isEqualTo(new BigDecimal("1e1000"));
        assertThatThrownBy(() -> Json.parse("{\"n\":1e999999999}")).isInstanceOf(Json.JsonException.class)
                .hasMessage("number beyond 10^+/-1000 at offset 5");
        assertThatThrownBy(() -> Json.parse("[2E-1001]")).isInstanceOf(Json.JsonException.class)
                .hasMessage("number beyond 10^+/-1000 at offset 1");
    }

    @Test
    void nesting_a_hundred_thousand_deep_is_refused_naming_the_limit() throws Exception {
        assertThatThrownBy(() -> Json.parse("[".repeat(100_000) + "]".repeat(100_000)))
                .isInstanceOf(Json.JsonException.class).hasMessage("nesting deeper than 64 at offset 65");
        assertThatThrownBy(() -> Json.parse("{\"a\":".repeat(100_000) + "1" + "}".repeat(100_000)))
                .isInstanceOf(Json.JsonException.class).hasMessageStartingWith("nesting deeper than 64 at offset");
        Object deepest = Json.parse("[".repeat(65) + "]".repeat(65));
        assertThat(deepest).isInstanceOf(List.class);
    }

    @Test
    void a_string_or_a_name_over_a_mebichar_is_refused_naming_the_limit() throws Exception {
        String limit = "a".repeat(Json.MAX_STRING_CHARS);
        assertThat(Json.parse("[\"" + limit + "\"]")).isEqualTo(List.of(limit));
        assertThatThrownBy(() -> Json.parse("{\"s\":\"" + limit + "b\"}")).isInstanceOf(Json.JsonException.class)
                .hasMessage("string longer than 1048576 characters at offset 5");
        assertThatThrownBy(() -> Json.parse("{\"" + limit + "b\":1}")).isInstanceOf(Json.JsonException.class)
                .hasMessage("string longer than 1048576 characters at offset 1");
        String escapes = "\\u0041".repeat(Json.MAX_STRING_CHARS) + "\\n";
        assertThatThrownBy(() -> Json.parse("\"" + escapes + "\"")).isInstanceOf(Json.JsonException.class)
                .hasMessage("string longer than 1048576 characters at offset 0");
        assertThat(Json.parse("{\"k\":\"v\"}")).isEqualTo(Map.of("k", "v"));
    }

    @Test
    void in_metadata_json_each_limit_is_an_invalid_archive() {
        for (String doc : List.of("{\"n\":" + "1".repeat(1_000_000) + "}", "[".repeat(100_000),
                "{\"s\":\"" + "x".repeat(Json.MAX_STRING_CHARS + 1) + "\"}")) {
            byte[] bytes = doc.getBytes(StandardCharsets.UTF_8);
            assertThatThrownBy(() -> MetadataCodec.decode(bytes)).isInstanceOf(InvalidArchiveException.class)
                    .hasMessageStartingWith("metadata.json is not valid JSON: ")
                    .hasMessageMatching("(?s).*(number longer than 100|nesting deeper than 64|string longer than 1048576)"
                            + " .*");
        }
    }
}
