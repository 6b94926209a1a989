package io.snapkeep.rest;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;

/** {@code GET /api/version}: the cfy CLI asks it before an upload and for {@code cfy --version}. */
@Path("/api/version")
public final class UnversionedResource {
    private final RestSettings settings;

    @Inject
    UnversionedResource(RestSettings settings) {
        this.settings = settings;
    }

    @GET
    @Access(Access.Level.ANYONE)
    public Response version() {
        return SnapshotsResource.json(200, ManagerResource.version(settings));
    }
}
