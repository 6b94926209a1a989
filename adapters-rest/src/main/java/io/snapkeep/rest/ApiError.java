package io.snapkeep.rest;

import io.snapkeep.core.error.ErrorCode;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An error as the API reports it: an HTTP status and the body {@code {message, error_code, server_traceback}}.
 * Thrown by the adapter's own code; {@link ErrorMapper} renders it.
 */
class ApiError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    static final String NOT_FOUND = "not_found_error";
    static final String CONFLICT = "conflict_error";
    static final String BAD_PARAMETERS = "bad_parameters_error";
    static final String NO_SUCH_INCLUDE_FIELD = "no_such_include_field_error";
    static final String UNSUPPORTED_CONTENT_TYPE = "unsupported_content_type_error";
    static final String SNAPSHOT_ACTION = "snapshot_action_error";
    static final String EXISTING_RUNNING_EXECUTION = "existing_running_execution_error";
    static final String ILLEGAL_ACTION = "illegal_action_error";
    static final String INVALID_ARCHIVE = "invalid_archive_error";
    static final String UNAUTHORIZED = "unauthorized_error";
    static final String FORBIDDEN = "forbidden_error";
    static final String METHOD_NOT_ALLOWED = "method_not_allowed_error";
    static final String NOT_ACCEPTABLE = "not_acceptable_error";
    static final String RANGE_NOT_SATISFIABLE = "range_not_satisfiable_error";
    static final String STORAGE_UNAVAILABLE = "storage_unavailable_error";
    static final String INTERNAL = "internal_server_error";

    private final int status;
    private final String errorCode;

    ApiError(int status, String errorCode, String message) {
        super(message, null, false, false);
        this.status = status;
        this.errorCode = errorCode;
    }

    static ApiError badParameters(String message) {
        return new ApiError(400, BAD_PARAMETERS, message);
    }

    static ApiError notFound(String message) {
        return new ApiError(404, NOT_FOUND, message);
    }

    int status() {
        return status;
    }

    String errorCode() {
        return errorCode;
    }

    Response toResponse() {
        return response(status, errorCode, getMessage());
    }

    static Response response(int status, String errorCode, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(body(errorCode, message)).build();
    }

    static Map<String, Object> body(String errorCode, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("message", message);
        body.put("error_code", errorCode);
        body.put("server_traceback", null);
        return body;
    }

    /** The status and {@code error_code} of a core failure, as the contract's table says. */
    static int statusOf(ErrorCode code) {
        return switch (code) {
            case NOT_FOUND -> 404;
            case CONFLICT -> 409;
            case BAD_PARAMETERS, NO_SUCH_INCLUDE_FIELD, SNAPSHOT_ACTION, EXISTING_RUNNING_EXECUTION, ILLEGAL_ACTION,
                    INVALID_ARCHIVE -> 400;
            case STORAGE_UNAVAILABLE -> 503;
            case INTERNAL -> 500;
        };
    }

    static String errorCodeOf(ErrorCode code) {
        return switch (code) {
            case NOT_FOUND -> NOT_FOUND;
            case CONFLICT -> CONFLICT;
            case BAD_PARAMETERS -> BAD_PARAMETERS;
            case NO_SUCH_INCLUDE_FIELD -> NO_SUCH_INCLUDE_FIELD;
            case SNAPSHOT_ACTION -> SNAPSHOT_ACTION;
            case EXISTING_RUNNING_EXECUTION -> EXISTING_RUNNING_EXECUTION;
            case ILLEGAL_ACTION -> ILLEGAL_ACTION;
            case INVALID_ARCHIVE -> INVALID_ARCHIVE;
            case STORAGE_UNAVAILABLE -> STORAGE_UNAVAILABLE;
            case INTERNAL -> INTERNAL;
        };
    }

    /** The {@code error_code} for a status Jersey itself produced (no route, wrong method, ...). */
    static String errorCodeOfStatus(int status) {
        return switch (status) {
            case 400 -> BAD_PARAMETERS;
            case 401 -> UNAUTHORIZED;
            case 403 -> FORBIDDEN;
            case 404 -> NOT_FOUND;
            case 405 -> METHOD_NOT_ALLOWED;
            case 406 -> NOT_ACCEPTABLE;
            case 409 -> CONFLICT;
            case 415 -> UNSUPPORTED_CONTENT_TYPE;
            case 416 -> RANGE_NOT_SATISFIABLE;
            case 503 -> STORAGE_UNAVAILABLE;
            default -> status >= 500 ? INTERNAL : BAD_PARAMETERS;
        };
    }
}
