package io.snapkeep.core.domain;

import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * What a create includes, with the API's defaults: credentials, logs and events in, metrics out, no
 * queueing. {@link StateCategory#STATE} is always included.
 */
public record CreateOptions(boolean includeCredentials, boolean includeMetrics, boolean includeLogs,
                            boolean includeEvents, boolean queue) {

    public static final CreateOptions DEFAULTS = new CreateOptions(true, false, true, true, false);

    /** The participant categories this create exports. */
    public Set<StateCategory> categories() {
        EnumSet<StateCategory> set = EnumSet.of(StateCategory.STATE);
        if (includeCredentials) {
            set.add(StateCategory.CREDENTIALS);
        }
        if (includeMetrics) {
            set.add(StateCategory.METRICS);
        }
        if (includeLogs) {
            set.add(StateCategory.LOGS);
        }
        if (includeEvents) {
            set.add(StateCategory.EVENTS);
        }
        return set;
    }

    /** The options as an execution's {@code parameters} show them (without {@code snapshot_id}). */
    public Map<String, Object> asParameters() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("include_credentials", includeCredentials);
        p.put("include_metrics", includeMetrics);
        p.put("include_logs", includeLogs);
        p.put("include_events", includeEvents);
        p.put("queue", queue);
        return p;
    }

    /** Reads back what {@link #asParameters()} wrote; a missing key takes its default. */
    public static CreateOptions fromParameters(Map<String, Object> p) {
        return new CreateOptions(
                bool(p, "include_credentials", DEFAULTS.includeCredentials),
                bool(p, "include_metrics", DEFAULTS.includeMetrics),
                bool(p, "include_logs", DEFAULTS.includeLogs),
                bool(p, "include_events", DEFAULTS.includeEvents),
                bool(p, "queue", DEFAULTS.queue));
    }

    static boolean bool(Map<String, Object> p, String key, boolean fallback) {
        Object v = p.get(key);
        if (v instanceof Boolean b) {
            return b;
        }
        if (v instanceof String s) {
            return Boolean.parseBoolean(s);
        }
        return fallback;
    }
}
