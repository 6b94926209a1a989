package io.snapkeep.rest;

import static io.snapkeep.rest.Wire.assertError;
import static io.snapkeep.rest.Wire.fieldNames;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.snapkeep.core.domain.ExecutionId;
import io.snapkeep.core.error.StorageUnavailableException;
import java.net.http.HttpRequest;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/** Executions (rows 8-10), events, the login and manager endpoints, authentication, and the error table. */
class ExecutionsAndAccessApiTest {
    static final FakeSnapshotService service = new FakeSnapshotService();
    static TestServer server;

    @BeforeAll
    static void start() {
        server = new TestServer(service, RestSettings.DEFAULTS.withServer("snapkeep-1", "10.0.0.5").withVersion("1.2.3"));
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @BeforeEach
    void reset() {
        service.reset();
    }

    private static String create(String base, String id) {
        TestServer.Reply r = server.put(base + "/snapshots/" + id, "{}");
        assertThat(r.status()).isEqualTo(201);
        return r.json().get("id").asText();
    }

    @EachVersion
    void getExecutionAndItsErrors(String base) {
        String id = create(base, "s1");
        JsonNode e = server.get(base + "/executions/" + id).json();
        assertThat(e.get("id").asText()).isEqualTo(id);
        assertThat(e.get("parameters").get("snapshot_id").asText()).isEqualTo("s1");
        assertThat(server.get(base + "/executions/" + id + "?_include=id,status").json().size()).isEqualTo(2);
        assertError(server.get(base + "/executions/" + id + "?_include=nope"), 400, "no_such_include_field_error");
        assertError(server.get(base + "/executions/" + UUID.randomUUID()), 404, "not_found_error");
        assertError(server.get(base + "/executions/not-a-uuid"), 404, "not_found_error");
        service.complete(ExecutionId.of(id), Wire.archive(10, 1));
        JsonNode done = server.get(base + "/executions/" + id).json();
        assertThat(done.get("status").asText()).isEqualTo("terminated");
        assertThat(done.get("status_display").asText()).isEqualTo("completed");
        assertThat(done.get("ended_at").asText()).endsWith("Z");
    }

    /**
     * The progress object beside Cloudify's own figures: those keep their names, types and meaning, so a client
     * that reads them (or asks for them with {@code _include}) sees what it always saw, and ignores the new key.
     */
    @EachVersion
    void aTerminatedExecutionShowsItsProgressBesideTheOperationCounts(String base) {
        String id = create(base, "s1");
        byte[] archive = Wire.archive(5000, 2);
        service.complete(ExecutionId.of(id), archive);
        JsonNode done = server.get(base + "/executions/" + id).json();
        assertThat(done.get("total_operations").isIntegralNumber()).isTrue();
        assertThat(done.get("total_operations").asLong()).isEqualTo(2);
        assertThat(done.get("finished_operations").asLong()).isEqualTo(2);
        JsonNode p = done.get("progress");
        SnapshotsApiTest.assertProgressShape(p);
        assertThat(p.get("phase").asText()).isEqualTo("done");
        assertThat(p.get("bytes_done").asLong()).isEqualTo(archive.length);
        assertThat(p.get("bytes_total").asLong()).isEqualTo(archive.length);
        assertThat(p.get("entries_done").asLong()).isEqualTo(2);
        assertThat(p.get("entries_total").asLong()).isEqualTo(2);
        assertThat(p.get("percent").isDouble()).isTrue();
        assertThat(p.get("percent").asDouble()).isEqualTo(100.0);
        assertThat(p.get("bytes_per_second").asLong()).isEqualTo(1_000_000);
        assertThat(p.get("eta_seconds").asLong()).isZero();

        JsonNode listed = server.get(base + "/executions?_include_system_workflows=true").json().get("items").get(0);
        assertThat(listed.get("progress")).isEqualTo(p);
        JsonNode old = server.get(base + "/executions/" + id + "?_include=id,status,total_operations,finished_operations")
                .json();
        assertThat(fieldNames(old)).containsExactly("id", "status", "total_operations", "finished_operations");
        JsonNode only = server.get(base + "/executions/" + id + "?_include=progress").json();
        assertThat(only.get("progress")).isEqualTo(p);
    }

    @EachVersion
    void listExecutionsHidesSystemWorkflowsUnlessAsked(String base) {
        String first = create(base, "s1");
        service.complete(ExecutionId.of(first), Wire.archive(10, 1));
        create(base, "s2");
        JsonNode hidden = server.get(base + "/executions").json();
        assertThat(hidden.get("items")).isEmpty();
        assertThat(hidden.get("metadata").get("pagination").get("total").asInt()).isZero();
        JsonNode all = server.get(base + "/executions?_include_system_workflows=True").json();
        assertThat(all.get("items")).hasSize(2);
        assertThat(all.get("metadata").get("pagination").get("total").asInt()).isEqualTo(2);
        assertThat(server.get(base + "/executions?_include_system_workflows=true&snapshot_id=s1").json().get("items"))
                .singleElement().satisfies(e -> assertThat(e.get("id").asText()).isEqualTo(first));
        assertThat(server.get(base + "/executions?_include_system_workflows=true&status=terminated&status=failed")
                .json().get("items")).hasSize(1);
        assertThat(server.get(base + "/executions?_include_system_workflows=true&status_display=completed")
                .json().get("items")).hasSize(1);
        assertThat(server.get(base + "/executions?_include_system_workflows=true&workflow_id=restore_snapshot")
                .json().get("items")).isEmpty();
        assertThat(server.get(base + "/executions?_include_system_workflows=true&deployment_id=d1")
                .json().get("items")).isEmpty();
        assertThat(server.get(base + "/executions?_include_system_workflows=true&_sort=-created_at&_size=1")
                .json().get("items")).hasSize(1);
        assertError(server.get(base + "/executions?_include_system_workflows=perhaps"), 400, "bad_parameters_error");
        assertError(server.get(base + "/executions?colour=red"), 400, "bad_parameters_error");
        assertError(server.get(base + "/executions?_sort=colour"), 400, "bad_parameters_error");
        assertError(server.get(base + "/executions?_include=colour"), 400, "no_such_include_field_error");
    }

    @EachVersion
    void cancelAndForceCancel(String base) {
        String id = create(base, "s1");
        TestServer.Reply cancelled = server.post(base + "/executions/" + id, "{\"action\": \"cancel\"}");
        assertThat(cancelled.status()).isEqualTo(200);
        assertThat(cancelled.json().get("status").asText()).isEqualTo("cancelling");
        JsonNode wrong = assertError(server.post(base + "/executions/" + id, "{\"action\": \"cancel\"}"), 400,
                "illegal_action_error");
        assertThat(wrong.get("message").asText()).contains("because it's in status cancelling");
        service.reset();
        String other = create(base, "s2");
        assertThat(server.post(base + "/executions/" + other, "{\"action\": \"force-cancel\"}").json()
                .get("status").asText()).isEqualTo("force_cancelling");
        assertError(server.post(base + "/executions/" + other, "{\"action\": \"kill\"}"), 400, "bad_parameters_error");
        assertError(server.post(base + "/executions/" + other, "{}"), 400, "bad_parameters_error");
        assertError(server.post(base + "/executions/" + UUID.randomUUID(), "{\"action\": \"cancel\"}"), 404,
                "not_found_error");
    }

    @EachVersion
    void aCancelBodyWithTheActionTwiceOrTextAfterItIsA400AndCancelsNothing(String base) {
        String id = create(base, "s1");
        JsonNode twice = assertError(server.post(base + "/executions/" + id,
                "{\"action\": \"force-cancel\", \"action\": \"cancel\"}"), 400, "bad_parameters_error");
        assertThat(twice.get("message").asText()).contains("Duplicate field 'action'");
        assertError(server.post(base + "/executions/" + id, "{\"action\": \"cancel\"} xyz"), 400,
                "bad_parameters_error");
        JsonNode second = assertError(server.post(base + "/executions/" + id,
                "{\"action\": \"cancel\"} {\"action\": \"force-cancel\"}"), 400, "bad_parameters_error");
        assertThat(second.get("message").asText())
                .isEqualTo("The request body must hold one JSON object and nothing after it");
        assertThat(server.get(base + "/executions/" + id).json().get("status").asText()).isEqualTo("pending");
    }

    @EachVersion
    void eventsPageInOrderStartedFirstTerminalLast(String base) {
        String id = create(base, "s1");
        service.complete(ExecutionId.of(id), Wire.archive(10, 1));
        JsonNode all = server.get(base + "/events?execution_id=" + id).json();
        assertThat(all.get("items")).hasSize(5);
        JsonNode first = all.get("items").get(0);
        assertThat(fieldNames(first)).containsExactlyInAnyOrder("type", "event_type", "timestamp",
                "reported_timestamp", "message", "execution_id", "workflow_id", "deployment_id", "node_instance_id",
                "node_name", "operation", "error_causes", "source_id", "target_id", "blueprint_id", "manager_name",
                "level", "logger");
        assertThat(first.get("type").asText()).isEqualTo("cloudify_event");
        assertThat(first.get("event_type").asText()).isEqualTo("workflow_started");
        assertThat(first.get("message").asText()).isEqualTo("Starting 'create_snapshot' workflow execution");
        assertThat(first.get("manager_name").asText()).isEqualTo("snapkeep-1");
        assertThat(all.get("items").get(4).get("event_type").asText()).isEqualTo("workflow_succeeded");
        JsonNode log = all.get("items").get(1);
        assertThat(log.get("type").asText()).isEqualTo("cloudify_log");
        assertThat(log.get("level").asText()).isEqualTo("info");
        StringBuilder seen = new StringBuilder();
        for (int offset = 0; offset < 5; offset += 2) {
            JsonNode page = server.get(base + "/events?execution_id=" + id + "&_offset=" + offset + "&_size=2"
                    + "&_sort=reported_timestamp").json();
            assertThat(page.get("metadata").get("pagination").get("total").asInt()).isEqualTo(5);
            page.get("items").forEach(i -> seen.append(i.get("message").asText()).append('|'));
        }
        StringBuilder expected = new StringBuilder();
        all.get("items").forEach(i -> expected.append(i.get("message").asText()).append('|'));
        assertThat(seen.toString()).isEqualTo(expected.toString());
        assertThat(server.get(base + "/events?execution_id=" + id + "&type=cloudify_event").json().get("items")).hasSize(2);
        assertThat(server.get(base + "/events?execution_id=" + id + "&type=cloudify_log&type=cloudify_event").json()
                .get("items")).hasSize(5);
        assertThat(server.get(base + "/events?execution_id=" + id + "&_sort=-@timestamp").json().get("items").get(0)
                .get("event_type").asText()).isEqualTo("workflow_succeeded");
        assertThat(server.get(base + "/events?execution_id=" + id + "&node_id=n1").json().get("items")).isEmpty();
        assertThat(server.get(base + "/events?execution_id=" + id + "&_range=@timestamp,2000-01-01T00:00:00.000Z,")
                .json().get("items")).hasSize(5);
        assertThat(server.get(base + "/events?execution_id=" + id + "&_range=@timestamp,,2000-01-01T00:00:00.000Z")
                .json().get("items")).isEmpty();
        assertThat(server.get(base + "/events?execution_id=" + UUID.randomUUID()).json().get("items")).isEmpty();
        assertError(server.get(base + "/events?execution_id=" + id + "&_sort=message"), 400, "bad_parameters_error");
        assertError(server.get(base + "/events?execution_id=" + id + "&_size=x"), 400, "bad_parameters_error");
    }

    @EachVersion
    void credentialsRolesAndTenants(String base) {
        assertError(server.send(java.net.http.HttpRequest.newBuilder(server.uri(base + "/snapshots")).GET().build()),
                401, "unauthorized_error");
        assertError(server.send(java.net.http.HttpRequest.newBuilder(server.uri(base + "/snapshots"))
                .header("Authorization", TestUsers.WRONG_PASSWORD).GET().build()), 401, "unauthorized_error");
        assertError(server.send(java.net.http.HttpRequest.newBuilder(server.uri(base + "/snapshots/s1"))
                .header("Authorization", TestUsers.VIEWER).PUT(HttpRequest.BodyPublishers.noBody()).build()), 403,
                "forbidden_error");
        assertError(server.send(server.request(base + "/snapshots").header("Tenant", "other_tenant").GET().build()),
                403, "forbidden_error");
        assertThat(server.send(server.request(base + "/snapshots").header("Tenant", "default_tenant").GET().build())
                .status()).isEqualTo(200);
        assertError(server.send(java.net.http.HttpRequest.newBuilder(server.uri(base + "/status")).GET().build()),
                401, "unauthorized_error");
        TestServer.Reply status = server.send(java.net.http.HttpRequest.newBuilder(server.uri(base + "/status"))
                .header("Authorization", TestUsers.VIEWER).GET().build());
        assertThat(status.status()).isEqualTo(200);
        assertThat(status.json().get("status").asText()).isEqualTo("OK");
        assertThat(status.json().get("services").isObject()).isTrue();
    }

    @EachVersion
    void aTokenFromTokensAuthenticatesLaterCalls(String base) {
        TestServer.Reply issued = server.get(base + "/tokens");
        assertThat(issued.status()).isEqualTo(200);
        String token = issued.json().get("value").asText();
        assertThat(token).hasSizeGreaterThanOrEqualTo(43);
        assertThat(server.get(base + "/tokens").json().get("value").asText()).isNotEqualTo(token);
        TestServer.Reply withToken = server.send(java.net.http.HttpRequest.newBuilder(server.uri(base + "/snapshots"))
                .header("Authentication-Token", token).GET().build());
        assertThat(withToken.status()).isEqualTo(200);
        assertError(server.send(java.net.http.HttpRequest.newBuilder(server.uri(base + "/snapshots"))
                .header("Authentication-Token", token + "x").GET().build()), 401, "unauthorized_error");
    }

    @EachVersion
    void versionAndSnapshotStatusNeedNoCredentials(String base) {
        for (String path : new String[] {"/api/version", base + "/version"}) {
            TestServer.Reply r = server.send(java.net.http.HttpRequest.newBuilder(server.uri(path)).GET().build());
            assertThat(r.status()).isEqualTo(200);
            assertThat(fieldNames(r.json())).containsExactly("version", "edition", "build", "date", "commit");
            assertThat(r.json().get("version").asText()).isEqualTo("1.2.3");
            assertThat(r.json().get("edition").asText()).isEqualTo("community");
        }
        TestServer.Reply idle = server.send(java.net.http.HttpRequest.newBuilder(server.uri(base + "/snapshot-status"))
                .GET().build());
        assertThat(idle.json().get("status").asText()).isEqualTo("not-running");
        service.restoreRunning = true;
        assertThat(server.send(java.net.http.HttpRequest.newBuilder(server.uri(base + "/snapshot-status")).GET().build())
                .json().get("status").asText()).isEqualTo("running");
    }

    @EachVersion
    void theLoginCallsOfTheCli(String base) {
        assertError(server.get(base + "/provider/context"), 404, "not_found_error");
        JsonNode managers = server.get(base + "/managers").json();
        assertThat(managers.get("items")).hasSize(1);
        JsonNode m = managers.get("items").get(0);
        assertThat(m.get("id").asInt()).isEqualTo(1);
        assertThat(m.get("hostname").asText()).isEqualTo("snapkeep-1");
        assertThat(m.get("private_ip").asText()).isEqualTo("10.0.0.5");
        assertThat(m.get("public_ip").asText()).isEqualTo("10.0.0.5");
        assertThat(m.get("version").asText()).isEqualTo("1.2.3");
        assertThat(m.get("edition").asText()).isEqualTo("community");
        for (String path : new String[] {"/brokers", "/db-nodes"}) {
            JsonNode node = server.get(base + path).json().get("items").get(0);
            assertThat(node.get("name").asText()).isEqualTo("snapkeep-1");
            assertThat(node.get("host").asText()).isEqualTo("10.0.0.5");
        }
    }

    @EachVersion
    void unknownRoutesAndWrongMethodsAnswerTheErrorBody(String base) {
        assertError(server.get(base + "/blueprints"), 404, "not_found_error");
        assertError(server.get("/api/v9/snapshots"), 404, "not_found_error");
        assertError(server.get("/nothing/here"), 404, "not_found_error");
        assertError(server.post(base + "/snapshots", "{}"), 405, "method_not_allowed_error");
        assertError(server.delete(base + "/executions"), 405, "method_not_allowed_error");
        assertError(server.send(server.request(base + "/snapshots/s1/archive").POST(HttpRequest.BodyPublishers.noBody())
                .build()), 405, "method_not_allowed_error");
    }

    @EachVersion
    void anUnexpectedFailureIs500WithAnIncidentIdAndNoStackTrace(String base) {
        service.failNextCall(new IllegalStateException("secret internals at com.example.Thing"));
        TestServer.Reply r = server.get(base + "/snapshots");
        JsonNode body = assertError(r, 500, "internal_server_error");
        assertThat(body.get("message").asText()).containsPattern("incident id [0-9a-f-]{36}");
        assertThat(r.text()).doesNotContain("secret internals").doesNotContain("at io.snapkeep").doesNotContain("Exception");
    }

    @EachVersion
    void storageTroubleIs503(String base) {
        service.failNextCall(new StorageUnavailableException("the archive store at /data is not reachable"));
        assertError(server.get(base + "/snapshots"), 503, "storage_unavailable_error");
    }

    @EachVersion
    void everyPrefixServesTheSameApi(String base) {
        create(base, "s1");
        for (String prefix : new String[] {"/api/v2", "/api/v2.1", "/api/v3", "/api/v3.1"}) {
            assertThat(server.get(prefix + "/snapshots/s1").json().get("id").asText()).isEqualTo("s1");
        }
    }
}
