package io.snapkeep.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import io.snapkeep.core.testing.Poll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three packaged-jar processes on one PostgreSQL and one S3 bucket, driven as a client behind a load balancer
 * would: requests spread over the nodes, a token from one node used on another, creates sent at once to two
 * nodes, a node killed with SIGKILL in the middle of a 1 GiB create and another started while an upload runs.
 */
class ClusterIT {
    /** Short, so the take-over test does not sit idle; the rule it checks is "within the TTL plus 5 s". */
    static final Duration TTL = Duration.ofSeconds(8);
    static final Set<String> END = Api.END;

    @TempDir
    Path temp;

    @Test
    void a_client_spread_over_three_nodes_sees_one_state() throws Exception {
        try (Cluster cluster = new Cluster(temp, TTL)) {
            for (String id : List.of("node-1", "node-2", "node-3")) {
                // Big enough that a create still runs when a second one arrives on another node.
                Disk.writeTree(cluster.dataDir(id).resolve("resources"), id.hashCode(), 48, 20);
            }
            List<ServerProcess> nodes = List.of(cluster.start("node-1"), cluster.start("node-2"),
                    cluster.start("node-3"));
            List<Api> apis = nodes.stream().map(cluster::api).toList();

            assertThat(nodes.get(0).output()).doesNotContain("is a directory, and this node shares its catalog");
            assertThat(nodes.get(2).output()).contains("Participant `resources`")
                    .contains("is a directory, and this node shares its catalog with the live node(s)");

            // One state, whichever node answers.
            String e1 = apis.get(0).create("s1");
            assertThat(Api.json(apis.get(1).awaitEnd(e1)).path("status").asText()).isEqualTo("terminated");
            for (Api api : apis) {
                assertThat(api.snapshot("s1")).map(s -> s.path("status").asText()).contains("created");
                assertThat(api.execution(e1)).map(e -> e.path("status").asText()).contains("terminated");
            }
            byte[] archive = apis.get(2).download("s1").body();
            assertThat(apis.get(1).download("s1").body()).isEqualTo(archive);

            tokensWorkOnEveryNode(apis, nodes);
            createsSentAtOnceToTwoNodes(apis);

            // Delete through one node: gone on all.
            Api.check(apis.get(1).delete("s1"), 200);
            for (Api api : apis) {
                assertThat(api.snapshot("s1")).isEmpty();
            }
            assertThat(apis.get(2).delete("s1").statusCode()).isEqualTo(404);

            uploadUndisturbedByAStartingNode(cluster, apis.get(1), archive);

            // The reconcile command beside the running nodes: it takes its turn and finds nothing to change.
            ServerProcess.Finished dryRun = cluster.run("reconciler", "reconcile", "--dry-run");
            assertThat(dryRun.exitCode()).as(dryRun.output()).isZero();
            for (Api api : apis) {
                assertThat(api.snapshot("up1")).map(s -> s.path("status").asText()).contains("uploaded");
            }
        }
    }

    private static void tokensWorkOnEveryNode(List<Api> apis, List<ServerProcess> nodes) throws Exception {
        JsonNode token = Api.json(apis.get(0).get("tokens").body());
        String value = token.path("value").asText();
        assertThat(value).isNotEmpty();
        assertThat(withToken(nodes.get(1).uri(), "GET", "snapshots", value).statusCode()).isEqualTo(200);
        assertThat(withToken(nodes.get(2).uri(), "GET", "snapshots", value).statusCode()).isEqualTo(200);
        HttpResponse<String> revoked = apis.get(2).send("DELETE", "tokens/" + token.path("id").asText(),
                HttpRequest.BodyPublishers.noBody(), null);
        assertThat(revoked.statusCode()).isEqualTo(204);
        assertThat(withToken(nodes.get(1).uri(), "GET", "snapshots", value).statusCode()).isEqualTo(401);
    }

