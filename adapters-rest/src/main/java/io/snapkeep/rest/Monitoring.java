package io.snapkeep.rest;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * What the host gives the API to report its health and metrics.
 *
 * @param readiness     the checks of {@code GET /health/ready} and {@code GET /api/{v}/status}
 * @param metrics       the text of {@code GET /metrics}, in the Prometheus text format (0.0.4)
 * @param metricsPublic whether {@code GET /metrics} answers without credentials; otherwise any valid user may
 */
public record Monitoring(ReadinessCheck readiness, Supplier<String> metrics, boolean metricsPublic) {
    /** No checks (always ready), no series, {@code /metrics} for authenticated users. */
    public static final Monitoring NONE = new Monitoring(ReadinessCheck.NONE, () -> "", false);

    public Monitoring {
        Objects.requireNonNull(readiness, "readiness");
        Objects.requireNonNull(metrics, "metrics");
    }

    /** Whether every check of {@code checks} is up. */
    static boolean allUp(java.util.Map<String, Boolean> checks) {
        return checks.values().stream().allMatch(Boolean::booleanValue);
    }
}
