package io.snapkeep.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Create, upload and delete of one snapshot id sent at once to two nodes end as on one node. Each round
 * picks a fresh id, gives it a random prior state (absent, created then deleted, created, uploaded), then
 * sends a random pair of operations (possibly the same kind twice) at the same moment, one to each node,
 * sometimes with one of them a few milliseconds late. The answers and the id's end state must be one of
 * those {@link OneNode} gives for some order of the two operations' steps on one node. After each round,
 * once every execution ended: both nodes list the same snapshots (ids, statuses, archive sizes and
 * digests), no other snapshot changed, and the bucket holds exactly an archive and a record for each
 * {@code created} or {@code uploaded} snapshot (sizes and the record's fields as listed), with no pending
 * multipart upload; downloads are the listed archives.
 *
 * <p>The default run is a few rounds; {@code mvn -B verify -Pcluster-soak} runs hundreds. System properties:
 * {@code snapkeep.races.rounds}, {@code snapkeep.races.seed} (printed at the start and in every failure, to
 * replay the choices of a run).
 */
class ClusterRacesIT {
    static final int ROUNDS = Integer.getInteger("snapkeep.races.rounds", 10);
    static final long SEED = Long.getLong("snapkeep.races.seed", System.nanoTime());
    /** Short, as in {@link ClusterIT}; no node dies here, so it only sets how often the nodes renew. */
    static final Duration TTL = Duration.ofSeconds(8);
    /** The longest a single call or an execution may take before the round fails. */
    static final Duration LIMIT = Duration.ofSeconds(120);
    /** The largest head start one operation of a pair may get, in milliseconds. */
    static final int MAX_OFFSET_MS = 25;
    static final String ARCHIVES = Cluster.PREFIX + "archives/";
    static final String RECORDS = Cluster.PREFIX + "records/";

    enum Op { CREATE, UPLOAD, DELETE }

    /** The id's state before the race; {@code DELETED} is absent again after a create or upload and a delete. */
    enum Prior { ABSENT, DELETED, CREATED, UPLOADED }

    @TempDir
    Path temp;

    private Cluster cluster;
    private List<ServerProcess> nodes;
    private List<Api> apis;
    private byte[] archive;
    private String archiveSha256;

    @Test
    void races_of_one_id_on_two_nodes_end_as_on_one_node() throws Exception {
        System.out.printf("ClusterRacesIT: seed %d (replay with -Dsnapkeep.races.seed=%d), %d rounds%n",
                SEED, SEED, ROUNDS);
        SplittableRandom random = new SplittableRandom(SEED);
        ExecutorService senders = Executors.newFixedThreadPool(2);
        try (Cluster c = new Cluster(temp, TTL)) {
            cluster = c;
            for (String id : List.of("node-1", "node-2")) {
                // A few KiB: a create takes well under a second.
                Disk.writeTree(cluster.dataDir(id).resolve("resources"), id.hashCode(), 0, 4);
            }
            nodes = List.of(cluster.start("node-1"), cluster.start("node-2"));
            apis = nodes.stream().map(cluster::api).toList();

            String seedExecution = apis.get(0).create("seed");
            assertThat(Api.field(apis.get(1).awaitEnd(seedExecution), "status")).isEqualTo("terminated");
            archive = apis.get(1).download("seed").body();
            archiveSha256 = Disk.sha256(archive);
            Map<String, String> known = agreed("seed " + SEED + ", after the first create", Set.of());

            long started = System.nanoTime();
            Map<String, Integer> seen = new TreeMap<>();
            for (int round = 0; round < ROUNDS; round++) {
                Round r = Round.random(round, random);
                String context = "seed " + SEED + ", " + r;
                try {
                    Outcome outcome = play(r, senders);
                    seen.merge(OneNode.prior(r.prior()) + ", " + r.first() + " / " + r.second() + ": " + outcome,
                            1, Integer::sum);
                    System.out.printf("%s: %s%n", r, outcome);
                    known = checkAfter(r, outcome, known, context);
                } catch (Exception | AssertionError e) {
                    throw new AssertionError(context + "\n" + logs(r.id()), e);
                }
            }
            System.out.printf("ClusterRacesIT: %d rounds passed in %d s; outcomes seen:%n", ROUNDS,
                    Duration.ofNanos(System.nanoTime() - started).toSeconds());
            seen.forEach((o, n) -> System.out.printf("  %4d  %s%n", n, o));
        } finally {
            senders.shutdownNow();
        }
    }

    /** One round's choices, all drawn from the seed. */
    record Round(int number, String id, Prior prior, boolean priorUploaded, int setUpNode, Op first, Op second,
                 boolean firstQueues, boolean secondQueues, int offsetMs, boolean firstLate) {
        static Round random(int number, SplittableRandom random) {
            Prior prior = Prior.values()[random.nextInt(Prior.values().length)];
            boolean priorUploaded = prior == Prior.UPLOADED || (prior == Prior.DELETED && random.nextBoolean());
            int setUpNode = random.nextInt(2);
            Op[] ops = Op.values();
            Op first = ops[random.nextInt(ops.length)];
            Op second = ops[random.nextInt(ops.length)];
            // Creates mostly refuse to queue, as a client usually sends them.
            boolean firstQueues = random.nextInt(5) == 0;
            boolean secondQueues = random.nextInt(5) == 0;
            int offset = random.nextInt(3) == 0 ? 1 + random.nextInt(MAX_OFFSET_MS) : 0;
            return new Round(number, "r" + number, prior, priorUploaded, setUpNode, first, second, firstQueues,
                    secondQueues, offset, random.nextBoolean());
        }

        @Override
        public String toString() {
            String how = prior != Prior.DELETED ? "" : priorUploaded ? " after an upload" : " after a create";
            String when = offsetMs == 0 ? " at once"
                    : ", " + (firstLate ? "node-1" : "node-2") + "'s " + offsetMs + " ms late";
            return "round " + number + " (id " + id + ", prior " + prior + how + "): node-1 "
                    + describe(first, firstQueues) + ", node-2 " + describe(second, secondQueues) + when;
        }

        private static String describe(Op op, boolean queue) {
            return op == Op.CREATE ? "CREATE(queue: " + queue + ")" : op.toString();
        }
    }

    /** The two answers, as {@code 201} or {@code 409 conflict_error}, and the id's end state. */
    record Outcome(String first, String second, String end) {
        @Override
        public String toString() {
            return "node-1 " + first + ", node-2 " + second + ", ends " + end;
        }
    }

    /** Sets up the prior state, sends both operations, waits for accepted creates to end; the outcome. */
    private Outcome play(Round r, ExecutorService senders) throws Exception {
        Set<String> creates = new TreeSet<>();
        setUp(r).ifPresent(creates::add);
        List<HttpResponse<String>> answers = atOnce(senders,
                () -> send(apis.get(0), r.first(), r.id(), r.firstQueues()), r.firstLate() ? r.offsetMs() : 0,
                () -> send(apis.get(1), r.second(), r.id(), r.secondQueues()), r.firstLate() ? 0 : r.offsetMs());
        List<Op> ops = List.of(r.first(), r.second());
        for (int i = 0; i < 2; i++) {
            HttpResponse<String> answer = answers.get(i);
            if (ops.get(i) == Op.CREATE && answer.statusCode() == 201) {
                // Polled through the other node: any node sees the execution.
                String execution = Api.field(answer.body(), "id");
                creates.add(execution);
                JsonNode ended = apis.get(1 - i).awaitStatus(execution, Api.END, LIMIT);
                assertThat(ended.path("status").asText()).as("the accepted create on node-%d: %s", i + 1, ended)
                        .isEqualTo("terminated");
            }
        }
        List<String> active = activeExecutions();
        assertThat(active).as("executions still active once the accepted creates ended").isEmpty();
        String end = apis.get(0).snapshot(r.id()).map(s -> s.path("status").asText()).orElse("absent");
        Outcome outcome = new Outcome(answer(answers.get(0)), answer(answers.get(1)), end);
        assertThat(executionsOf(r.id())).as("%s: the executions of %s are those of the accepted creates", outcome,
                r.id()).isEqualTo(creates);
        return outcome;
    }

    /** Gives the id its prior state through one node (a delete through the other); the create's execution. */
    private Optional<String> setUp(Round r) throws Exception {
        Api api = apis.get(r.setUpNode());
        Api other = apis.get(1 - r.setUpNode());
        if (r.prior() == Prior.ABSENT) {
            return Optional.empty();
        }
        Optional<String> created = Optional.empty();
        if (r.priorUploaded()) {
            Api.check(api.upload(r.id(), archive), 201);
        } else {
            String execution = api.create(r.id());
            assertThat(other.awaitStatus(execution, Api.END, LIMIT).path("status").asText())
                    .as("the prior create of %s", r.id()).isEqualTo("terminated");
            created = Optional.of(execution);
        }
        if (r.prior() == Prior.DELETED) {
            Api.check(other.delete(r.id()), 200);
        }
        return created;
    }

    private HttpResponse<String> send(Api api, Op op, String id, boolean queue) throws Exception {
        return switch (op) {
            case CREATE -> api.tryCreate(id, queue);
            case UPLOAD -> api.upload(id, archive);
            case DELETE -> api.delete(id);
        };
    }

    @FunctionalInterface
    interface Call {
        HttpResponse<String> send() throws Exception;
    }

    /**
     * Sends both calls from two threads released by one latch once both wait on it; {@code aLate} and
     * {@code bLate} hold one back by that many milliseconds (the offset is the scenario, not a wait for work).
     */
    private static List<HttpResponse<String>> atOnce(ExecutorService senders, Call a, int aLate, Call b, int bLate)
            throws Exception {
        CountDownLatch ready = new CountDownLatch(2);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Call call = i == 0 ? a : b;
            int late = i == 0 ? aLate : bLate;
            calls.add(senders.submit(() -> {
                ready.countDown();
                if (!go.await(LIMIT.toSeconds(), TimeUnit.SECONDS)) {
                    throw new IllegalStateException("never released");
                }
                if (late > 0) {
                    Thread.sleep(late);
                }
                return call.send();
            }));
        }
        assertThat(ready.await(LIMIT.toSeconds(), TimeUnit.SECONDS)).as("both senders wait at the latch").isTrue();
        go.countDown();
        List<HttpResponse<String>> answers = new ArrayList<>();
        for (Future<HttpResponse<String>> f : calls) {
            answers.add(f.get(LIMIT.toSeconds(), TimeUnit.SECONDS));
        }
        return answers;
    }

    /** {@code 200}, {@code 201}, or the status with the body's {@code error_code}. */
    private static String answer(HttpResponse<String> r) {
        if (r.statusCode() < 300) {
            return String.valueOf(r.statusCode());
        }
        String code;
        try {
            code = Api.field(r.body(), "error_code");
        } catch (AssertionError e) {
            code = "(no error_code: " + r.body() + ")";
        }
        return r.statusCode() + " " + code;
    }

    /** The ids of the executions of snapshot {@code id}, among the latest (each round has a fresh id). */
    private Set<String> executionsOf(String id) throws Exception {
        HttpResponse<String> r = apis.get(0).get(
                "executions?_include_system_workflows=true&_sort=-created_at&_size=20");
        Api.check(r, 200);
        Set<String> ids = new TreeSet<>();
        Api.json(r.body()).path("items").forEach(e -> {
            if (e.path("parameters").path("snapshot_id").asText().equals(id)) {
                ids.add(e.path("id").asText());
            }
        });
        return ids;
    }

    private List<String> activeExecutions() throws Exception {
        HttpResponse<String> r = apis.get(1).get("executions?_include_system_workflows=true&_size=100000"
                + "&status=pending&status=queued&status=started&status=cancelling&status=force_cancelling");
        Api.check(r, 200);
        List<String> active = new ArrayList<>();
        Api.json(r.body()).path("items").forEach(e -> active.add(e.toString()));
        return active;
    }

    /**
     * What must hold after a round: the outcome is one node's, the nodes agree with each other and with the
     * store, and no snapshot but the round's changed.
     *
     * @return the listing now agreed on
     */
    private Map<String, String> checkAfter(Round r, Outcome outcome, Map<String, String> before, String context)
            throws Exception {
        List<String> broken = new ArrayList<>();
        Set<Outcome> allowed = OneNode.outcomes(OneNode.prior(r.prior()), r.first(), r.second());
        if (!allowed.contains(outcome)) {
            broken.add("not an outcome of one node: " + outcome + "; one node gives one of: "
                    + allowed.stream().map(Outcome::toString).collect(Collectors.joining(" | ")));
        }
        Map<String, String> listing = agreed(context, Set.of(r.id()));
        Map<String, String> others = new TreeMap<>(listing);
        others.remove(r.id());
        Map<String, String> othersBefore = new TreeMap<>(before);
        othersBefore.remove(r.id());
        if (!others.equals(othersBefore)) {
            broken.add("snapshots other than " + r.id() + " changed: before " + othersBefore + ", now " + others);
        }
        String mine = listing.get(r.id());
        if (mine != null && mine.startsWith("uploaded ")
                && !mine.equals("uploaded " + archive.length + " " + archiveSha256)) {
            broken.add(r.id() + " is uploaded but is not the uploaded archive (" + archive.length + " "
                    + archiveSha256 + "): " + mine);
        }
        assertThat(broken).as(context).isEmpty();
        return listing;
    }

    /**
     * Both nodes list the same snapshots, each {@code created} or {@code uploaded}; the bucket holds exactly
     * their archives (of the listed sizes) and records (of the listed fields), nothing staged; the archives of
     * {@code sampled} and of one other snapshot download as listed, from either node.
     *
     * @return each id's {@code status archive_size archive_sha256}
     */
    private Map<String, String> agreed(String context, Set<String> sampled) throws Exception {
        List<String> broken = new ArrayList<>();
        List<Map<String, String>> listings = new ArrayList<>();
        for (Api api : apis) {
            Map<String, String> listing = new TreeMap<>();
            for (JsonNode s : api.snapshots()) {
                listing.put(s.path("id").asText(), s.path("status").asText() + " " + s.path("archive_size").asText()
                        + " " + s.path("archive_sha256").asText());
            }
            listings.add(listing);
        }
        Map<String, String> listing = listings.get(0);
        if (!listing.equals(listings.get(1))) {
            broken.add("the nodes list different snapshots: node-1 " + listing + ", node-2 " + listings.get(1));
        }
        Map<String, Long> expected = new TreeMap<>();
        listing.forEach((id, s) -> {
            String[] parts = s.split(" ");
            if (!parts[0].equals("created") && !parts[0].equals("uploaded")) {
                broken.add("snapshot " + id + " is left " + s);
            } else {
                expected.put(ARCHIVES + id + ".zip", Long.parseLong(parts[1]));
                expected.put(RECORDS + id + ".json", null);
            }
        });
        Map<String, Long> stored = cluster.objectSizes();
        if (!stored.keySet().equals(expected.keySet())) {
            Set<String> missing = new TreeSet<>(expected.keySet());
            missing.removeAll(stored.keySet());
            Set<String> extra = new TreeSet<>(stored.keySet());
            extra.removeAll(expected.keySet());
            broken.add("catalog and store disagree: missing from the bucket " + missing + ", in the bucket but not "
                    + "listed " + extra);
        }
        expected.forEach((name, size) -> {
            if (size != null && stored.containsKey(name) && !size.equals(stored.get(name))) {
                broken.add(name + " has " + stored.get(name) + " bytes, listed " + size);
            }
        });
        List<String> pending = cluster.pendingUploads();
        if (!pending.isEmpty()) {
            broken.add("multipart uploads are left pending: " + pending);
        }
        List<String> withArchive = listing.keySet().stream()
                .filter(id -> expected.containsKey(ARCHIVES + id + ".zip")).toList();
        Set<String> check = new TreeSet<>(sampled);
        check.retainAll(withArchive);
        if (!withArchive.isEmpty()) {
            check.add(withArchive.get(Math.floorMod(listing.hashCode(), withArchive.size())));
        }
        int n = 0;
        for (String id : check) {
            broken.addAll(recordAndDownloadAgree(id, listing.get(id), stored, apis.get(n++ % 2)));
        }
        assertThat(broken).as(context).isEmpty();
        return listing;
    }

    private List<String> recordAndDownloadAgree(String id, String listed, Map<String, Long> stored, Api api)
            throws Exception {
        List<String> broken = new ArrayList<>();
        String[] parts = listed.split(" ");
        String status = parts[0];
        long size = Long.parseLong(parts[1]);
        String sha256 = parts[2];
        if (stored.containsKey(RECORDS + id + ".json")) {
            JsonNode record = Api.json(new String(cluster.object(RECORDS + id + ".json"), StandardCharsets.UTF_8));
            String recorded = record.path("id").asText() + " " + record.path("status").asText() + " "
                    + record.path("size").asLong() + " " + record.path("sha256").asText();
            if (!recorded.equals(id + " " + status + " " + size + " " + sha256)) {
                broken.add("the record of " + id + " says " + recorded + ", listed " + listed);
            }
        }
        HttpResponse<byte[]> d = api.download(id);
        if (d.statusCode() != 200 || d.body().length != size || !Disk.sha256(d.body()).equals(sha256)) {
            broken.add("the download of " + id + " is not its listed archive (" + listed + "): " + d.statusCode() + ", "
                    + d.body().length + " bytes" + (d.statusCode() == 200 ? ", sha256 " + Disk.sha256(d.body()) : ""));
        }
        return broken;
    }

    /** Both nodes' log lines that name {@code id}, or are warnings or errors. */
    private String logs(String id) {
        Pattern relevant = Pattern.compile("\\b" + Pattern.quote(id) + "\\b|WARN|ERROR");
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < nodes.size(); i++) {
            out.append("node-").append(i + 1).append(" log, lines naming ").append(id).append(" or WARN/ERROR:\n");
            try {
                nodes.get(i).output().lines().filter(l -> relevant.matcher(l).find())
                        .forEach(l -> out.append("  ").append(l).append('\n'));
            } catch (Exception e) {
                out.append("  (unreadable: ").append(e).append(")\n");
            }
        }
        return out.toString();
    }

    /**
     * One node's answers to two operations of one id: every order in which their steps can interleave. A
     * create is two steps, its start (the row inserted and the execution slot taken, or {@code 409} when the
     * id exists; the answer comes here) and its execution's end (the snapshot {@code created}); an upload is
     * two steps, the claim of its id with its {@code uploading} row ({@code 409} when the id exists or another
     * upload claims it) and its commit (the snapshot {@code uploaded}; the answer comes here); a delete is one
     * step under the id's lock ({@code 404} when absent, {@code 400 snapshot_action_error} while it is being
     * created or uploaded). Only this id's create can hold the execution slot, and its row exists while it
     * does, so a create here is always refused as a conflict before the slot is looked at:
     * {@code existing_running_execution_error} is not an answer one node gives in these rounds.
     */
    static final class OneNode {
        enum Row { ABSENT, CREATING, UPLOADING, CREATED, UPLOADED }

        private OneNode() {
        }

        static Row prior(Prior prior) {
            return switch (prior) {
                case ABSENT, DELETED -> Row.ABSENT;
                case CREATED -> Row.CREATED;
                case UPLOADED -> Row.UPLOADED;
            };
        }

        /** An operation part way: how many of its steps ran, and its answer once it has one. */
        record Progress(Op op, int steps, String answer, boolean done) {
            static Progress of(Op op) {
                return new Progress(op, 0, null, false);
            }

            Progress answered(String code) {
                return new Progress(op, steps + 1, code, true);
            }

            Progress next(String code) {
                return new Progress(op, steps + 1, code, false);
            }
        }

        record Step(Row row, Progress progress) {
        }

        static Set<Outcome> outcomes(Row prior, Op first, Op second) {
            Set<Outcome> all = new LinkedHashSet<>();
            walk(prior, Progress.of(first), Progress.of(second), all);
            return all;
        }

        private static void walk(Row row, Progress a, Progress b, Set<Outcome> out) {
            if (a.done() && b.done()) {
                out.add(new Outcome(a.answer(), b.answer(), wire(row)));
                return;
            }
            if (!a.done()) {
                Step s = step(row, a);
                walk(s.row(), s.progress(), b, out);
            }
            if (!b.done()) {
                Step s = step(row, b);
                walk(s.row(), a, s.progress(), out);
            }
        }

        private static Step step(Row row, Progress p) {
            return switch (p.op()) {
                case CREATE -> p.steps() == 0
                        ? row == Row.ABSENT ? new Step(Row.CREATING, p.next("201"))
                                : new Step(row, p.answered("409 conflict_error"))
                        : new Step(Row.CREATED, p.answered(p.answer()));
                case UPLOAD -> p.steps() == 0
                        ? row == Row.ABSENT ? new Step(Row.UPLOADING, p.next(null))
                                : new Step(row, p.answered("409 conflict_error"))
                        : new Step(Row.UPLOADED, p.answered("201"));
                case DELETE -> switch (row) {
                    case ABSENT -> new Step(row, p.answered("404 not_found_error"));
                    case CREATING, UPLOADING -> new Step(row, p.answered("400 snapshot_action_error"));
                    case CREATED, UPLOADED -> new Step(Row.ABSENT, p.answered("200"));
                };
            };
        }

        private static String wire(Row row) {
            return row.name().toLowerCase(Locale.ROOT);
        }
    }
}
