package io.snapkeep.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.snapkeep.app.config.PasswordHash;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HashPasswordCommandTest {

    @Test
    void the_first_line_of_standard_input_is_hashed_in_the_users_format_and_never_printed() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = HashPasswordCommand.run(null, in(" pass with spaces \r\nsecond line\n"), print(out), print(err));

        assertThat(code).isEqualTo(HashPasswordCommand.OK);
        String printed = out.toString(StandardCharsets.UTF_8).strip();
        assertThat(PasswordHash.problemWith(printed)).isNull();
        PasswordHash hash = PasswordHash.parse(printed);
        assertThat(hash.matches(" pass with spaces ")).isTrue();
        assertThat(hash.matches("pass with spaces")).isFalse();
        assertThat(out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8))
                .doesNotContain("pass with", "second line");
    }

    @Test
    void no_password_prints_no_hash() {
        for (String input : new String[] {"", "\n"}) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            assertThat(HashPasswordCommand.run(null, in(input), print(out), print(err)))
                    .isEqualTo(HashPasswordCommand.REFUSED);
            assertThat(out.size()).isZero();
            assertThat(err.toString(StandardCharsets.UTF_8)).contains("no password given");
        }
    }

    private static ByteArrayInputStream in(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    private static PrintStream print(ByteArrayOutputStream bytes) {
        return new PrintStream(bytes, true, StandardCharsets.UTF_8);
    }
}
