package io.snapkeep.app.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class LogSetupTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @AfterEach
    void backToTheDefaults() {
        LogSetup.configure(false, Map.of());
    }

    @Test
    void levels_apply_per_logger_name_over_the_defaults_and_reach_java_util_logging() {
        LogSetup.configure(false, Map.of("io.snapkeep", "debug", "io.snapkeep.access", "off",
                "org.eclipse.jetty", "info", "root", "warn"));

        assertThat(LoggerFactory.getLogger("io.snapkeep.core.Anything").isDebugEnabled()).isTrue();
        assertThat(LoggerFactory.getLogger("io.snapkeep.core.Anything").isTraceEnabled()).isFalse();
        assertThat(LoggerFactory.getLogger(AccessLog.LOGGER).isErrorEnabled()).isFalse();
        assertThat(LoggerFactory.getLogger("org.eclipse.jetty.server.Server").isInfoEnabled()).isTrue();
        // A default that nothing overrides, and the root level for everything else.
        assertThat(LoggerFactory.getLogger("org.glassfish.jersey.server.X").isInfoEnabled()).isFalse();
        assertThat(LoggerFactory.getLogger("com.example.Other").isInfoEnabled()).isFalse();
        assertThat(LoggerFactory.getLogger("com.example.Other").isWarnEnabled()).isTrue();
        // Jersey decides in java.util.logging whether an event goes on: the levels are propagated there.
        LogSetup.configure(false, Map.of("org.glassfish.jersey", "debug"));
        assertThat(Logger.getLogger("org.glassfish.jersey").isLoggable(java.util.logging.Level.FINE)).isTrue();
    }

    @Test
    void without_levels_the_server_logs_info_and_third_parties_warnings() {
        LogSetup.configure(false, Map.of());

        assertThat(LoggerFactory.getLogger("io.snapkeep.app.SnapkeepServer").isInfoEnabled()).isTrue();
        assertThat(LoggerFactory.getLogger("io.snapkeep.app.SnapkeepServer").isDebugEnabled()).isFalse();
        assertThat(LoggerFactory.getLogger("org.eclipse.jetty.server.Server").isInfoEnabled()).isFalse();
        assertThat(LoggerFactory.getLogger("org.eclipse.jetty.server.Server").isWarnEnabled()).isTrue();
    }

    @Test
    void a_json_line_is_one_object_with_the_fields_an_operator_searches_by() throws Exception {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        LoggingEvent event = new LoggingEvent("x", context.getLogger("io.snapkeep.Test"), Level.ERROR,
                "failed on {}\nsecond \"line\"", new IllegalStateException("boom"), new Object[] {"GET /x"});
        event.setThreadName("snapkeep-http-7");
        event.setMDCPropertyMap(Map.of(RequestIds.MDC_KEY, "req-1", "other", "ignored"));
        event.addKeyValuePair(new org.slf4j.event.KeyValuePair("status", 500));
        event.addKeyValuePair(new org.slf4j.event.KeyValuePair("message", "not twice"));
        JsonLineEncoder encoder = new JsonLineEncoder();
        encoder.setContext(context);
        encoder.start();

        String line = new String(encoder.encode(event), StandardCharsets.UTF_8);

        assertThat(line).endsWith("\n");
        assertThat(line.strip()).doesNotContain("\n");
        JsonNode json = JSON.readTree(line);
        assertThat(json.path("level").asText()).isEqualTo("error");
        assertThat(json.path("logger").asText()).isEqualTo("io.snapkeep.Test");
        assertThat(json.path("thread").asText()).isEqualTo("snapkeep-http-7");
        assertThat(json.path("message").asText()).isEqualTo("failed on GET /x\nsecond \"line\"");
        assertThat(json.path("request_id").asText()).isEqualTo("req-1");
        assertThat(json.path("status").asInt()).isEqualTo(500);
        assertThat(json.path("exception").asText()).startsWith("java.lang.IllegalStateException: boom")
                .contains("at io.snapkeep.app.logging.LogSetupTest");
        assertThat(java.time.Instant.parse(json.path("timestamp").asText())).isNotNull();
        assertThat(json.has("other")).isFalse();
    }

    @Test
    void only_short_safe_request_ids_are_taken_from_the_client() {
        assertThat(RequestIds.accepted("abc-123_X.y")).isEqualTo("abc-123_X.y");
        assertThat(RequestIds.accepted("a".repeat(64))).isEqualTo("a".repeat(64));
        for (String unsafe : new String[] {null, "", "a".repeat(65), "two words", "line\nbreak", "é", "a;b", "<x>"}) {
            String id = RequestIds.accepted(unsafe);
            assertThat(id).as(String.valueOf(unsafe)).isNotEqualTo(unsafe).matches("[A-Za-z0-9_-]{16}");
        }
        assertThat(RequestIds.generate()).isNotEqualTo(RequestIds.generate());
    }
}
