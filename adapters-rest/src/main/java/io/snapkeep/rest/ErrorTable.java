package io.snapkeep.rest;

import io.snapkeep.core.error.ErrorCode;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The one table from a failure to its HTTP status and {@code error_code}, as the contract's table of
 * errors has it. The REST adapter answers from it, and so does whatever answers before a request reaches
 * the adapter (a host's servlet container or HTTP server), so a client meets the same code for the same
 * status on either path.
 *
 * <p>Three ways in: {@link #of(ErrorCode)} for a core failure, {@link #forStatus(int)} for a bare HTTP
 * status that nothing more specific is known about, and the {@link Entry} constants for the adapter's own
 * refusals. {@link #body} is the contract's error body.
 */
public final class ErrorTable {

    /** One row of the table: an {@code error_code} and the HTTP status it is sent with. */
    public enum Entry {
        BAD_PARAMETERS(400, "bad_parameters_error"),
        NO_SUCH_INCLUDE_FIELD(400, "no_such_include_field_error"),
        SNAPSHOT_ACTION(400, "snapshot_action_error"),
        EXISTING_RUNNING_EXECUTION(400, "existing_running_execution_error"),
        ILLEGAL_ACTION(400, "illegal_action_error"),
        INVALID_ARCHIVE(400, "invalid_archive_error"),
        UNAUTHORIZED(401, "unauthorized_error"),
        FORBIDDEN(403, "forbidden_error"),
        NOT_FOUND(404, "not_found_error"),
        METHOD_NOT_ALLOWED(405, "method_not_allowed_error"),
        /** Not in the contract's table; Snapkeep's own code for an {@code Accept} it cannot serve. */
        NOT_ACCEPTABLE(406, "not_acceptable_error"),
        /**
         * Not in the contract's table; Snapkeep's own code, in the contract's style, for a request whose body
         * stopped coming for the server's idle timeout (a stalled upload).
         */
        REQUEST_TIMEOUT(408, "request_timeout_error"),
        CONFLICT(409, "conflict_error"),
        UNSUPPORTED_CONTENT_TYPE(415, "unsupported_content_type_error"),
        /** Not in the contract's table; Snapkeep's own code for a download {@code Range} it cannot serve. */
        RANGE_NOT_SATISFIABLE(416, "range_not_satisfiable_error"),
        /**
         * Not in the contract's table; Snapkeep's own code for too many failed logins from one address or
         * for one user name, sent with {@code Retry-After}.
         */
        TOO_MANY_REQUESTS(429, "too_many_requests_error"),
        INTERNAL(500, "internal_server_error"),
        STORAGE_UNAVAILABLE(503, "storage_unavailable_error");

        private final int status;
        private final String errorCode;

        Entry(int status, String errorCode) {
            this.status = status;
            this.errorCode = errorCode;
        }

        public int status() {
            return status;
        }

        /** The body's {@code error_code}. */
        public String errorCode() {
            return errorCode;
        }
    }

    private static final Map<ErrorCode, Entry> BY_CORE_CODE = byCoreCode();

    /**
     * The entry that stands for each status when nothing but the status is known: the first entry of each
     * status in {@link Entry}'s order, so 400 is {@code bad_parameters_error}.
     */
    private static final Map<Integer, Entry> BY_STATUS = Arrays.stream(Entry.values())
            .collect(Collectors.toMap(Entry::status, e -> e, (first, later) -> first, LinkedHashMap::new));

    private ErrorTable() {
    }

    /** The entry of a core failure. */
    public static Entry of(ErrorCode code) {
        return BY_CORE_CODE.get(code);
    }

    /**
     * The entry for a bare HTTP error status, one that no mapper or handler said more about (a route that
     * does not exist, a request the HTTP server refused): the status's own entry where the table has one,
     * else {@code internal_server_error} for a 5xx and {@code bad_parameters_error} for a 4xx.
     * The status sent stays {@code status}; only the {@code error_code} comes from the entry.
     */
    public static Entry forStatus(int status) {
        Entry known = BY_STATUS.get(status);
        if (known != null) {
            return known;
        }
        return status >= 500 ? Entry.INTERNAL : Entry.BAD_PARAMETERS;
    }

    /** Every status the table has an entry of its own for. */
    public static Set<Integer> statuses() {
        return Collections.unmodifiableSet(new TreeSet<>(BY_STATUS.keySet()));
    }

    /**
     * The contract's error body, {@code {message, error_code, server_traceback}} in that order, the traceback
     * always null, for any JSON writer to render.
     */
    public static Map<String, Object> body(String errorCode, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("message", message);
        body.put("error_code", errorCode);
        body.put("server_traceback", null);
        return body;
    }

    private static Map<ErrorCode, Entry> byCoreCode() {
        Map<ErrorCode, Entry> map = new EnumMap<>(ErrorCode.class);
        for (ErrorCode code : ErrorCode.values()) {
            map.put(code, switch (code) {
                case NOT_FOUND -> Entry.NOT_FOUND;
                case CONFLICT -> Entry.CONFLICT;
                case BAD_PARAMETERS -> Entry.BAD_PARAMETERS;
                case NO_SUCH_INCLUDE_FIELD -> Entry.NO_SUCH_INCLUDE_FIELD;
                case SNAPSHOT_ACTION -> Entry.SNAPSHOT_ACTION;
                case EXISTING_RUNNING_EXECUTION -> Entry.EXISTING_RUNNING_EXECUTION;
                case ILLEGAL_ACTION -> Entry.ILLEGAL_ACTION;
                case INVALID_ARCHIVE -> Entry.INVALID_ARCHIVE;
                case STORAGE_UNAVAILABLE -> Entry.STORAGE_UNAVAILABLE;
                case INTERNAL -> Entry.INTERNAL;
            });
        }
        return Collections.unmodifiableMap(map);
    }
}
