package io.snapkeep.catalog.jdbi;

import static org.assertj.core.api.Assertions.assertThat;

import io.snapkeep.core.domain.EventQuery;
import io.snapkeep.core.domain.Execution;
import io.snapkeep.core.domain.ExecutionId;
import io.snapkeep.core.domain.SnapshotId;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the catalog acknowledged survives a {@code kill -9} of its process.
 *
 * <p>Each round runs {@link KilledCatalogProcess} in a JVM of its own on a fresh H2 file: a busy start, a
 * progress update every 2 s, an idle gap, a last few writes; the child is killed (SIGKILL) as soon as it has
 * acknowledged the last one. The file is then reopened as production opens it and every acknowledged write
 * must be there. A kill does not drop what the process had handed to the kernel, so a loss here is H2's own:
 * what it wrote, or which chunk it takes for the newest when it opens a file that was not closed.
 *
 * <p>Why gaps matter: H2 keeps freed file space unused for its retention time (45 s), then writes new chunks
 * into it; a chunk written there can be one that a reopen after a kill does not find. With only
 * {@code WRITE_DELAY=0} added to the URL, idle gaps of 25 and 30 s lost nothing (0 of 9 rounds), 35 s lost
 * writes in 3 of 4 rounds, 40 s and longer in every round (26 of 26, up to 75 s). The default run is two rounds at once with a
 * 50 s gap, which leaves room for a slower start on a busy machine; it takes about a minute.
 *
 * <p>{@code -Dsnapkeep.kill-test.rounds=N} runs the long variant too (tagged {@code slow}): N rounds at each of
 * {@code -Dsnapkeep.kill-test.gaps} (seconds, comma-separated; default 30,45,50,60,75),
 * {@code -Dsnapkeep.kill-test.parallel} at a time (default 6). {@code -Dsnapkeep.kill-test.settings} appends
 * settings to the H2 URL, several separated by {@code |} to compare them in one run (an empty entry: the
 * catalog's own settings).
 */
class CatalogSurvivesKillTest {
    private static final Duration TICK = Duration.ofSeconds(2);
    private static final Duration DEFAULT_GAP = Duration.ofSeconds(50);
    private static final int DEFAULT_ROUNDS = 2;

    /** Kept when a test fails: each round's directory then holds the file as the kill left it. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    @Test
    void every_acknowledged_write_survives_a_kill_after_an_idle_gap() throws Exception {
        List<Round> rounds = runRounds(List.of(""), List.of(DEFAULT_GAP), DEFAULT_ROUNDS, DEFAULT_ROUNDS);
        assertThat(rounds).allSatisfy(r -> assertThat(r.lost).as("lost in round %s (%s acknowledged writes)",
                r.dir, r.acknowledged).isEmpty());
    }

    @Test
    @Tag("slow")
    @EnabledIfSystemProperty(named = "snapkeep.kill-test.rounds", matches = "[1-9][0-9]*")
    void every_acknowledged_write_survives_many_kills_after_idle_gaps_of_several_lengths() throws Exception {
        int rounds = Integer.getInteger("snapkeep.kill-test.rounds");
        int parallel = Integer.getInteger("snapkeep.kill-test.parallel", 6);
        // Settings to compare, '|' between them: each gets its rounds at each gap.
        List<String> candidates = List.of(System.getProperty("snapkeep.kill-test.settings", "").split("\\|", -1));
        List<Duration> gaps = Arrays.stream(System.getProperty("snapkeep.kill-test.gaps", "30,45,50,60,75")
                .split(",")).map(g -> Duration.ofSeconds(Long.parseLong(g.trim()))).toList();
        List<Round> results = runRounds(candidates, gaps, rounds, parallel);
        List<String> report = new ArrayList<>();
        for (String settings : candidates) {
            for (Duration gap : gaps) {
                List<Round> these = results.stream()
                        .filter(r -> r.gap.equals(gap) && r.settings.equals(settings)).toList();
                report.add((settings.isEmpty() ? "" : settings + " ") + "gap " + gap.toSeconds() + " s: "
                        + these.size() + " rounds, " + these.stream().filter(r -> !r.lost.isEmpty()).count()
                        + " lost writes");
            }
        }
        System.out.println("kill test: " + report);
        assertThat(results).as(String.join("; ", report)).allSatisfy(r -> assertThat(r.lost)
                .as("lost in round %s (%s acknowledged writes)", r.dir, r.acknowledged).isEmpty());
    }

    /** Runs {@code count} rounds at each gap, {@code parallel} at a time; each on a database file of its own. */
    private List<Round> runRounds(List<String> candidates, List<Duration> gaps, int count, int parallel)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(parallel);
        try {
            List<Future<Round>> futures = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                for (int c = 0; c < candidates.size(); c++) {
                    for (Duration gap : gaps) {
                        String settings = candidates.get(c);
                        Path roundDir = Files.createDirectories(dir.resolve("s" + c + "-gap" + gap.toSeconds() + "-" + i));
                        futures.add(pool.submit(() -> Round.run(roundDir, gap, settings)));
                    }
                }
            }
            long longest = gaps.stream().mapToLong(Duration::toSeconds).max().orElse(0);
            long waves = (futures.size() + parallel - 1) / parallel;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos((longest + 120) * waves);
            List<Round> rounds = new ArrayList<>();
            for (Future<Round> f : futures) {
                rounds.add(f.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
            }
            return rounds;
        } finally {
            pool.shutdownNow();
        }
    }

    /** One child process: what it acknowledged, and which of that the reopened file no longer has. */
    private static final class Round {
        final Path dir;
        final Duration gap;
        final String settings;
        final Map<String, String> expected = new LinkedHashMap<>();
        int acknowledged;
        final List<String> lost = new ArrayList<>();

        private Round(Path dir, Duration gap, String settings) {
            this.dir = dir;
            this.gap = gap;
            this.settings = settings;
        }

        @Override
        public String toString() {
            return dir.getFileName() + " (" + lost.size() + " of " + acknowledged + " acknowledged writes lost)";
        }

        static Round run(Path dir, Duration gap, String settings) throws Exception {
            Round round = new Round(dir, gap, settings);
            Path stderr = dir.resolve("child.stderr");
            Process child = ChildJvm.of(KilledCatalogProcess.class, dir.toString(), Long.toString(gap.toMillis()),
                    Long.toString(TICK.toMillis()), settings).redirectError(stderr.toFile()).start();
            boolean sawLast = false;
            try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    if (line.equals(KilledCatalogProcess.LAST)) {
                        child.destroyForcibly();
                        sawLast = true;
                        break;
                    }
                    String[] parts = line.split(" ", 3);
                    if (parts.length == 3 && parts[0].equals("ack")) {
                        round.expected.put(parts[1], parts[2]);
                        round.acknowledged++;
                    }
                }
            } finally {
                child.destroyForcibly();
                child.waitFor(60, TimeUnit.SECONDS);
            }
            assertThat(sawLast).as("child in %s reached its last write; its stderr: %s", dir,
                    Files.readString(stderr)).isTrue();
            // Reopening rewrites the file: keep it as the kill left it, to look into after a loss.
            Files.copy(dir.resolve("catalog.mv.db"), dir.resolve("as-killed.mv.db"));
            round.check(dir);
            return round;
        }

        private void check(Path dir) {
            try (JdbiCatalog catalog = JdbiCatalog.open(TestDatabases.fileUrl(dir) + settings, "sa", "")) {
                expected.forEach((key, value) -> {
                    String found = read(catalog, key);
                    boolean kept = key.startsWith(KilledCatalogProcess.PROGRESS)
                            ? Long.parseLong(found) >= Long.parseLong(value)
                            : found.equals(value);
                    if (!kept) {
                        lost.add(key + " acknowledged as " + value + ", found " + found);
                    }
                });
            } catch (RuntimeException e) {
                lost.add("the file could not be reopened: " + e);
            }
        }

        private static String read(JdbiCatalog catalog, String key) {
            String[] parts = key.split(":", 2);
            return switch (parts[0]) {
                case "snapshot" -> catalog.snapshots().find(SnapshotId.of(parts[1]))
                        .map(s -> s.status().wireName()).orElse("absent");
                case "execution" -> execution(catalog, parts[1]).map(e -> e.status().wireName()).orElse("absent");
                case "events" -> Long.toString(catalog.events().read(EventQuery.all(ExecutionId.of(parts[1])))
                        .total());
                case "progress" -> execution(catalog, parts[1])
                        .map(e -> Long.toString(e.progress().finishedOperations())).orElse("-1");
                default -> throw new IllegalArgumentException("unknown key " + Arrays.toString(parts));
            };
        }

        private static Optional<Execution> execution(JdbiCatalog catalog, String id) {
            return catalog.executions().find(ExecutionId.of(id));
        }
    }
}
