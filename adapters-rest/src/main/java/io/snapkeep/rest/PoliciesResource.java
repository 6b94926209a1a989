package io.snapkeep.rest;

import io.snapkeep.core.domain.Execution;
import io.snapkeep.core.domain.Page;
import io.snapkeep.core.domain.PolicyStatus;
import io.snapkeep.core.domain.SnapshotPolicy;
import io.snapkeep.core.port.in.SnapshotPolicies;
import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import java.util.List;

/**
 * {@code /snapshot-policies}: put (create or replace), list, get, delete, run now. Changes are for
 * {@code sys_admin}; reading is for any authenticated user. Deleting a policy never deletes its snapshots.
 */
@Path(Paths.VERSIONED + "/snapshot-policies")
public final class PoliciesResource {
    private final SnapshotPolicies policies;

    @Context
    private ContainerRequestContext request;

    @Inject
    PoliciesResource(SnapshotPolicies policies) {
        this.policies = policies;
    }

    @GET
    @Access(Access.Level.AUTHENTICATED)
    public Response list() {
        List<PolicyStatus> all = policies.policies();
        return SnapshotsResource.json(200, Representations.list(new Page<>(all, all.size(), 0, all.size()),
                Representations::policy));
    }

    @GET
    @Path("{name}")
    @Access(Access.Level.AUTHENTICATED)
    public Response get(@PathParam("name") String name) {
        return SnapshotsResource.json(200, Representations.policy(policies.policy(existing(name))));
    }

    @PUT
    @Path("{name}")
    public Response put(@PathParam("name") String name) {
        if (policies == SnapshotPolicies.disabled()) {
            // Before the body is read: a server without policies says so, whatever the body.
            policies.policies();
        }
        SnapshotPolicy policy = PolicyBody.read(name, RequestOptions.readObject(request.getEntityStream(),
                request.getMediaType()));
        return SnapshotsResource.json(200, Representations.policy(policies.putPolicy(policy)));
    }

    /** Answers the policy as it was; its snapshots stay. */
    @DELETE
    @Path("{name}")
    public Response delete(@PathParam("name") String name) {
        String existing = existing(name);
        PolicyStatus removed = policies.policy(existing);
        policies.deletePolicy(existing);
        return SnapshotsResource.json(200, Representations.policy(removed));
    }

    /** Runs the create now (queued behind a running execution) and answers its execution. */
    @POST
    @Path("{name}/run")
    public Response run(@PathParam("name") String name) {
        Execution e = policies.runPolicy(existing(name), Callers.userName(request));
        return SnapshotsResource.json(201, Representations.execution(e));
    }

    /** A name that could never be a policy's is simply not found, as with snapshot ids. */
    private static String existing(String name) {
        if (SnapshotPolicy.problemWithName(name) != null) {
            throw notFound(name);
        }
        return name;
    }

    static ApiError notFound(String name) {
        return ApiError.notFound("Requested `SnapshotPolicy` with ID `" + name + "` was not found");
    }
}
