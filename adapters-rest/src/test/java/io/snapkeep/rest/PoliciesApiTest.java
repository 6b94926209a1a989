package io.snapkeep.rest;

import static io.snapkeep.rest.Wire.assertError;
import static io.snapkeep.rest.Wire.fieldNames;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code /snapshot-policies} on the wire: shapes, status codes, access, and strict bodies. */
class PoliciesApiTest {
    static final FakeSnapshotService service = new FakeSnapshotService();
    static final FakePolicies policies = new FakePolicies(service);
    static TestServer server;

    static final String NIGHTLY = """
            {"schedule": "0 3 * * *", "time_zone": "Europe/Berlin",
             "snapshot_id": "nightly-{yyyyMMdd-HHmmss}",
             "create_options": {"include_credentials": false},
             "retention": {"max_count": 7, "expire_after": "30d", "min_count": 1},
             "verify_schedule": "0 4 * * 0"}""";

    @BeforeAll
    static void start() {
        server = new TestServer(service, policies, RestSettings.DEFAULTS);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @BeforeEach
    void reset() {
        service.reset();
        policies.reset();
    }

    @EachVersion
    void putShowsThePolicyAsStoredWithItsStatus(String base) {
        TestServer.Reply r = server.put(base + "/snapshot-policies/nightly", NIGHTLY);
        assertThat(r.status()).as("%s", r).isEqualTo(200);
        JsonNode p = r.json();
        assertThat(fieldNames(p)).containsExactlyElementsOf(Representations.POLICY_KEYS);
        assertThat(p.get("name").asText()).isEqualTo("nightly");
        assertThat(p.get("schedule").asText()).isEqualTo("0 3 * * *");
        assertThat(p.get("time_zone").asText()).isEqualTo("Europe/Berlin");
        assertThat(p.get("snapshot_id").asText()).isEqualTo("nightly-{yyyyMMdd-HHmmss}");
        assertThat(p.get("create_options").toString()).isEqualTo("{\"include_credentials\":false,"
                + "\"include_metrics\":false,\"include_logs\":true,\"include_events\":true}");
        assertThat(p.get("retention").toString()).isEqualTo("{\"max_count\":7,\"expire_after\":\"30d\",\"min_count\":1}");
        assertThat(p.get("verify_schedule").asText()).isEqualTo("0 4 * * 0");
        assertThat(p.get("health").asText()).isEqualTo("ok");
        assertThat(p.get("last_run").isNull()).isTrue();
        assertThat(p.get("last_success").isNull()).isTrue();
        assertThat(p.get("last_failure").isNull()).isTrue();
        assertThat(p.get("consecutive_failures").asInt()).isZero();
        assertThat(p.get("next_due").asText()).isEqualTo("2026-03-02T03:00:00.000Z");
        assertThat(p.get("next_verification").asText()).isEqualTo("2026-03-08T04:00:00.000Z");
        assertThat(p.get("history")).isEmpty();
        assertThat(server.get(base + "/snapshot-policies/nightly").json()).isEqualTo(p);
    }

    @Test
    void theDefaultsOfAMinimalPolicy() {
        JsonNode p = server.put("/api/v3.1/snapshot-policies/hourly",
                "{\"schedule\": \"@hourly\", \"snapshot_id\": \"h-{yyyyMMddHH}\"}").json();
        assertThat(p.get("time_zone").asText()).isEqualTo("UTC");
        assertThat(p.get("retention").isNull()).isTrue();
        assertThat(p.get("verify_schedule").isNull()).isTrue();
        assertThat(p.get("next_verification").isNull()).isTrue();
        assertThat(p.get("create_options").get("include_credentials").asBoolean()).isTrue();
    }

    @Test
    void expireAfterIsReadInShortAndIsoFormsAndShownShort() {
        String[][] cases = {{"12h", "12h"}, {"90m", "90m"}, {"P30D", "30d"}, {"PT36H", "36h"}, {"45s", "45s"},
                {"p2d", "2d"}};
        for (String[] c : cases) {
            JsonNode p = server.put("/api/v3.1/snapshot-policies/p", "{\"schedule\": \"0 3 * * *\", \"snapshot_id\":"
                    + " \"p-{yyyyMMdd}\", \"retention\": {\"expire_after\": \"" + c[0] + "\"}}").json();
            assertThat(p.at("/retention/expire_after").asText()).as(c[0]).isEqualTo(c[1]);
            assertThat(p.at("/retention/max_count").isNull()).isTrue();
            assertThat(p.at("/retention/min_count").asInt()).isZero();
        }
    }

    @EachVersion
    void replaceKeepsHistoryAndListShowsEveryPolicyByName(String base) {
        server.put(base + "/snapshot-policies/zeta", NIGHTLY.replace("nightly-", "zeta-"));
        server.put(base + "/snapshot-policies/alpha", NIGHTLY.replace("nightly-", "alpha-"));
        policies.fail("alpha", FakePolicies.NOW, "the store is full");
        TestServer.Reply replaced = server.put(base + "/snapshot-policies/alpha",
                "{\"schedule\": \"0 5 * * *\", \"snapshot_id\": \"alpha-{yyyyMMdd}\"}");
        assertThat(replaced.status()).isEqualTo(200);
        assertThat(replaced.json().get("schedule").asText()).isEqualTo("0 5 * * *");
        assertThat(replaced.json().get("history")).hasSize(1);
        JsonNode list = server.get(base + "/snapshot-policies").json();
        assertThat(fieldNames(list)).containsExactly("items", "metadata");
        assertThat(list.get("items")).extracting(i -> i.get("name").asText()).containsExactly("alpha", "zeta");
        assertThat(list.at("/metadata/pagination/total").asInt()).isEqualTo(2);
        assertThat(list.at("/metadata/pagination/offset").asInt()).isZero();
        JsonNode alpha = list.get("items").get(0);
        assertThat(alpha.get("health").asText()).isEqualTo("failing");
        assertThat(alpha.get("consecutive_failures").asInt()).isEqualTo(1);
        assertThat(alpha.get("last_failure").toString()).isEqualTo("{\"at\":\"2026-03-01T10:00:05.000Z\","
                + "\"due_at\":\"2026-03-01T10:00:00.000Z\",\"outcome\":\"failed\",\"reason\":\"the store is full\"}");
        assertThat(alpha.at("/history/0").toString()).isEqualTo("{\"kind\":\"scheduled\","
                + "\"due_at\":\"2026-03-01T10:00:00.000Z\",\"recorded_at\":\"2026-03-01T10:00:05.000Z\","
                + "\"outcome\":\"failed\",\"snapshot_id\":null,\"execution_id\":null,\"detail\":\"the store is full\"}");
    }

    @EachVersion
    void runAnswersTheCreatesExecutionAndTheHistoryShowsIt(String base) {
        server.put(base + "/snapshot-policies/nightly", NIGHTLY);
        TestServer.Reply r = server.post(base + "/snapshot-policies/nightly/run", "");
        assertThat(r.status()).as("%s", r).isEqualTo(201);
        JsonNode e = r.json();
        assertThat(fieldNames(e)).containsExactlyElementsOf(Representations.EXECUTION_KEYS);
        assertThat(e.get("workflow_id").asText()).isEqualTo("create_snapshot");
        assertThat(e.at("/parameters/snapshot_id").asText()).isEqualTo("nightly-1");
        assertThat(e.at("/parameters/include_credentials").asBoolean()).isFalse();
        assertThat(e.get("created_by").asText()).isEqualTo("admin");
        JsonNode p = server.get(base + "/snapshot-policies/nightly").json();
        assertThat(p.at("/last_run/kind").asText()).isEqualTo("manual");
        assertThat(p.at("/last_run/outcome").asText()).isEqualTo("running");
        assertThat(p.at("/last_run/execution_id").asText()).isEqualTo(e.get("id").asText());
        assertThat(p.at("/history/0/snapshot_id").asText()).isEqualTo("nightly-1");
    }

    @EachVersion
    void deleteAnswersThePolicyAsItWasAndLeavesItsSnapshots(String base) {
        server.put(base + "/snapshot-policies/nightly", NIGHTLY);
        server.post(base + "/snapshot-policies/nightly/run", "");
        TestServer.Reply r = server.delete(base + "/snapshot-policies/nightly");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("name").asText()).isEqualTo("nightly");
        assertThat(r.json().get("history")).hasSize(1);
        assertError(server.get(base + "/snapshot-policies/nightly"), 404, "not_found_error");
        assertError(server.delete(base + "/snapshot-policies/nightly"), 404, "not_found_error");
        assertThat(server.get(base + "/snapshots/nightly-1").status()).isEqualTo(200);
    }

