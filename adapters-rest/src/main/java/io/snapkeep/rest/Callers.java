package io.snapkeep.rest;

import io.snapkeep.core.domain.ExecutionId;
import io.snapkeep.core.domain.SnapshotId;
import io.snapkeep.core.error.InvalidParameterException;
import jakarta.ws.rs.container.ContainerRequestContext;

/** Small helpers the resources share: who is calling, and ids from the path. */
final class Callers {
    private Callers() {
    }

    static String userName(ContainerRequestContext request) {
        Object user = request.getProperty(AuthFilter.USER_PROPERTY);
        return user instanceof Authenticator.User u ? u.name() : "anonymous";
    }

    /** An id for a new snapshot (create, upload): a bad one is a 400 saying which rule it broke. */
    static SnapshotId newSnapshotId(String raw) {
        return SnapshotId.of(raw == null ? "" : raw);
    }

    /** An id naming an existing snapshot: one that could never exist is simply not found. */
    static SnapshotId existingSnapshotId(String raw) {
        try {
            return SnapshotId.of(raw);
        } catch (InvalidParameterException e) {
            throw ApiError.notFound("Requested `Snapshot` with ID `" + raw + "` was not found");
        }
    }

    static ExecutionId existingExecutionId(String raw) {
        try {
            return ExecutionId.of(raw);
        } catch (InvalidParameterException e) {
            throw ApiError.notFound("Requested `Execution` with ID `" + raw + "` was not found");
        }
    }
}
