package io.snapkeep.rest;

import io.snapkeep.core.domain.Execution;
import io.snapkeep.core.domain.ExecutionField;
import io.snapkeep.core.domain.Page;
import io.snapkeep.core.port.in.SnapshotService;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import java.util.Set;

/** {@code /executions}: get, list, cancel. */
@Path(Paths.VERSIONED + "/executions")
public final class ExecutionsResource {
    private final SnapshotService service;

    @Context
    private ContainerRequestContext request;
    @Context
    private UriInfo uri;

    @Inject
    ExecutionsResource(SnapshotService service) {
        this.service = service;
    }

    @Access(Access.Level.READER)
    @GET
    public Response list() {
        ListParameters<ExecutionField> p = ListParameters.parse(uri.getQueryParameters(),
                ListParameters.EXECUTION_FIELDS);
        // Every snapshot execution is a system workflow: hidden unless asked for, as in Cloudify.
        boolean system = ListParameters.bool(uri.getQueryParameters(), "_include_system_workflows", false);
        ListParameters.bool(uri.getQueryParameters(), "_all_tenants", false);
        Page<Execution> page = p.matchesNone() || !system
                ? new Page<>(List.of(), 0, p.query().offset(), p.query().size())
                : service.listExecutions(p.query());
        return SnapshotsResource.json(200, Representations.list(page,
                e -> Representations.project(Representations.execution(e), p.include())));
    }

    @Access(Access.Level.READER)
    @GET
    @Path("{id}")
    public Response get(@PathParam("id") String id) {
        Set<String> include = ListParameters.include(uri.getQueryParameters(), Representations.EXECUTION_KEYS);
        Execution e = service.getExecution(Callers.existingExecutionId(id));
        return SnapshotsResource.json(200, Representations.project(Representations.execution(e), include));
    }

    @POST
    @Path("{id}")
    public Response cancel(@PathParam("id") String id) {
        RequestOptions options = RequestOptions.read(request.getEntityStream(), request.getMediaType(),
                uri.getQueryParameters());
        String action = options.text("action");
        boolean force;
        if ("cancel".equals(action)) {
            force = false;
        } else if ("force-cancel".equals(action)) {
            force = true;
        } else {
            throw ApiError.badParameters("Unknown action `" + action + "`; use `cancel` or `force-cancel`");
        }
        Execution e = service.cancel(Callers.existingExecutionId(id), force);
        return SnapshotsResource.json(200, Representations.execution(e));
    }
}
