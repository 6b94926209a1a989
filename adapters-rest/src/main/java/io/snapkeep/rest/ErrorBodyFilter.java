package io.snapkeep.rest;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.core.MediaType;

/** Gives any bare 4xx/5xx response (one no mapper produced) the contract's error body. */
final class ErrorBodyFilter implements ContainerResponseFilter {
    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        int status = response.getStatus();
        if (status >= 400 && !response.hasEntity()) {
            response.setEntity(ApiError.body(ApiError.errorCodeOfStatus(status),
                    "HTTP " + status + " " + response.getStatusInfo().getReasonPhrase()), null,
                    MediaType.APPLICATION_JSON_TYPE);
        }
    }
}
