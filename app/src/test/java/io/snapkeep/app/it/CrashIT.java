package io.snapkeep.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the API acknowledged survives {@code kill -9} at any moment. Rounds of creates, uploads, deletes,
 * restores and cancels against the packaged jar, each ended by SIGKILL at a random moment (after a random
 * delay, or right after the n-th acknowledgement); some rounds first sit idle for {@link #IDLE_GAP}, the gap
 * after which H2 used to lose the commits that followed it. After every restart nothing acknowledged is lost
 * ({@link Model}), the participant's tree is the one every snapshot holds (a restore is all or nothing), and
 * catalog and store agree: on disk, the store's archives are exactly the listed snapshots' archives, each
 * with its record, and nothing is left staged; every few rounds also after an orderly stop, by
 * {@code reconcile --dry-run} exiting 0.
 *
 * <p>The default run is short (about 2-3 minutes with one idle gap); {@code mvn -B verify -Pcrash-soak} runs
 * hundreds of rounds. System properties: {@code snapkeep.crash.rounds}, {@code snapkeep.crash.seed} (printed at
 * the start and in every failure, to replay a run), {@code snapkeep.crash.gap} (seconds),
 * {@code snapkeep.crash.gapEvery} (0: one idle round, in the middle), {@code snapkeep.crash.agreeEvery}.
 */
class CrashIT {
    /**
     * How long a round sits idle before its last writes: longer than H2's 45 s retention time, after which a
     * reopen of a killed H2 file missed the commits that followed the gap. Change it here or with
     * {@code -Dsnapkeep.crash.gap=<seconds>}.
     */
    static final Duration IDLE_GAP = Duration.ofSeconds(Long.getLong("snapkeep.crash.gap", 50));
    static final int ROUNDS = Integer.getInteger("snapkeep.crash.rounds", 8);
    static final int GAP_EVERY = Integer.getInteger("snapkeep.crash.gapEvery", 0);
    static final int AGREE_EVERY = Integer.getInteger("snapkeep.crash.agreeEvery", 4);
    static final long SEED = Long.getLong("snapkeep.crash.seed", System.nanoTime());
    /** The longest random delay before a kill. */
    static final int MAX_KILL_DELAY_MS = 2500;
    private static final String PASSWORD = "it-admin-password";

    @TempDir
    Path temp;

    private Path data;
    private Path resources;
    private Map<String, String> env;
    private String tree;
    private final Map<String, String> digests = new HashMap<>();

    @Test
    void nothing_acknowledged_is_lost_across_kill_minus_nine() throws Exception {
        System.out.printf("CrashIT: seed %d (replay with -Dsnapkeep.crash.seed=%d), %d rounds, idle gap %d s%n",
                SEED, SEED, ROUNDS, IDLE_GAP.toSeconds());
        SplittableRandom random = new SplittableRandom(SEED);
        data = Files.createDirectories(temp.resolve("data"));
        resources = data.resolve("resources");
        Disk.writeTree(resources, 7, 16, 200);
        tree = Disk.treeDigest(resources, false);
        env = Map.of("SNAPKEEP_ADMIN_PASSWORD", PASSWORD, "SNAPKEEP_SHUTDOWN_GRACE_PERIOD", "10s");
        Model model = new Model();
        Path seedZip = temp.resolve("seed.zip");

        ServerProcess server = ServerProcess.start(data, env);
        try {
            Api api = new Api(server.uri(), PASSWORD);
            Client.awaitCreated(api, model, "seed");
            Files.write(seedZip, api.download("seed").body());

            for (int round = 0; round < ROUNDS; round++) {
                boolean gap = GAP_EVERY > 0 ? round % GAP_EVERY == GAP_EVERY - 1 : round == ROUNDS / 2;
                String context = "seed " + SEED + ", round " + round;
                Client client = new Client(new Api(server.uri(), PASSWORD), model, random.split(), "r" + round + "-",
                        seedZip, gap ? IDLE_GAP : null);
                Thread thread = new Thread(client, "crash-client-" + round);
                String moment;
                thread.start();
                if (gap) {
                    moment = "right after the writes that follow an idle gap of " + IDLE_GAP.toSeconds() + " s";
                    client.awaitAcks(Integer.MAX_VALUE, IDLE_GAP.plusMinutes(3));
                } else if (random.nextBoolean()) {
                    int delay = random.nextInt(MAX_KILL_DELAY_MS);
                    moment = "after " + delay + " ms";
                    Thread.sleep(delay); // the kill's moment is the scenario, not a wait for work
                } else {
                    int acks = 1 + random.nextInt(5);
                    moment = "right after acknowledgement " + acks;
                    client.awaitAcks(acks, Duration.ofMinutes(2));
                }
                server.kill();
                client.stop();
                thread.join(Duration.ofSeconds(90).toMillis());
                assertThat(thread.isAlive()).as(context + ": the client thread ends once the server is gone").isFalse();
                System.out.printf("round %d: killed %s; acknowledged: %s%n", round, moment, client.log());

                server = ServerProcess.start(data, env);
                check(server, model, context + ", after kill -9 " + moment);
                if ((round + 1) % AGREE_EVERY == 0 && round + 1 < ROUNDS) {
                    server = stopAgreeAndStart(server, model, context);
                }
            }
            assertThat(server.terminate(Duration.ofSeconds(60))).as(server.output()).isEqualTo(143);
            assertDryRunAgrees("seed " + SEED + ", at the end");
            System.out.printf("CrashIT: %d rounds passed, %d snapshots and %d executions checked%n", ROUNDS,
                    model.snapshots.size(), model.executions.size());
        } finally {
            server.close();
        }
    }

    private ServerProcess stopAgreeAndStart(ServerProcess server, Model model, String context) throws Exception {
        assertThat(server.terminate(Duration.ofSeconds(60))).as(context + "\n" + server.output()).isEqualTo(143);
        assertDryRunAgrees(context + ", after an orderly stop");
        ServerProcess next = ServerProcess.start(data, env);
        check(next, model, context + ", after an orderly stop");
        return next;
    }

    private void assertDryRunAgrees(String context) throws Exception {
        ServerProcess.Finished dryRun = ServerProcess.run(data, env, Duration.ofMinutes(1), "reconcile", "--dry-run");
        assertThat(dryRun.exitCode()).as(context + ": reconcile --dry-run\n" + dryRun.output()).isZero();
    }

    /** Everything after a restart: the model's promises, the tree, catalog and store in agreement. */
    private void check(ServerProcess server, Model model, String context) throws Exception {
        Api api = new Api(server.uri(), PASSWORD);
        Map<String, JsonNode> snapshots = new TreeMap<>();
        api.snapshots().forEach(s -> snapshots.put(s.path("id").asText(), s));
        Map<String, JsonNode> executions = new TreeMap<>();
        HttpResponse<String> listed = api.get("executions?_include_system_workflows=true&_size=100000");
        Api.check(listed, 200);
        Api.json(listed.body()).path("items").forEach(e -> executions.put(e.path("id").asText(), e));
        List<String> broken = new ArrayList<>(model.check(snapshots, executions));
        if (!Disk.treeDigest(resources, false).equals(tree)) {
            broken.add("the participant's tree is not the one every snapshot holds: a restore was left half done");
        }
        broken.addAll(storeAgrees(snapshots));
        model.randomWhole(new SplittableRandom(SEED ^ snapshots.size())).ifPresent(id -> {
            try {
                HttpResponse<byte[]> d = api.download(id);
                if (d.statusCode() != 200 || !Disk.sha256(d.body()).equals(model.snapshots.get(id).sha256)) {
                    broken.add("the download of " + id + " is not its archive: " + d.statusCode());
                }
            } catch (IOException | InterruptedException e) {
                broken.add("the download of " + id + " failed: " + e);
            }
        });
        assertThat(broken).as(context + "\nserver output:\n" + server.output()).isEmpty();
    }

    /**
     * Catalog and store agree, read on disk after the fs layout ({@code docs/store-layout.md}): the archives in
     * {@code archives/} are exactly those of the listed created and uploaded snapshots, with their sizes and
     * SHA-256; each has its record in {@code records/} and no record is without its archive; {@code staging/}
     * holds nothing once the start is over.
     */
    private List<String> storeAgrees(Map<String, JsonNode> snapshots) throws IOException {
        Path root = data.resolve("archives");
        Map<String, String> listed = new TreeMap<>();
        for (JsonNode s : snapshots.values()) {
            String status = s.path("status").asText();
            if (status.equals("created") || status.equals("uploaded")) {
                listed.put(s.path("id").asText(),
                        s.path("archive_size").asLong() + " " + s.path("archive_sha256").asText());
            }
        }
        Map<String, String> archives = new TreeMap<>();
        for (Path f : files(root.resolve("archives"))) {
            String key = f + " " + Files.size(f) + " " + Files.getLastModifiedTime(f).toMillis();
            String sha = digests.computeIfAbsent(key, k -> {
                try {
                    return Disk.sha256(f);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            archives.put(name(f, ".zip"), Files.size(f) + " " + sha);
        }
        List<String> records = new ArrayList<>();
        for (Path f : files(root.resolve("records"))) {
            records.add(name(f, ".json"));
        }
        List<String> broken = new ArrayList<>();
        if (!archives.equals(listed)) {
            broken.add("catalog and store disagree: listed with an archive (id: size sha256) " + listed
                    + ", archives in the store " + archives);
        }
        if (!new TreeMap<>(archives).keySet().equals(new java.util.TreeSet<>(records))) {
            broken.add("records and archives disagree: archives " + archives.keySet() + ", records " + records);
        }
        List<Path> staged = files(root.resolve("staging"));
        if (!staged.isEmpty()) {
            broken.add("staged bytes are left once the start is over: " + staged);
        }
        return broken;
    }

    private static List<Path> files(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).sorted().toList();
        }
    }

    /** The key a layout file is named after (the test's ids are short: no {@code .long} directories). */
    private static String name(Path file, String suffix) {
        String n = file.getFileName().toString();
        return n.endsWith(suffix) ? n.substring(0, n.length() - suffix.length()) : n;
    }
}
