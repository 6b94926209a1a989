package io.snapkeep.rest;

import static io.snapkeep.rest.Wire.assertError;
import static io.snapkeep.rest.Wire.fieldNames;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.snapkeep.core.domain.ExecutionId;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/** The snapshot endpoints of the contract (rows 1-7) and their errors, over real HTTP. */
class SnapshotsApiTest {
    static final FakeSnapshotService service = new FakeSnapshotService();
    static TestServer server;

    @BeforeAll
    static void start() {
        server = new TestServer(service, RestSettings.DEFAULTS);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @BeforeEach
    void reset() {
        service.reset();
    }

    /** A complete snapshot {@code id} whose archive is {@code archive}. */
    static void createdSnapshot(String base, String id, byte[] archive) {
        TestServer.Reply r = server.put(base + "/snapshots/" + id, "{}");
        assertThat(r.status()).as("%s", r).isEqualTo(201);
        service.complete(ExecutionId.of(r.json().get("id").asText()), archive);
    }

    @EachVersion
    void createAnswers201WithAPendingCreateExecution(String base) {
        TestServer.Reply r = server.put(base + "/snapshots/s1", "{\"include_metrics\": true, \"tempdir_path\": \"/x\","
                + " \"legacy\": false, \"listener_timeout\": 30}");
        assertThat(r.status()).isEqualTo(201);
        assertThat(r.header("Content-Type")).startsWith("application/json");
        JsonNode e = r.json();
        assertThat(fieldNames(e)).containsExactly("id", "workflow_id", "status", "status_display", "error",
                "created_at", "started_at", "ended_at", "parameters", "is_system_workflow", "blueprint_id",
                "deployment_id", "is_dry_run", "created_by", "tenant_name", "visibility", "private_resource",
                "resource_availability", "scheduled_for", "total_operations", "finished_operations", "progress");
        assertProgressShape(e.get("progress"));
        for (String unknown : new String[] {"phase", "bytes_total", "entries_total", "percent", "bytes_per_second",
                "eta_seconds"}) {
            assertThat(e.get("progress").get(unknown).isNull()).as(unknown).isTrue();
        }
        assertThat(e.get("progress").get("bytes_done").asLong()).isZero();
        assertThat(e.get("progress").get("entries_done").asLong()).isZero();
        assertThat(e.get("workflow_id").asText()).isEqualTo("create_snapshot");
        assertThat(e.get("status").asText()).isEqualTo("pending");
        assertThat(e.get("status_display").asText()).isEqualTo("pending");
        assertThat(e.get("error").asText()).isEmpty();
        assertThat(e.get("created_at").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        assertThat(e.get("started_at").isNull()).isTrue();
        assertThat(e.get("is_system_workflow").asBoolean()).isTrue();
        assertThat(e.get("is_dry_run").asBoolean()).isFalse();
        assertThat(e.get("visibility").asText()).isEqualTo("tenant");
        assertThat(e.get("created_by").asText()).isEqualTo("admin");
        assertThat(e.get("total_operations").isIntegralNumber()).isTrue();
        assertThat(e.get("parameters").get("snapshot_id").asText()).isEqualTo("s1");
        assertThat(e.get("parameters").get("include_metrics").asBoolean()).isTrue();
        assertThat(e.get("parameters").get("include_credentials").asBoolean()).isTrue();

        JsonNode s = server.get(base + "/snapshots/s1").json();
        assertThat(s.get("status").asText()).isEqualTo("creating");
    }

    @EachVersion
    void createWithNoBodyAtAllUsesTheDefaults(String base) {
        TestServer.Reply r = server.send(server.request(base + "/snapshots/s1")
                .PUT(HttpRequest.BodyPublishers.noBody()).build());
        assertThat(r.status()).as("%s", r).isEqualTo(201);
        JsonNode p = r.json().get("parameters");
        assertThat(p.get("include_credentials").asBoolean()).isTrue();
        assertThat(p.get("include_metrics").asBoolean()).isFalse();
        assertThat(p.get("include_logs").asBoolean()).isTrue();
        assertThat(p.get("include_events").asBoolean()).isTrue();
        assertThat(p.get("queue").asBoolean()).isFalse();
    }

    @EachVersion
    void createFlagsComeFromTheQueryWhenTheBodyIsAnEmptyObject(String base) {
        TestServer.Reply r = server.send(server.request(base + "/snapshots/s1?include_metrics=true&include_logs=False")
                .header("Accept", "application/json").header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{}")).build());
        assertThat(r.status()).as("%s", r).isEqualTo(201);
        assertThat(r.json().get("parameters").get("include_metrics").asBoolean()).isTrue();
        assertThat(r.json().get("parameters").get("include_logs").asBoolean()).isFalse();
    }

    @EachVersion
    void theBodyWinsOverTheQueryAndBooleansAreLenient(String base) {
        TestServer.Reply r = server.put(base + "/snapshots/s1?include_metrics=false", "{\"include_metrics\": \"TRUE\"}");
        assertThat(r.status()).isEqualTo(201);
        assertThat(r.json().get("parameters").get("include_metrics").asBoolean()).isTrue();
    }

    @EachVersion
    void aBooleanThatIsNotOneIsA400(String base) {
        JsonNode body = assertError(server.put(base + "/snapshots/s1", "{\"queue\": \"yes\"}"), 400,
                "bad_parameters_error");
        assertThat(body.get("message").asText()).contains("`queue` must be <true/false>, got yes");
        assertError(server.put(base + "/snapshots/s2?include_logs=maybe", "{}"), 400, "bad_parameters_error");
        assertThat(server.get(base + "/snapshots/s1").status()).isEqualTo(404);
    }

    @EachVersion
    void aNonJsonBodyIs415AndABodyThatIsNotAnObjectIs400(String base) {
        assertError(server.send(server.request(base + "/snapshots/s1").header("Content-Type", "text/plain")
                .PUT(HttpRequest.BodyPublishers.ofString("include_metrics=true")).build()), 415,
                "unsupported_content_type_error");
        assertError(server.put(base + "/snapshots/s1", "[true]"), 400, "bad_parameters_error");
        assertError(server.put(base + "/snapshots/s1", "{not json"), 400, "bad_parameters_error");
        assertError(server.send(server.request(base + "/snapshots/s1/restore").header("Content-Type", "application/xml")
                .POST(HttpRequest.BodyPublishers.ofString("<force/>")).build()), 415, "unsupported_content_type_error");
    }

    @EachVersion
    void aCreateBodyWithAKeyTwiceOrTextAfterItIsA400AndCreatesNothing(String base) {
        JsonNode twice = assertError(server.put(base + "/snapshots/s1", "{\"queue\": true, \"queue\": false}"), 400,
                "bad_parameters_error");
        assertThat(twice.get("message").asText()).contains("not valid JSON").contains("Duplicate field 'queue'");
        JsonNode garbage = assertError(server.put(base + "/snapshots/s1", "{\"queue\": true} xyz"), 400,
                "bad_parameters_error");
        assertThat(garbage.get("message").asText()).contains("not valid JSON").contains("xyz");
        JsonNode second = assertError(server.put(base + "/snapshots/s1", "{\"queue\": true} {\"queue\": false}"), 400,
                "bad_parameters_error");
        assertThat(second.get("message").asText())
                .isEqualTo("The request body must hold one JSON object and nothing after it");
        assertError(server.put(base + "/snapshots/s1", "{\"include_logs\": false, \"x\": {\"include_logs\": 1,"
                + " \"include_logs\": 2}}"), 400, "bad_parameters_error");
        assertThat(server.get(base + "/snapshots/s1").status()).isEqualTo(404);
        assertThat(server.put(base + "/snapshots/s1", "{\"queue\": true}  \n").status()).isEqualTo(201);
    }

    @EachVersion
    void aRestoreBodyWithAKeyTwiceOrTextAfterItIsA400(String base) {
        createdSnapshot(base, "good", Wire.archive(100, 1));
        JsonNode twice = assertError(server.post(base + "/snapshots/good/restore",
                "{\"force\": false, \"force\": true}"), 400, "bad_parameters_error");
        assertThat(twice.get("message").asText()).contains("Duplicate field 'force'");
        assertError(server.post(base + "/snapshots/good/restore", "{\"force\": true} xyz"), 400,
                "bad_parameters_error");
        assertError(server.post(base + "/snapshots/good/restore", "{\"force\": true}]"), 400,
                "bad_parameters_error");
        assertError(server.post(base + "/snapshots/good/restore", "{} {}"), 400, "bad_parameters_error");
    }

    @EachVersion
    void aBodyBeyondTheReadLimitsIsA400NamingTheLimit(String base) {
        JsonNode number = assertError(server.put(base + "/snapshots/s1", "{\"n\": " + "9".repeat(101) + "}"), 400,
                "bad_parameters_error");
        assertThat(number.get("message").asText()).startsWith("The request body is over a limit: ")
                .contains("Number value length").contains("(100");
        JsonNode deep = assertError(server.put(base + "/snapshots/s1", "{\"n\": " + "[".repeat(40) + "]".repeat(40)
                + "}"), 400, "bad_parameters_error");
        assertThat(deep.get("message").asText()).startsWith("The request body is over a limit: ")
                .contains("nesting depth").contains("(32");
        JsonNode name = assertError(server.put(base + "/snapshots/s1", "{\"" + "k".repeat(1025) + "\": 1}"), 400,
                "bad_parameters_error");
        assertThat(name.get("message").asText()).startsWith("The request body is over a limit: ")
                .contains("(1024");
        assertThat(server.get(base + "/snapshots/s1").status()).isEqualTo(404);
    }

    @EachVersion
    void anExistingIdIsAConflict(String base) {
        assertThat(server.put(base + "/snapshots/s1", "{}").status()).isEqualTo(201);
        assertError(server.put(base + "/snapshots/s1", "{}"), 409, "conflict_error");
    }

    @EachVersion
    void anotherActiveExecutionRefusesTheCreateAndLeavesNoSnapshot(String base) {
        assertThat(server.put(base + "/snapshots/s1", "{}").status()).isEqualTo(201);
        assertError(server.put(base + "/snapshots/s2", "{}"), 400, "existing_running_execution_error");
        assertError(server.get(base + "/snapshots/s2"), 404, "not_found_error");
        TestServer.Reply queued = server.put(base + "/snapshots/s3", "{\"queue\": true}");
        assertThat(queued.status()).isEqualTo(201);
        assertThat(queued.json().get("status").asText()).isEqualTo("queued");
    }

    @EachVersion
    void badIdsAre400OnCreateAndUpload(String base) {
        String[] bad = {"", "a".repeat(257), "a%2Fb", "x..y", "my%20snap", "1abc", "caf%C3%A9", "..%2Fetc"};
        for (String id : bad) {
            JsonNode created = assertError(server.put(base + "/snapshots/" + id, "{}"), 400, "bad_parameters_error");
            assertThat(created.get("message").asText()).as("create %s", id).contains("snapshot id");
            JsonNode uploaded = assertError(server.send(server.request(base + "/snapshots/" + id + "/archive")
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(Wire.archive(100, 1))).build()), 400,
                    "bad_parameters_error");
            assertThat(uploaded.get("message").asText()).as("upload %s", id).contains("snapshot id");
        }
        assertThat(server.get(base + "/snapshots").json().get("items")).isEmpty();
        assertThat(server.put(base + "/snapshots/" + "a".repeat(256), "{}").status()).isEqualTo(201);
    }

    @EachVersion
    void getShowsEverySnapshotKey(String base) {
        byte[] archive = Wire.archive(1000, 2);
        createdSnapshot(base, "s1", archive);
        TestServer.Reply r = server.get(base + "/snapshots/s1");
        assertThat(r.status()).isEqualTo(200);
        JsonNode s = r.json();
        assertThat(fieldNames(s)).containsExactly("id", "created_at", "status", "error", "created_by", "tenant_name",
                "visibility", "private_resource", "resource_availability", "archive_size", "archive_sha256",
                "progress");
        // A created snapshot's progress is its execution's.
        assertThat(s.get("progress").isNull()).isTrue();
        assertThat(s.get("status").asText()).isEqualTo("created");
        assertThat(s.get("error").asText()).isEmpty();
        assertThat(s.get("tenant_name").asText()).isEqualTo("default_tenant");
        assertThat(s.get("visibility").asText()).isEqualTo("private");
        assertThat(s.get("resource_availability").asText()).isEqualTo("private");
        assertThat(s.get("private_resource").isBoolean()).isTrue();
        assertThat(s.get("archive_size").asLong()).isEqualTo(1000);
        assertThat(s.get("archive_sha256").asText()).isEqualTo(sha256(archive));
        assertThat(server.get(base + "/snapshots/s1?_include=id,status").json().size()).isEqualTo(2);
        assertError(server.get(base + "/snapshots/s1?_include=id,colour"), 400, "no_such_include_field_error");
        assertError(server.get(base + "/snapshots/nope"), 404, "not_found_error");
    }

    @EachVersion
    void listPagesSortsFiltersAndSearches(String base) {
        for (String id : new String[] {"alpha", "beta", "gamma"}) {
            createdSnapshot(base, id, Wire.archive(10, 3));
        }
        JsonNode all = server.get(base + "/snapshots").json();
        assertThat(fieldNames(all)).containsExactly("items", "metadata");
        assertThat(all.get("metadata").get("pagination").get("total").asInt()).isEqualTo(3);
        assertThat(all.get("metadata").get("pagination").get("size").asInt()).isEqualTo(1000);
        assertThat(all.get("metadata").get("pagination").get("offset").asInt()).isZero();
        assertThat(all.get("metadata").has("filtered")).isTrue();
        assertThat(ids(server.get(base + "/snapshots?_sort=-id").json())).containsExactly("gamma", "beta", "alpha");
        JsonNode page = server.get(base + "/snapshots?_sort=%2Bid&_offset=1&_size=1").json();
        assertThat(ids(page)).containsExactly("beta");
        assertThat(page.get("metadata").get("pagination").get("total").asInt()).isEqualTo(3);
        assertThat(ids(server.get(base + "/snapshots?id=alpha&id=gamma").json())).containsExactly("alpha", "gamma");
        assertThat(ids(server.get(base + "/snapshots?_search=mm").json())).containsExactly("gamma");
        assertThat(ids(server.get(base + "/snapshots?status=created&_all_tenants=True").json())).hasSize(3);
        assertThat(ids(server.get(base + "/snapshots?tenant_name=default_tenant").json())).hasSize(3);
        assertThat(ids(server.get(base + "/snapshots?tenant_name=other").json())).isEmpty();
        assertThat(server.get(base + "/snapshots?_include=id").json().get("items").get(0).size()).isEqualTo(1);
        assertError(server.get(base + "/snapshots?_include=nope"), 400, "no_such_include_field_error");
        assertError(server.get(base + "/snapshots?colour=red"), 400, "bad_parameters_error");
        assertError(server.get(base + "/snapshots?_sort=colour"), 400, "bad_parameters_error");
        assertError(server.get(base + "/snapshots?_size=-1"), 400, "bad_parameters_error");
        assertError(server.get(base + "/snapshots?_offset=x"), 400, "bad_parameters_error");
    }

    @EachVersion
    void deleteAnswers200WithTheDeletedSnapshot(String base) {
        createdSnapshot(base, "s1", Wire.archive(10, 4));
        TestServer.Reply r = server.delete(base + "/snapshots/s1");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Content-Type")).startsWith("application/json");
        assertThat(r.json().get("id").asText()).isEqualTo("s1");
        assertThat(r.json().get("status").asText()).isEqualTo("created");
        assertError(server.delete(base + "/snapshots/s1"), 404, "not_found_error");
        server.put(base + "/snapshots/busy", "{}");
        JsonNode busy = assertError(server.delete(base + "/snapshots/busy"), 400, "snapshot_action_error");
        assertThat(busy.get("message").asText()).contains("active `create_snapshot` execution");
    }

    @EachVersion
    void restoreAnswers200WithARestoreExecution(String base) {
        createdSnapshot(base, "s1", Wire.archive(10, 5));
        TestServer.Reply r = server.post(base + "/snapshots/s1/restore", "{\"force\": \"True\", \"recreate_deployments_envs\": false,"
                + " \"timeout\": 10}");
        assertThat(r.status()).as("%s", r).isEqualTo(200);
        assertThat(r.json().get("workflow_id").asText()).isEqualTo("restore_snapshot");
        assertThat(r.json().get("parameters").get("force").asBoolean()).isTrue();
        assertThat(r.json().get("parameters").get("recreate_deployments_envs").asBoolean()).isFalse();
        assertThat(r.json().get("parameters").get("snapshot_id").asText()).isEqualTo("s1");
        assertError(server.post(base + "/snapshots/s1/restore", "{}"), 400, "existing_running_execution_error");
    }

    @EachVersion
    void restoreErrors(String base) {
        assertError(server.post(base + "/snapshots/missing/restore", "{}"), 404, "not_found_error");
        ExecutionId e = ExecutionId.of(server.put(base + "/snapshots/bad", "{}").json().get("id").asText());
        JsonNode creating = assertError(server.post(base + "/snapshots/bad/restore", ""), 400, "snapshot_action_error");
        assertThat(creating.get("message").asText()).contains("not ready");
        service.fail(e, "disk full");
        JsonNode failed = assertError(server.post(base + "/snapshots/bad/restore", "{}"), 400, "snapshot_action_error");
        assertThat(failed.get("message").asText()).isEqualTo("Failed snapshot cannot be restored");
        createdSnapshot(base, "good", Wire.archive(10, 6));
        assertError(server.post(base + "/snapshots/good/restore", "{\"no_reboot\": true}"), 400, "bad_parameters_error");
        assertError(server.post(base + "/snapshots/good/restore", "{\"force\": 1}"), 400, "bad_parameters_error");
    }

    @EachVersion
    void downloadStreamsTheArchiveWithItsHeaders(String base) {
        byte[] archive = Wire.archive(700_000, 7);
        createdSnapshot(base, "s1", archive);
        TestServer.Reply r = server.send(server.request(base + "/snapshots/s1/archive")
                .header("Content-Type", "application/json").header("Accept", "application/json").GET().build());
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(archive);
        assertThat(r.header("Content-Type")).isEqualTo("application/octet-stream");
        assertThat(r.header("Content-Length")).isEqualTo("700000");
        assertThat(r.header("Transfer-Encoding")).isNull();
        assertThat(r.header("Content-Disposition")).isEqualTo("attachment; filename=s1.zip");
        assertThat(r.header("Cache-Control")).isEqualTo("no-cache");
        assertThat(r.header("ETag")).isEqualTo("\"" + sha256(archive) + "\"");
        assertThat(r.header("Content-Disposition").split("filename=")[1]).isEqualTo("s1.zip");
    }

    @EachVersion
    void aDownloadResumesWithRange(String base) {
        byte[] archive = Wire.archive(500_000, 8);
        createdSnapshot(base, "s1", archive);
        String etag = "\"" + sha256(archive) + "\"";
        TestServer.Reply rest = server.send(server.request(base + "/snapshots/s1/archive")
                .header("Range", "bytes=300000-").header("If-Range", etag).GET().build());
        assertThat(rest.status()).isEqualTo(206);
        assertThat(rest.header("Content-Range")).isEqualTo("bytes 300000-499999/500000");
        assertThat(rest.header("Content-Length")).isEqualTo("200000");
        assertThat(rest.body()).isEqualTo(Arrays.copyOfRange(archive, 300_000, 500_000));
        TestServer.Reply middle = server.send(server.request(base + "/snapshots/s1/archive")
                .header("Range", "bytes=10-19").GET().build());
        assertThat(middle.body()).isEqualTo(Arrays.copyOfRange(archive, 10, 20));
        TestServer.Reply tail = server.send(server.request(base + "/snapshots/s1/archive")
                .header("Range", "bytes=-5").GET().build());
        assertThat(tail.body()).isEqualTo(Arrays.copyOfRange(archive, 499_995, 500_000));
        TestServer.Reply changed = server.send(server.request(base + "/snapshots/s1/archive")
                .header("Range", "bytes=10-19").header("If-Range", "\"other\"").GET().build());
        assertThat(changed.status()).isEqualTo(200);
        assertThat(changed.body()).hasSize(500_000);
        TestServer.Reply bad = server.send(server.request(base + "/snapshots/s1/archive")
                .header("Range", "bytes=600000-").GET().build());
        assertError(bad, 416, "range_not_satisfiable_error");
        assertThat(bad.header("Content-Range")).isEqualTo("bytes */500000");
        assertError(server.send(server.request(base + "/snapshots/s1/archive").header("Range", "lines=1-2").GET().build()),
                416, "range_not_satisfiable_error");
    }

    @EachVersion
    void downloadErrors(String base) {
        assertError(server.get(base + "/snapshots/missing/archive"), 404, "not_found_error");
        ExecutionId e = ExecutionId.of(server.put(base + "/snapshots/s1", "{}").json().get("id").asText());
        assertError(server.get(base + "/snapshots/s1/archive"), 400, "snapshot_action_error");
        service.fail(e, "disk full");
        JsonNode failed = assertError(server.get(base + "/snapshots/s1/archive"), 400, "snapshot_action_error");
        assertThat(failed.get("message").asText()).isEqualTo("Failed snapshot cannot be downloaded");
    }

    @EachVersion
    void uploadTakesAnyContentTypeWithAContentLength(String base) {
        byte[] archive = Wire.archive(300_000, 9);
        TestServer.Reply r = server.send(server.request(base + "/snapshots/up/archive")
                .header("Content-Type", "application/zip").PUT(HttpRequest.BodyPublishers.ofByteArray(archive)).build());
        assertThat(r.status()).as("%s", r).isEqualTo(201);
        assertThat(r.json().get("status").asText()).isEqualTo("uploaded");
        assertThat(r.json().get("archive_sha256").asText()).isEqualTo(sha256(archive));
        assertThat(server.get(base + "/snapshots/up/archive").body()).isEqualTo(archive);
        assertThat(service.uploadLength).isEqualTo(archive.length);
        JsonNode progress = server.get(base + "/snapshots/up").json().get("progress");
        assertProgressShape(progress);
        assertThat(progress.get("phase").asText()).isEqualTo("done");
        assertThat(progress.get("bytes_total").asLong()).isEqualTo(archive.length);
        assertThat(progress.get("bytes_done").asLong()).isEqualTo(archive.length);
        assertThat(progress.get("percent").asDouble()).isEqualTo(100.0);
        assertThat(progress.get("entries_total").isNull()).isTrue();
        assertError(server.send(server.request(base + "/snapshots/up/archive")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(archive)).build()), 409, "conflict_error");
    }

    /** What the Python client does: 8 KiB chunks labelled application/json, and an empty chunk at the end. */
    @EachVersion
    void uploadTakesAChunkedBodyLabelledJsonWhoseLastChunkIsEmpty(String base) throws Exception {
        byte[] archive = Wire.archive(100_000, 10);
        try (Socket socket = new Socket("127.0.0.1", server.port)) {
            OutputStream out = socket.getOutputStream();
            out.write(("PUT " + base + "/snapshots/chunky/archive HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Authorization: " + TestUsers.ADMIN + "\r\nContent-type: application/json\r\n"
                    + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            for (int off = 0; off < archive.length; off += 8192) {
                int n = Math.min(8192, archive.length - off);
                out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(archive, off, n);
                out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            // requests writes the generator's empty chunk as `0`, then its own terminator.
            out.write("0\r\n\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(response).startsWith("HTTP/1.1 201");
            assertThat(response).contains("\"status\":\"uploaded\"");
        }
        assertThat(server.get(base + "/snapshots/chunky/archive").body()).isEqualTo(archive);
        // No Content-Length: the upload's total stays unknown.
        assertThat(service.uploadLength).isEqualTo(-1);
        assertThat(server.get(base + "/snapshots/chunky").json().get("progress").get("bytes_total").isNull()).isTrue();
    }

    /** Snapkeep's progress object: exactly these keys, each a number or null, the phase a string or null. */
    static void assertProgressShape(JsonNode progress) {
        assertThat(progress.isObject()).as("%s", progress).isTrue();
        assertThat(fieldNames(progress)).containsExactly("phase", "bytes_done", "bytes_total", "entries_done",
                "entries_total", "percent", "bytes_per_second", "eta_seconds");
        assertThat(progress.get("phase").isNull() || progress.get("phase").isTextual()).isTrue();
        assertThat(progress.get("bytes_done").isIntegralNumber()).isTrue();
        assertThat(progress.get("entries_done").isIntegralNumber()).isTrue();
        for (String figure : new String[] {"bytes_total", "entries_total", "bytes_per_second", "eta_seconds"}) {
            assertThat(progress.get(figure).isNull() || progress.get(figure).isIntegralNumber()).as(figure).isTrue();
        }
        assertThat(progress.get("percent").isNull() || progress.get("percent").isNumber()).isTrue();
    }

    @EachVersion
    void aChunkedUploadThroughHttpUrlConnection(String base) throws Exception {
        byte[] archive = Wire.archive(1_000_000, 11);
        HttpURLConnection c = (HttpURLConnection) server.uri(base + "/snapshots/conn/archive").toURL().openConnection();
        c.setRequestMethod("PUT");
        c.setDoOutput(true);
        c.setChunkedStreamingMode(8192);
        c.setRequestProperty("Authorization", TestUsers.ADMIN);
        c.setRequestProperty("Content-Type", "application/json");
        try (OutputStream out = c.getOutputStream()) {
            out.write(archive);
        }
        assertThat(c.getResponseCode()).isEqualTo(201);
        try (InputStream in = c.getInputStream()) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).contains("\"uploaded\"");
        }
        assertThat(service.uploadedBytes).isEqualTo(archive.length);
    }

    @EachVersion
    void anInvalidArchiveIs400AndLeavesNothing(String base) {
        JsonNode body = assertError(server.send(server.request(base + "/snapshots/junk/archive")
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"not\": \"a zip\"}")).build()), 400, "invalid_archive_error");
        assertThat(body.get("message").asText()).contains("zip");
        assertError(server.send(server.request(base + "/snapshots/empty/archive")
                .PUT(HttpRequest.BodyPublishers.noBody()).build()), 400, "invalid_archive_error");
        assertError(server.get(base + "/snapshots/junk"), 404, "not_found_error");
    }

    static java.util.List<String> ids(JsonNode list) {
        java.util.List<String> ids = new java.util.ArrayList<>();
        list.get("items").forEach(i -> ids.add(i.get("id").asText()));
        return ids;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static byte[] readAll(InputStream in) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        in.transferTo(out);
        return out.toByteArray();
    }
}
