package io.snapkeep.core.port.out;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;

/** Reads cron expressions; the core knows no cron syntax of its own. */
public interface CronSchedules {

    /**
     * The schedule {@code expression} describes in {@code zone}.
     *
     * @throws IllegalArgumentException why it is not a valid expression, in words fit for an API message
     */
    Schedule parse(String expression, ZoneId zone);

    /** The due times of one expression. */
    interface Schedule {
        /** The first due time strictly after {@code after}; empty when it never fires again. */
        Optional<Instant> next(Instant after);
    }
}
