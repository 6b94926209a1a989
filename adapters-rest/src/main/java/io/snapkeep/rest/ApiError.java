package io.snapkeep.rest;

import io.snapkeep.core.error.ErrorCode;
import io.snapkeep.rest.ErrorTable.Entry;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;

/**
 * An error as the API reports it: an HTTP status and the body {@code {message, error_code, server_traceback}}.
 * Thrown by the adapter's own code; {@link ErrorMapper} renders it.
 */
class ApiError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    // The error_code of each entry of the table, by the names the adapter's code uses.
    static final String NOT_FOUND = Entry.NOT_FOUND.errorCode();
    static final String CONFLICT = Entry.CONFLICT.errorCode();
    static final String BAD_PARAMETERS = Entry.BAD_PARAMETERS.errorCode();
    static final String NO_SUCH_INCLUDE_FIELD = Entry.NO_SUCH_INCLUDE_FIELD.errorCode();
    static final String UNSUPPORTED_CONTENT_TYPE = Entry.UNSUPPORTED_CONTENT_TYPE.errorCode();
    static final String SNAPSHOT_ACTION = Entry.SNAPSHOT_ACTION.errorCode();
    static final String EXISTING_RUNNING_EXECUTION = Entry.EXISTING_RUNNING_EXECUTION.errorCode();
    static final String ILLEGAL_ACTION = Entry.ILLEGAL_ACTION.errorCode();
    static final String INVALID_ARCHIVE = Entry.INVALID_ARCHIVE.errorCode();
    static final String UNAUTHORIZED = Entry.UNAUTHORIZED.errorCode();
    static final String FORBIDDEN = Entry.FORBIDDEN.errorCode();
    static final String METHOD_NOT_ALLOWED = Entry.METHOD_NOT_ALLOWED.errorCode();
    static final String NOT_ACCEPTABLE = Entry.NOT_ACCEPTABLE.errorCode();
    static final String RANGE_NOT_SATISFIABLE = Entry.RANGE_NOT_SATISFIABLE.errorCode();
    static final String TOO_MANY_REQUESTS = Entry.TOO_MANY_REQUESTS.errorCode();
    static final String STORAGE_UNAVAILABLE = Entry.STORAGE_UNAVAILABLE.errorCode();
    static final String INTERNAL = Entry.INTERNAL.errorCode();

    private final int status;
    private final String errorCode;
    /** Seconds for a {@code Retry-After} header; 0 for none. */
    private long retryAfterSeconds;

    /** An error of {@code entry}'s status and code. */
    ApiError(ErrorTable.Entry entry, String message) {
        this(entry.status(), entry.errorCode(), message);
    }

    /**
     * An error with {@code errorCode} from the {@link ErrorTable}; {@code status} must be the one the table
     * sends it with, so that no refusal can pair a code with another status.
     */
    ApiError(int status, String errorCode, String message) {
        super(message, null, false, false);
        ErrorTable.Entry entry = entryOf(errorCode);
        if (entry.status() != status) {
            throw new IllegalArgumentException("error_code " + errorCode + " goes with HTTP " + entry.status()
                    + ", not " + status);
        }
        this.status = status;
        this.errorCode = errorCode;
    }

    static ApiError badParameters(String message) {
        return new ApiError(Entry.BAD_PARAMETERS, message);
    }

    /** 429 {@code too_many_requests_error}, telling the client in {@code Retry-After} when to try again. */
    static ApiError tooManyRequests(java.time.Duration retryAfter, String message) {
        ApiError e = new ApiError(Entry.TOO_MANY_REQUESTS, message);
        e.retryAfterSeconds = retryAfterSeconds(retryAfter);
        return e;
    }

    /** Whole seconds, rounded up, at least 1. */
    static long retryAfterSeconds(java.time.Duration wait) {
        long seconds = wait.getSeconds() + (wait.getNano() > 0 ? 1 : 0);
        return Math.max(1, seconds);
    }

    static ApiError notFound(String message) {
        return new ApiError(Entry.NOT_FOUND, message);
    }

    int status() {
        return status;
    }

    String errorCode() {
        return errorCode;
    }

    Response toResponse() {
        Response plain = response(status, errorCode, getMessage());
        return retryAfterSeconds == 0 ? plain
                : Response.fromResponse(plain).header("Retry-After", Long.toString(retryAfterSeconds)).build();
    }

    static Response response(int status, String errorCode, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(body(errorCode, message)).build();
    }

    static Map<String, Object> body(String errorCode, String message) {
        return ErrorTable.body(errorCode, message);
    }

    /** The response to a core failure: its status and code from the {@link ErrorTable}. */
    static Response response(ErrorCode code, String message) {
        ErrorTable.Entry entry = ErrorTable.of(code);
        return response(entry.status(), entry.errorCode(), message);
    }

    /** The {@code error_code} for a status Jersey itself produced (no route, wrong method, ...). */
    static String errorCodeOfStatus(int status) {
        return ErrorTable.forStatus(status).errorCode();
    }

    private static ErrorTable.Entry entryOf(String errorCode) {
        for (ErrorTable.Entry entry : ErrorTable.Entry.values()) {
            if (entry.errorCode().equals(errorCode)) {
                return entry;
            }
        }
        throw new IllegalArgumentException("error_code " + errorCode + " is not in the error table");
    }
}
