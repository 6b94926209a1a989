package io.snapkeep.rest;

import java.util.Map;

/**
 * Whether the parts the API needs answer now: what {@code GET /health/ready} and {@code GET /api/{v}/status}
 * report. The host bounds how long a check may take; the API only reads the answer.
 */
@FunctionalInterface
public interface ReadinessCheck {
    /** Nothing to check: always ready. */
    ReadinessCheck NONE = Map::of;

    /**
     * Each part by a short name ({@code catalog}, {@code store}), in a fixed order, mapped to whether it
     * answered in time. Names only: the reason a part is down is the host's to log, never a client's to read.
     */
    Map<String, Boolean> check();
}