    private static HttpResponse<String> withToken(URI node, String method, String path, String token)
            throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(node.resolve("/api/v3.1/" + path))
                .header("Authentication-Token", token).header("Tenant", "default_tenant")
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Two creates at once on two nodes: one runs, the other is refused as on one node; with {@code queue: true}
     * both run, one after the other, whichever node picks the queued one up.
     */
    private static void createsSentAtOnceToTwoNodes(List<Api> apis) throws Exception {
        List<HttpResponse<String>> both = atOnce(
                () -> apis.get(0).tryCreate("c1"), () -> apis.get(1).tryCreate("c2"));
        List<Integer> codes = both.stream().map(HttpResponse::statusCode).sorted().toList();
        assertThat(codes).as("%s", both.stream().map(HttpResponse::body).toList()).containsExactly(201, 400);
        HttpResponse<String> refused = both.stream().filter(r -> r.statusCode() == 400).findFirst().orElseThrow();
        assertThat(Api.field(refused.body(), "error_code")).isEqualTo("existing_running_execution_error");
        HttpResponse<String> ran = both.stream().filter(r -> r.statusCode() == 201).findFirst().orElseThrow();
        assertThat(Api.json(apis.get(2).awaitEnd(Api.field(ran.body(), "id"))).path("status").asText())
                .isEqualTo("terminated");

        List<HttpResponse<String>> queued = atOnce(
                () -> queuedCreate(apis.get(0), "q1"), () -> queuedCreate(apis.get(2), "q2"));
        for (HttpResponse<String> r : queued) {
            Api.check(r, 201);
            assertThat(Api.json(apis.get(1).awaitEnd(Api.field(r.body(), "id"))).path("status").asText())
                    .isEqualTo("terminated");
        }
        assertThat(queued.stream().map(r -> Api.field(r.body(), "status")).toList()).contains("queued");
    }

    private static HttpResponse<String> queuedCreate(Api api, String id) throws IOException, InterruptedException {
        return api.send("PUT", "snapshots/" + id, HttpRequest.BodyPublishers.ofString("{\"queue\": true}"),
                "application/json");
    }

    @FunctionalInterface
    interface Call {
        HttpResponse<String> send() throws Exception;
    }

