package io.snapkeep.rest;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Probes for an orchestrator or a load balancer, open to anyone: they tell up or down and which part is
 * down, and nothing an attacker could use (no reasons, hosts or bucket names).
 */
@Path("/health")
@Access(Access.Level.ANYONE)
public final class HealthResource {
    private final Monitoring monitoring;

    @Inject
    HealthResource(Monitoring monitoring) {
        this.monitoring = monitoring;
    }

    /** 200 while the process serves requests; it asks nothing of the catalog or the store. */
    @GET
    @Path("live")
    public Response live() {
        return answer(200, Map.of("status", "up"));
    }

    /** 200 when every check is up, else 503; both name each check {@code up} or {@code down}. */
    @GET
    @Path("ready")
    public Response ready() {
        Map<String, Boolean> results = monitoring.readiness().check();
        Map<String, String> checks = new LinkedHashMap<>();
        results.forEach((name, up) -> checks.put(name, up ? "up" : "down"));
        boolean up = Monitoring.allUp(results);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", up ? "up" : "down");
        body.put("checks", checks);
        return answer(up ? 200 : 503, body);
    }

    private static Response answer(int status, Object body) {
        CacheControl noStore = new CacheControl();
        noStore.setNoStore(true);
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).cacheControl(noStore).entity(body)
                .build();
    }
}
