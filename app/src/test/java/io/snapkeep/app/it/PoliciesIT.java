package io.snapkeep.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Snapshot policies against the packaged jar: retention keeps the newest {@code max_count} of four manual
 * runs, and a policy whose snapshot is damaged at rest reports the failed verification on its verify schedule.
 */
class PoliciesIT {
    private static final String PASSWORD = "it-admin-password";
    /** Fires once a year: never while the test runs, so every run here is asked for. */
    private static final String NEVER_DURING_THE_TEST = "0 0 1 1 *";
    /** A verify schedule of every minute, plus the engine's tick, is due well within this. */
    private static final Duration VERIFY_DEADLINE = Duration.ofSeconds(90);

    @TempDir
    Path temp;

    @Test
    void four_runs_with_max_count_two_keep_the_newest_two_and_damage_shows_as_failed_verification()
            throws Exception {
        Path data = Files.createDirectories(temp.resolve("data"));
        Disk.writeTree(data.resolve("resources"), 7, 1, 5);
        try (ServerProcess server = ServerProcess.start(data, Map.of("SNAPKEEP_ADMIN_PASSWORD", PASSWORD))) {
            Api api = new Api(server.uri(), PASSWORD);

            JsonNode put = put(api, "rolling", "{\"schedule\": \"" + NEVER_DURING_THE_TEST + "\","
                    + " \"snapshot_id\": \"rolling-{yyyyMMdd-HHmmss}\", \"retention\": {\"max_count\": 2}}");
            assertThat(put.path("retention").path("max_count").asInt()).isEqualTo(2);
            assertThat(put.path("next_due").asText()).endsWith("-01-01T00:00:00.000Z");

            List<String> made = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                HttpResponse<String> run = api.send("POST", "snapshot-policies/rolling/run",
                        HttpRequest.BodyPublishers.noBody(), null);
                Api.check(run, 201);
                JsonNode execution = Api.json(run.body());
                assertThat(execution.path("workflow_id").asText()).isEqualTo("create_snapshot");
                JsonNode end = api.awaitStatus(execution.path("id").asText(), Api.END, Duration.ofMinutes(1));
                assertThat(end.path("status").asText()).as(end + "\n" + server.output()).isEqualTo("terminated");
                made.add(execution.path("parameters").path("snapshot_id").asText());
            }
            assertThat(made).doesNotHaveDuplicates().allMatch(id -> id.startsWith("rolling-"));

            // Retention follows each successful run; the two oldest go, the two newest stay, created.
            List<String> newest = made.subList(2, 4);
            List<String> left = awaitSnapshots(api, ids -> ids.stream().filter(made::contains).count() == 2,
                    Duration.ofSeconds(60), server);
            assertThat(left).filteredOn(made::contains).containsExactlyInAnyOrderElementsOf(newest);
            for (String id : newest) {
                assertThat(api.snapshot(id).orElseThrow().path("status").asText()).isEqualTo("created");
            }
            JsonNode rolling = policy(api, "rolling");
            assertThat(rolling.path("health").asText()).isEqualTo("ok");
            assertThat(rolling.path("consecutive_failures").asInt()).isZero();
            assertThat(rolling.path("last_success").path("snapshot_id").asText()).isEqualTo(made.get(3));
            List<String> deleted = new ArrayList<>();
            rolling.path("history").forEach(h -> {
                if (h.path("kind").asText().equals("retention") && h.path("outcome").asText().equals("succeeded")) {
                    deleted.add(h.path("snapshot_id").asText());
                }
            });
            assertThat(deleted).containsExactlyInAnyOrderElementsOf(made.subList(0, 2));

            // A policy verifying every minute finds its snapshot damaged at rest.
            put(api, "checked", "{\"schedule\": \"" + NEVER_DURING_THE_TEST + "\","
                    + " \"snapshot_id\": \"checked-{yyyyMMdd-HHmmss}\", \"verify_schedule\": \"* * * * *\"}");
            HttpResponse<String> run = api.send("POST", "snapshot-policies/checked/run",
                    HttpRequest.BodyPublishers.noBody(), null);
            Api.check(run, 201);
            JsonNode execution = Api.json(run.body());
            JsonNode end = api.awaitStatus(execution.path("id").asText(), Api.END, Duration.ofMinutes(1));
            assertThat(end.path("status").asText()).as(end.toString()).isEqualTo("terminated");
            String checked = execution.path("parameters").path("snapshot_id").asText();
            JsonNode snapshot = api.snapshot(checked).orElseThrow();
            List<Path> files = Disk.filesHolding(data.resolve("archives"), snapshot.path("archive_size").asLong(),
                    snapshot.path("archive_sha256").asText());
            assertThat(files).as("the stored archive of " + snapshot).hasSize(1);
            Disk.flipOneByte(files.get(0));

            JsonNode failed = awaitPolicy(api, "checked", p -> p.path("health").asText().equals("verification_failed"),
                    VERIFY_DEADLINE, server);
            JsonNode verify = null;
            for (JsonNode h : failed.path("history")) {
                if (h.path("kind").asText().equals("verify") && h.path("outcome").asText().equals("failed")) {
                    verify = h;
                    break;
                }
            }
            assertThat(verify).as(failed.toString()).isNotNull();
            assertThat(verify.path("snapshot_id").asText()).isEqualTo(checked);
            assertThat(verify.path("detail").asText()).isNotBlank();
            JsonNode after = api.snapshot(checked).orElseThrow();
            assertThat(after.path("status").asText()).as(after.toString()).isEqualTo("failed");
            assertThat(after.path("error").asText()).startsWith("archive damaged");
            // The other policy is untouched by it.
            assertThat(policy(api, "rolling").path("health").asText()).isEqualTo("ok");
            // The same in the metrics: each policy's last success, and the failed verification counted.
            String metrics = api.getFromRoot("metrics").body();
            assertThat(metrics).containsPattern(
                    "snapkeep_policy_failures_total\\{kind=\"verify\",policy=\"checked\"[^}]*\\} 1\\.0")
                    .containsPattern("snapkeep_policy_failures_total\\{kind=\"create\",policy=\"rolling\"[^}]*\\} 0\\.0")
                    .containsPattern("snapkeep_policy_last_success_timestamp_seconds\\{policy=\"rolling\"[^}]*\\} 1\\.[0-9.]+E9");

            // Deleting a policy leaves its snapshots.
            Api.check(api.send("DELETE", "snapshot-policies/rolling", HttpRequest.BodyPublishers.noBody(), null), 200);
            Api.check(api.get("snapshot-policies/rolling"), 404);
            for (String id : newest) {
                assertThat(api.snapshot(id)).isPresent();
            }
        }
    }

    private static JsonNode put(Api api, String name, String body) throws IOException, InterruptedException {
        HttpResponse<String> r = api.send("PUT", "snapshot-policies/" + name, HttpRequest.BodyPublishers.ofString(body),
                "application/json");
        Api.check(r, 200);
        return Api.json(r.body());
    }

    private static JsonNode policy(Api api, String name) throws IOException, InterruptedException {
        HttpResponse<String> r = api.get("snapshot-policies/" + name);
        Api.check(r, 200);
        return Api.json(r.body());
    }

    private static JsonNode awaitPolicy(Api api, String name, Predicate<JsonNode> done, Duration limit,
                                        ServerProcess server) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        JsonNode p;
        do {
            p = policy(api, name);
            if (done.test(p)) {
                return p;
            }
            Thread.sleep(200);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("policy " + name + " not as expected within " + limit + "; last seen " + p + "\n"
                + server.output());
    }

    private static List<String> awaitSnapshots(Api api, Predicate<List<String>> done, Duration limit,
                                               ServerProcess server) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        List<String> ids;
        do {
            ids = api.snapshots().stream().map(s -> s.path("id").asText()).toList();
            if (done.test(ids)) {
                return ids;
            }
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("snapshots not as expected within " + limit + "; last seen " + ids + "\n"
                + server.output());
    }
}