    /** Sends both calls as close to the same moment as two threads can. */
    private static List<HttpResponse<String>> atOnce(Call a, Call b) throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (Call c : List.of(a, b)) {
            calls.add(CompletableFuture.supplyAsync(() -> {
                try {
                    go.await();
                    return c.send();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        go.countDown();
        List<HttpResponse<String>> answers = new ArrayList<>();
        for (CompletableFuture<HttpResponse<String>> f : calls) {
            answers.add(f.get(120, TimeUnit.SECONDS));
        }
        return answers;
    }

    /** An upload that streams while a new node starts (and settles what it finds) completes all the same. */
    private static void uploadUndisturbedByAStartingNode(Cluster cluster, Api api, byte[] archive) throws Exception {
        CountDownLatch halfSent = new CountDownLatch(1);
        CountDownLatch resume = new CountDownLatch(1);
        HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.ofInputStream(
                () -> new HeldHalfway(archive, halfSent, resume));
        CompletableFuture<HttpResponse<String>> upload = CompletableFuture.supplyAsync(() -> {
            try {
                return api.send("PUT", "snapshots/up1/archive", body, "application/octet-stream");
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(halfSent.await(60, TimeUnit.SECONDS)).isTrue();
        assertThat(api.snapshot("up1")).map(s -> s.path("status").asText()).contains("uploading");

        ServerProcess fourth = cluster.start("node-4");
        assertThat(cluster.api(fourth).snapshot("up1")).map(s -> s.path("status").asText()).contains("uploading");
        assertThat(cluster.pendingUploads()).contains(Cluster.PREFIX + "archives/up1.zip");
        resume.countDown();

        HttpResponse<String> done = upload.get(120, TimeUnit.SECONDS);
        assertThat(done.statusCode()).as(done.body()).isEqualTo(201);
        assertThat(cluster.api(fourth).snapshot("up1")).map(s -> s.path("status").asText()).contains("uploaded");
        assertThat(cluster.api(fourth).download("up1").body()).isEqualTo(archive);
    }

    /** {@code bytes}, of which the second half only comes once {@code resume} opens. */
    static final class HeldHalfway extends InputStream {
        private final byte[] bytes;
        private final CountDownLatch halfSent;
        private final CountDownLatch resume;
        private int position;

        HeldHalfway(byte[] bytes, CountDownLatch halfSent, CountDownLatch resume) {
            this.bytes = bytes;
            this.halfSent = halfSent;
            this.resume = resume;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            int half = bytes.length / 2;
            if (position == half) {
                halfSent.countDown();
                try {
                    if (!resume.await(120, TimeUnit.SECONDS)) {
                        throw new UncheckedIOException(new IOException("never resumed"));
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new UncheckedIOException(new IOException("interrupted"));
                }
            }
            if (position >= bytes.length) {
                return -1;
            }
            int limit = position < half ? half : bytes.length;
            int n = Math.min(len, limit - position);
            System.arraycopy(bytes, position, b, off, n);
            position += n;
            return n;
        }
    }

    @Test
    void a_node_killed_in_a_create_is_taken_over_and_rejoins() throws Exception {
        try (Cluster cluster = new Cluster(temp, TTL)) {
            Path big = cluster.dataDir("node-1").resolve("resources");
            Disk.writeTree(big, 11, 1024, 10);
            ServerProcess first = cluster.start("node-1");
            ServerProcess second = cluster.start("node-2");
            ServerProcess third = cluster.start("node-3");
            Api one = cluster.api(first);
            Api two = cluster.api(second);

            // A cancel sent to another node reaches the one that runs the create.
            String cancelled = one.create("cancelled");
            two.awaitStatus(cancelled, Set.of("started"), Duration.ofSeconds(60));
            long cancelAt = System.nanoTime();
            Api.check(cluster.api(third).cancel(cancelled), 200);
            assertThat(two.awaitStatus(cancelled, END, Duration.ofSeconds(30)).path("status").asText())
                    .isEqualTo("cancelled");
            Duration cancelTook = Duration.ofNanos(System.nanoTime() - cancelAt);
            System.out.printf("ClusterIT: a cancel through node-3 ended node-1's create in %d ms%n",
                    cancelTook.toMillis());
            assertThat(cancelTook).isLessThan(Duration.ofSeconds(5));

            String create = one.create("big");
            two.awaitStatus(create, Set.of("started"), Duration.ofSeconds(60));
            Poll.until(cluster::pendingUploadsNow, uploads -> !uploads.isEmpty(), Duration.ofSeconds(60));

            first.kill();
            long killedAt = System.nanoTime();
            JsonNode failed = two.awaitStatus(create, END, TTL.plusSeconds(10));
            Duration took = Duration.ofNanos(System.nanoTime() - killedAt);
            assertThat(failed.path("status").asText()).isEqualTo("failed");
            assertThat(failed.path("error").asText()).isEqualTo("node node-1 stopped responding");
            System.out.printf("ClusterIT: node-1 killed; node-2 failed its create %d ms later (lease TTL %d ms)%n",
                    took.toMillis(), TTL.toMillis());
            assertThat(took).as("taken over within the lease TTL plus 5 s").isLessThanOrEqualTo(TTL.plusSeconds(5));
            assertThat(two.snapshot("big")).map(s -> s.path("status").asText()).contains("failed");
            // The killed create's upload is aborted.
            Poll.until(cluster::pendingUploadsNow, List::isEmpty, Duration.ofSeconds(10));
            assertThat(cluster.objects()).noneMatch(name -> name.contains("big"));

            // The slot is free again: the next create, on a surviving node, runs to its end.
            String next = cluster.api(third).create("next");
            assertThat(Api.json(two.awaitEnd(next)).path("status").asText()).isEqualTo("terminated");

            // The killed node comes back under its id and serves again.
            Files.delete(big.resolve("large.bin"));
            ServerProcess back = cluster.start("node-1");
            String again = cluster.api(back).create("again");
            assertThat(Api.json(cluster.api(back).awaitEnd(again)).path("status").asText()).isEqualTo("terminated");
            assertThat(cluster.api(third).snapshot("again")).map(s -> s.path("status").asText()).contains("created");
        }
    }
}
