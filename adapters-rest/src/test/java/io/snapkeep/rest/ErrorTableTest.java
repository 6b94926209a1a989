package io.snapkeep.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import io.snapkeep.core.error.ErrorCode;
import io.snapkeep.core.error.InvalidArchiveException;
import io.snapkeep.core.error.SnapkeepException;
import io.snapkeep.rest.ErrorTable.Entry;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The table from failure to status and {@code error_code}, and the REST adapter answering from it. */
class ErrorTableTest {

    @Test
    void every_core_failure_has_the_contracts_status_and_code() {
        Map<ErrorCode, String> table = new LinkedHashMap<>();
        for (ErrorCode code : ErrorCode.values()) {
            table.put(code, ErrorTable.of(code).status() + " " + ErrorTable.of(code).errorCode());
        }
        assertThat(table).containsOnly(
                entry(ErrorCode.NOT_FOUND, "404 not_found_error"),
                entry(ErrorCode.CONFLICT, "409 conflict_error"),
                entry(ErrorCode.BAD_PARAMETERS, "400 bad_parameters_error"),
                entry(ErrorCode.NO_SUCH_INCLUDE_FIELD, "400 no_such_include_field_error"),
                entry(ErrorCode.SNAPSHOT_ACTION, "400 snapshot_action_error"),
                entry(ErrorCode.EXISTING_RUNNING_EXECUTION, "400 existing_running_execution_error"),
                entry(ErrorCode.ILLEGAL_ACTION, "400 illegal_action_error"),
                entry(ErrorCode.INVALID_ARCHIVE, "400 invalid_archive_error"),
                entry(ErrorCode.STORAGE_UNAVAILABLE, "503 storage_unavailable_error"),
                entry(ErrorCode.INTERNAL, "500 internal_server_error"));
    }

    @Test
    void a_bare_status_gets_the_code_of_its_own_entry() {
        Map<Integer, String> byStatus = new LinkedHashMap<>();
        for (int status : ErrorTable.statuses()) {
            byStatus.put(status, ErrorTable.forStatus(status).errorCode());
        }
        assertThat(byStatus).containsExactly(
                entry(400, "bad_parameters_error"),
                entry(401, "unauthorized_error"),
                entry(403, "forbidden_error"),
                entry(404, "not_found_error"),
                entry(405, "method_not_allowed_error"),
                entry(406, "not_acceptable_error"),
                entry(408, "request_timeout_error"),
                entry(409, "conflict_error"),
                entry(415, "unsupported_content_type_error"),
                entry(416, "range_not_satisfiable_error"),
                entry(429, "too_many_requests_error"),
                entry(500, "internal_server_error"),
                entry(503, "storage_unavailable_error"));
        for (int status : ErrorTable.statuses()) {
            assertThat(ErrorTable.forStatus(status).status()).as("entry for %s", status).isEqualTo(status);
        }
    }

    @Test
    void a_status_without_an_entry_is_a_bad_request_below_500_and_internal_from_500() {
        for (int status : List.of(402, 410, 411, 413, 414, 431, 499)) {
            assertThat(ErrorTable.forStatus(status)).as("%s", status).isEqualTo(Entry.BAD_PARAMETERS);
        }
        for (int status : List.of(501, 502, 504, 505, 599)) {
            assertThat(ErrorTable.forStatus(status)).as("%s", status).isEqualTo(Entry.INTERNAL);
        }
    }

    @Test
    void codes_are_unique_and_the_body_has_the_three_keys_in_order() {
        assertThat(Arrays.stream(Entry.values()).map(Entry::errorCode)).doesNotHaveDuplicates();
        assertThat(ErrorTable.body("conflict_error", "taken")).containsExactly(
                entry("message", "taken"), entry("error_code", "conflict_error"), entry("server_traceback", null));
    }

    @Test
    void an_api_error_cannot_pair_a_code_with_another_status() {
        assertThat(new ApiError(409, ApiError.CONFLICT, "taken").status()).isEqualTo(409);
        assertThatThrownBy(() -> new ApiError(400, ApiError.CONFLICT, "taken"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("goes with HTTP 409");
        assertThatThrownBy(() -> new ApiError(400, "made_up_error", "x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not in the error table");
    }

    @Test
    void the_mapper_answers_core_failures_and_bare_statuses_from_the_table() {
        ErrorMapper mapper = new ErrorMapper();
        for (ErrorCode code : ErrorCode.values()) {
            Response r = mapper.toResponse(new SnapkeepException(code, "failed"));
            assertThat(r.getStatus()).as("%s", code).isEqualTo(ErrorTable.of(code).status());
            assertThat(errorCode(r)).as("%s", code).isEqualTo(ErrorTable.of(code).errorCode());
        }
        for (int status : ErrorTable.statuses()) {
            if (status >= 500) {
                continue; // a 5xx exception is an incident: 500, whatever its status (tested below)
            }
            Response r = mapper.toResponse(new WebApplicationException(status));
            assertThat(r.getStatus()).as("%s", status).isEqualTo(status);
            assertThat(errorCode(r)).as("%s", status).isEqualTo(ErrorTable.forStatus(status).errorCode());
        }
        Response incident = mapper.toResponse(new WebApplicationException(503));
        assertThat(incident.getStatus()).isEqualTo(500);
        assertThat(errorCode(incident)).isEqualTo("internal_server_error");
    }

    @Test
    void an_upload_cut_by_the_idle_timeout_is_a_408_and_other_cuts_stay_invalid_archives() {
        ErrorMapper mapper = new ErrorMapper();
        IOException idle = new IOException(new java.util.concurrent.TimeoutException("Idle timeout expired"));
        Response stalled = mapper.toResponse(new InvalidArchiveException("The upload did not complete",
                new IOException("wrapped", idle)));
        assertThat(stalled.getStatus()).isEqualTo(408);
        assertThat(errorCode(stalled)).isEqualTo("request_timeout_error");
        Response reset = mapper.toResponse(new InvalidArchiveException("The upload did not complete",
                new IOException("Connection reset")));
        assertThat(reset.getStatus()).isEqualTo(400);
        assertThat(errorCode(reset)).isEqualTo("invalid_archive_error");
        assertThat(mapper.toResponse(new SnapkeepException(ErrorCode.NOT_FOUND, "gone", idle)).getStatus())
                .isEqualTo(404);
    }

    @SuppressWarnings("unchecked")
    private static String errorCode(Response r) {
        return (String) ((Map<String, Object>) r.getEntity()).get("error_code");
    }
}
