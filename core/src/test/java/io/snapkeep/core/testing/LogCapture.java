package io.snapkeep.core.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Collects what the core logs through {@link System.Logger} under one logger name, where no other logging
 * provider is on the class path (the JDK then logs through {@code java.util.logging}). Close it to stop.
 */
public final class LogCapture implements AutoCloseable {
    private final Logger logger;
    private final List<Line> lines = new CopyOnWriteArrayList<>();
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord r) {
            String message = r.getMessage();
            lines.add(new Line(levelOf(r.getLevel()), message == null ? "" : message, r.getThrown()));
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    /** One line as the core logged it. */
    public record Line(System.Logger.Level level, String message, Throwable thrown) {
    }

    private LogCapture(String name) {
        this.logger = Logger.getLogger(name);
        logger.addHandler(handler);
    }

    /** Captures the logger of {@code owner} (the core names its loggers after their classes). */
    public static LogCapture of(Class<?> owner) {
        return new LogCapture(owner.getName());
    }

    /** Captures the logger named {@code name} and, as java.util.logging does, every logger below it. */
    public static LogCapture of(String name) {
        return new LogCapture(name);
    }

    public List<Line> lines() {
        return List.copyOf(lines);
    }

    public List<Line> at(System.Logger.Level level) {
        return lines.stream().filter(l -> l.level() == level).toList();
    }

    @Override
    public void close() {
        logger.removeHandler(handler);
    }

    private static System.Logger.Level levelOf(Level level) {
        int v = level.intValue();
        if (v >= Level.SEVERE.intValue()) {
            return System.Logger.Level.ERROR;
        }
        if (v >= Level.WARNING.intValue()) {
            return System.Logger.Level.WARNING;
        }
        if (v >= Level.INFO.intValue()) {
            return System.Logger.Level.INFO;
        }
        if (v >= Level.FINE.intValue()) {
            return System.Logger.Level.DEBUG;
        }
        return System.Logger.Level.TRACE;
    }
}
