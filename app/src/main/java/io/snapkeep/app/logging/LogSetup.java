package io.snapkeep.app.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.jul.LevelChangePropagator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * The server's one logging setup, made from its configuration rather than from a file of Logback's own: every
 * event goes to standard output, as plain text lines or as one JSON object per line, with a level per
 * logger name. The bundled {@code logback.xml} is only what holds until the configuration has been read
 * (and in tests that run the server inside their own JVM).
 */
public final class LogSetup {
    /** The plain line: time, level, thread, logger, the request id when there is one, message, stack trace. */
    static final String PLAIN_PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level [%thread] %logger{36}"
            + "%replace( [%X{" + RequestIds.MDC_KEY + "}]){' \\[\\]', ''} - %msg%n";
    /** Third-party start-up chatter is kept to warnings unless the configuration says otherwise. */
    static final Map<String, String> DEFAULT_LEVELS = Map.of(
            "org.eclipse.jetty", "warn",
            "org.glassfish.jersey", "warn",
            "org.flywaydb", "warn",
            "com.zaxxer.hikari", "warn");

    private LogSetup() {
    }

    /** {@link #configure(boolean, Map, boolean)} to standard output: the server's log. */
    public static void configure(boolean json, Map<String, String> levels) {
        configure(json, levels, false);
    }

    /**
     * Replaces whatever logging setup there was.
     *
     * @param json          JSON lines rather than plain ones
     * @param levels        a level per logger name, {@code root} for the root logger; over the defaults
     * @param standardError to standard error rather than standard output
     */
    public static void configure(boolean json, Map<String, String> levels, boolean standardError) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return; // another binding (a test's class path): it keeps its own setup
        }
        context.reset();
        // java.util.logging (Jersey, HK2) decides itself whether to hand an event on: this keeps its levels in
        // step with the ones set here, so a debug level for org.glassfish.jersey reaches the log.
        LevelChangePropagator propagator = new LevelChangePropagator();
        propagator.setContext(context);
        propagator.setResetJUL(true);
        propagator.start();
        context.addListener(propagator);

        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(context);
        console.setName("console");
        console.setTarget(standardError ? "System.err" : "System.out");
        console.setEncoder(encoder(context, json));
        console.start();

        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);
        root.addAppender(console);
        Map<String, String> all = new LinkedHashMap<>(DEFAULT_LEVELS);
        all.putAll(levels);
        all.forEach((name, level) -> {
            Logger logger = name.equalsIgnoreCase("root") ? root : context.getLogger(name);
            logger.setLevel(Level.toLevel(level.toUpperCase(Locale.ROOT), Level.INFO));
        });
    }

    private static Encoder<ILoggingEvent> encoder(LoggerContext context, boolean json) {
        if (json) {
            JsonLineEncoder encoder = new JsonLineEncoder();
            encoder.setContext(context);
            encoder.start();
            return encoder;
        }
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(PLAIN_PATTERN);
        encoder.start();
        return encoder;
    }
}
