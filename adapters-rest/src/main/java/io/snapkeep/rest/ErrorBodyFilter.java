package io.snapkeep.rest;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.core.MediaType;

/**
 * Gives any bare 4xx/5xx response (one no mapper produced) the contract's error body, and reads what is
 * left of a refused request's body first (up to a bound): a client still sending when the answer comes
 * (a 409 for a taken id, a 400 for a bad one) then reads the answer, and the connection stays usable,
 * instead of meeting a reset or a silently closed keep-alive connection.
 *
 * <p>When the host gave the request an id (the request property {@value #REQUEST_ID_PROPERTY}), every error
 * body's message ends with {@code (request id <id>)}: the contract leaves messages free text, and an operator
 * finds the request's log lines by that id.
 */
final class ErrorBodyFilter implements ContainerResponseFilter {
    static final long DRAIN_LIMIT_BYTES = 64L << 20;
    /** The property (a servlet request attribute, under a servlet container) holding the request's id. */
    static final String REQUEST_ID_PROPERTY = "snapkeep.request_id";

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        int status = response.getStatus();
        // A 408's body stalled: reading on would only wait out another idle timeout.
        if (status >= 400 && status != 408 && hasUnreadBody(request)) {
            drainBriefly(request.getEntityStream());
        }
        if (status >= 400 && !response.hasEntity()) {
            response.setEntity(ApiError.body(ApiError.errorCodeOfStatus(status),
                    "HTTP " + status + " " + response.getStatusInfo().getReasonPhrase()), null,
                    MediaType.APPLICATION_JSON_TYPE);
        }
        if (status >= 400 && request.getProperty(REQUEST_ID_PROPERTY) instanceof String id
                && response.getEntity() instanceof Map<?, ?> body && body.get("message") instanceof String message) {
            Map<Object, Object> withId = new LinkedHashMap<>(body);
            withId.put("message", message + " (request id " + id + ")");
            response.setEntity(withId);
        }
    }

    /** Whether a body is left to read; false when reading it fails: the client is gone, there is none to read. */
    private static boolean hasUnreadBody(ContainerRequestContext request) {
        try {
            return request.hasEntity();
        } catch (RuntimeException clientGone) {
            return false;
        }
    }

    private static void drainBriefly(InputStream body) {
        byte[] buffer = new byte[64 * 1024];
        long left = DRAIN_LIMIT_BYTES;
        try {
            int n;
            while (left > 0 && (n = body.read(buffer, 0, (int) Math.min(buffer.length, left))) >= 0) {
                left -= n;
            }
        } catch (IOException | RuntimeException ignored) {
            // The client is gone or the body is unreadable: the error answer is all that is left to send.
        }
    }
}
