package io.snapkeep.rest;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;

/**
 * {@code GET /metrics}: the host's series in the Prometheus text format. For any authenticated user, or for
 * anyone when the host made it public ({@link AuthFilter} reads {@link Monitoring#metricsPublic()}).
 */
@Path("/metrics")
@Access(Access.Level.AUTHENTICATED)
public final class MetricsResource {
    static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final Monitoring monitoring;

    @Inject
    MetricsResource(Monitoring monitoring) {
        this.monitoring = monitoring;
    }

    @GET
    public Response scrape() {
        return Response.ok(monitoring.metrics().get(), PROMETHEUS_TEXT).build();
    }
}
