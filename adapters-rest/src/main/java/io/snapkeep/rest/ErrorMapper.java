package io.snapkeep.rest;

import io.snapkeep.core.error.ErrorCode;
import io.snapkeep.core.error.SnapkeepException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.util.UUID;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns every exception into the contract's error body. Unexpected ones become a 500 whose message names
 * an incident id that the log also has, with the stack trace only in the log.
 */
final class ErrorMapper implements ExceptionMapper<Throwable> {
    private static final Logger LOG = LoggerFactory.getLogger(ErrorMapper.class);
    /** How deep {@link #stalled} looks into a chain of causes (which may loop). */
    private static final int MAX_CAUSES = 16;

    @Context
    private jakarta.inject.Provider<ContainerRequestContext> request;

    @Override
    public Response toResponse(Throwable failure) {
        if (failure instanceof ApiError e) {
            return e.toResponse();
        }
        if (failure instanceof SnapkeepException e) {
            if (e.code() == ErrorCode.INTERNAL) {
                return incident(e);
            }
            if (e.code() == ErrorCode.INVALID_ARCHIVE && stalled(e)) {
                return new ApiError(ErrorTable.Entry.REQUEST_TIMEOUT, "The request body stopped coming for longer "
                        + "than the server's idle timeout; nothing was kept. " + e.getMessage()).toResponse();
            }
            if (e.code() == ErrorCode.STORAGE_UNAVAILABLE) {
                LOG.warn("Storage unavailable on {}: {}", where(), e.getMessage());
            }
            return ApiError.response(e.code(), e.getMessage());
        }
        if (failure instanceof WebApplicationException e) {
            int status = e.getResponse().getStatus();
            if (status >= 500) {
                return incident(e);
            }
            Response.ResponseBuilder r = Response.fromResponse(e.getResponse()).entity(ApiError.body(
                    ApiError.errorCodeOfStatus(status), messageOf(status, e))).type("application/json");
            return r.build();
        }
        return incident(failure);
    }

    /**
     * Whether a refused upload broke off because its body stalled: the HTTP server gave up reading after its
     * idle timeout, which reaches the reader as an {@code IOException} caused by a {@link TimeoutException}.
     */
    static boolean stalled(Throwable failure) {
        Throwable t = failure;
        for (int depth = 0; t != null && depth < MAX_CAUSES; depth++, t = t.getCause()) {
            if (t instanceof TimeoutException) {
                return true;
            }
        }
        return false;
    }

    private Response incident(Throwable failure) {
        String incident = UUID.randomUUID().toString();
        LOG.error("Incident {}: unexpected failure on {}", incident, where(), failure);
        return ApiError.response(ErrorCode.INTERNAL,
                "Internal server error, incident id " + incident + " (see the server log)");
    }

    private String where() {
        try {
            ContainerRequestContext r = request.get();
            return r.getMethod() + " " + r.getUriInfo().getRequestUri().getRawPath();
        } catch (RuntimeException outOfScope) {
            return "(unknown request)";
        }
    }

    private String messageOf(int status, WebApplicationException e) {
        return switch (status) {
            case 404 -> "Requested URL was not found on the server: " + where();
            case 405 -> "The method is not allowed for the requested URL: " + where();
            case 406 -> "No acceptable representation: this API answers in application/json";
            case 415 -> "Unsupported Content-Type; send application/json";
            default -> e.getMessage() == null ? "HTTP " + status : e.getMessage();
        };
    }

}