    @Test
    void unknownAndImpossibleNamesAreNotFound() {
        assertError(server.get("/api/v3.1/snapshot-policies/nope"), 404, "not_found_error");
        assertError(server.post("/api/v3.1/snapshot-policies/nope/run", ""), 404, "not_found_error");
        assertError(server.get("/api/v3.1/snapshot-policies/" + "x".repeat(300)), 404, "not_found_error");
        assertError(server.delete("/api/v3.1/snapshot-policies/a%20b"), 404, "not_found_error");
    }

    @Test
    void anyUserReadsOnlySysAdminChanges() {
        server.put("/api/v3.1/snapshot-policies/nightly", NIGHTLY);
        String p = "/api/v3.1/snapshot-policies";
        assertThat(server.send(as(TestUsers.VIEWER, p).GET().build()).status()).isEqualTo(200);
        assertThat(server.send(as(TestUsers.VIEWER, p + "/nightly").GET().build()).json().get("name").asText())
                .isEqualTo("nightly");
        assertError(server.send(as(TestUsers.VIEWER, p + "/other").header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(NIGHTLY)).build()), 403, "forbidden_error");
        assertError(server.send(as(TestUsers.VIEWER, p + "/nightly").DELETE().build()), 403, "forbidden_error");
        assertError(server.send(as(TestUsers.VIEWER, p + "/nightly/run").POST(HttpRequest.BodyPublishers.noBody())
                .build()), 403, "forbidden_error");
        assertError(server.send(HttpRequest.newBuilder(server.uri(p)).GET().build()), 401, "unauthorized_error");
        assertThat(server.get(p).json().get("items")).hasSize(1);
        assertThat(server.get(p + "/other").status()).isEqualTo(404);
    }

    private static HttpRequest.Builder as(String authorization, String path) {
        return HttpRequest.newBuilder(server.uri(path)).header("Authorization", authorization);
    }

    static Stream<Arguments> badPolicies() {
        String ok = "\"schedule\": \"0 3 * * *\", \"snapshot_id\": \"n-{yyyyMMdd}\"";
        return Stream.of(
                // refused by the body's reading
                Arguments.of("schedule missing", "{\"snapshot_id\": \"n-{yyyyMMdd}\"}", "schedule"),
                Arguments.of("schedule a number", "{\"schedule\": 5, \"snapshot_id\": \"n-{yyyyMMdd}\"}", "schedule"),
                Arguments.of("snapshot_id missing", "{\"schedule\": \"0 3 * * *\"}", "snapshot_id"),
                Arguments.of("unknown key", "{" + ok + ", \"schedul\": \"x\"}", "schedul"),
                Arguments.of("unknown retention key", "{" + ok + ", \"retention\": {\"max\": 3}}", "retention.max"),
                Arguments.of("unknown create option", "{" + ok + ", \"create_options\": {\"queue\": true}}",
                        "create_options.queue"),
                Arguments.of("negative max_count", "{" + ok + ", \"retention\": {\"max_count\": -1}}",
                        "retention.max_count"),
                Arguments.of("zero max_count", "{" + ok + ", \"retention\": {\"max_count\": 0}}", "retention.max_count"),
                Arguments.of("negative min_count", "{" + ok + ", \"retention\": {\"max_count\": 3, \"min_count\": -2}}",
                        "retention.min_count"),
                Arguments.of("fractional max_count", "{" + ok + ", \"retention\": {\"max_count\": 2.5}}",
                        "retention.max_count"),
                Arguments.of("max_count as text", "{" + ok + ", \"retention\": {\"max_count\": \"7\"}}",
                        "retention.max_count"),
                Arguments.of("huge max_count", "{" + ok + ", \"retention\": {\"max_count\": 99999999999}}",
                        "retention.max_count"),
                Arguments.of("bad duration", "{" + ok + ", \"retention\": {\"expire_after\": \"30 days\"}}",
                        "retention.expire_after"),
                Arguments.of("zero duration", "{" + ok + ", \"retention\": {\"expire_after\": \"0d\"}}",
                        "retention.expire_after"),
                Arguments.of("negative ISO duration", "{" + ok + ", \"retention\": {\"expire_after\": \"P-1D\"}}",
                        "retention.expire_after"),
                Arguments.of("empty retention", "{" + ok + ", \"retention\": {\"min_count\": 1}}", "retention"),
                Arguments.of("retention a list", "{" + ok + ", \"retention\": [7]}", "retention"),
                Arguments.of("bad time zone", "{" + ok + ", \"time_zone\": \"Mars/Olympus\"}", "time_zone"),
                Arguments.of("time zone a number", "{" + ok + ", \"time_zone\": 1}", "time_zone"),
                Arguments.of("option not a boolean", "{" + ok + ", \"create_options\": {\"include_logs\": \"yes\"}}",
                        "create_options.include_logs"),
                Arguments.of("blank verify_schedule", "{" + ok + ", \"verify_schedule\": \" \"}", "verify_schedule"),
                Arguments.of("name differs from path", "{" + ok + ", \"name\": \"other\"}", "name"),
                // refused by the policy service
                Arguments.of("cron that never fires", "{\"schedule\": \"0 0 30 2 *\", \"snapshot_id\": \"n-{yyyyMMdd}\"}",
                        "schedule"),
                Arguments.of("not a cron", "{\"schedule\": \"every night\", \"snapshot_id\": \"n-{yyyyMMdd}\"}",
                        "schedule"),
                Arguments.of("verify cron never fires", "{" + ok + ", \"verify_schedule\": \"0 0 30 2 *\"}",
                        "verify_schedule"),
                Arguments.of("template giving one id twice a day", "{\"schedule\": \"0 * * * *\", "
                        + "\"snapshot_id\": \"n-{yyyyMMdd}\"}", "snapshot_id"),
                Arguments.of("template giving a bad id", "{\"schedule\": \"0 3 * * *\", \"snapshot_id\": \"a/{yyyy}\"}",
                        "snapshot_id"),
                Arguments.of("min_count above max_count", "{" + ok + ", \"retention\": {\"max_count\": 2, "
                        + "\"min_count\": 3}}", "retention.min_count"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badPolicies")
    void aBadPolicyIsRefusedNamingTheField(String what, String body, String field) {
        JsonNode error = assertError(server.put("/api/v3.1/snapshot-policies/n", body), 400, "bad_parameters_error");
        assertThat(error.get("message").asText()).contains("`" + field + "`");
        assertError(server.get("/api/v3.1/snapshot-policies/n"), 404, "not_found_error");
    }

    @Test
    void aBadNameIsRefusedNamingIt() {
        JsonNode error = assertError(server.put("/api/v3.1/snapshot-policies/" + "n".repeat(300), NIGHTLY), 400,
                "bad_parameters_error");
        assertThat(error.get("message").asText()).contains("`name`");
    }

    @Test
    void theBodyIsReadStrictly() {
        String p = "/api/v3.1/snapshot-policies/n";
        assertError(server.put(p, ""), 400, "bad_parameters_error");
        assertError(server.put(p, "[1]"), 400, "bad_parameters_error");
        assertError(server.put(p, "{\"schedule\": \"0 3 * * *\", \"schedule\": \"0 4 * * *\", "
                + "\"snapshot_id\": \"n-{yyyy}\"}"), 400, "bad_parameters_error");
        JsonNode trailing = assertError(server.put(p, NIGHTLY + " {}"), 400, "bad_parameters_error");
        assertThat(trailing.get("message").asText()).contains("nothing after it");
        assertError(server.put(p, NIGHTLY.replace("\"0 4 * * 0\"", "\"" + "x".repeat(70 * 1024) + "\"")), 400,
                "bad_parameters_error");
        assertError(server.send(server.request(p).header("Content-Type", "text/plain")
                .PUT(HttpRequest.BodyPublishers.ofString(NIGHTLY)).build()), 415, "unsupported_content_type_error");
        assertError(server.get(p), 404, "not_found_error");
        assertThat(server.put(p, NIGHTLY).status()).isEqualTo(200);
    }

    @Test
    void withoutAPolicyServiceEveryRouteSaysPoliciesAreOff() throws Exception {
        try (TestServer off = new TestServer(service, RestSettings.DEFAULTS)) {
            for (TestServer.Reply r : new TestServer.Reply[] {off.get("/api/v3.1/snapshot-policies"),
                    off.get("/api/v3.1/snapshot-policies/nightly"), off.put("/api/v3.1/snapshot-policies/nightly", "{}"),
                    off.delete("/api/v3.1/snapshot-policies/nightly"),
                    off.post("/api/v3.1/snapshot-policies/nightly/run", "")}) {
                JsonNode error = assertError(r, 404, "not_found_error");
                assertThat(error.get("message").asText()).isEqualTo("Snapshot policies are not enabled on this server");
            }
        }
    }
}
