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
 * writes in 3 of 4 rounds, 40 s and longer in every round (26 of 26, up to 75 s). With the catalog appending
 * every commit ({@code REUSE_SPACE=FALSE}), 25 rounds of two kills each at 30 to 75 s lost nothing. The
 * default run is two rounds at once with a 50 s gap, which leaves room for a slower start on a busy machine;
 * it takes about a minute.
 *
 * <p>{@code -Dsnapkeep.kill-test.rounds=N} runs the long variant too (tagged {@code slow}): N rounds at each of
 * {@code -Dsnapkeep.kill-test.gaps} (seconds, comma-separated; default 30,45,50,60,75),
 * {@code -Dsnapkeep.kill-test.parallel} at a time (default 6). Each round there runs the child
 * {@code -Dsnapkeep.kill-test.lives} times on its file (default 2), each life after the first opening the
 * file as the previous kill left it, as a restart after a crash does. {@code -Dsnapkeep.kill-test.settings}
 * appends settings to the H2 URL, several separated by {@code |} to compare them in one run (an empty entry:
 * the catalog's own settings).
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
        List<Round> rounds = runRounds(List.of(""), List.of(DEFAULT_GAP), DEFAULT_ROUNDS, 1, DEFAULT_ROUNDS);
        assertThat(rounds).allSatisfy(r -> assertThat(r.lost).as("lost in round %s (%s acknowledged writes)",
                r.dir, r.acknowledged).isEmpty());
    }

    @Test
    @Tag("slow")
    @EnabledIfSystemProperty(named = "snapkeep.kill-test.rounds", matches = "[1-9][0-9]*")
    void every_acknowledged_write_survives_many_kills_after_idle_gaps_of_several_lengths() throws Exception {
        int rounds = Integer.getInteger("snapkeep.kill-test.rounds");
        int lives = Integer.getInteger("snapkeep.kill-test.lives", 2);
        int parallel = Integer.getInteger("snapkeep.kill-test.parallel", 6);
        // Settings to compare, '|' between them: each gets its rounds at each gap.
        List<String> candidates = List.of(System.getProperty("snapkeep.kill-test.settings", "").split("\\|", -1));
        List<Duration> gaps = Arrays.stream(System.getProperty("snapkeep.kill-test.gaps", "30,45,50,60,75")
                .split(",")).map(g -> Duration.ofSeconds(Long.parseLong(g.trim()))).toList();
        List<Round> results = runRounds(candidates, gaps, rounds, lives, parallel);
        List<String> report = new ArrayList<>();
        for (String settings : candidates) {
            for (Duration gap : gaps) {
                List<Round> these = results.stream()
                        .filter(r -> r.gap.equals(gap) && r.settings.equals(settings)).toList();
                report.add((settings.isEmpty() ? "" : settings + " ") + "gap " + gap.toSeconds() + " s: "
                        + these.size() + " rounds, " + these.stream().filter(r -> !r.lost.isEmpty()).count()
                        + " of them lost writes");
            }
        }
        System.out.println("kill test: " + report);
        assertThat(results).as(String.join("; ", report)).allSatisfy(r -> assertThat(r.lost)
                .as("lost in round %s (%s acknowledged writes)", r.dir, r.acknowledged).isEmpty());
    }

    /** Runs {@code count} rounds at each gap, {@code parallel} at a time; each on a database file of its own. */
    private List<Round> runRounds(List<String> candidates, List<Duration> gaps, int count, int lives,
            int parallel) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(parallel);
        try {
            List<Future<Round>> futures = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                for (int c = 0; c < candidates.size(); c++) {
                    for (Duration gap : gaps) {
                        String settings = candidates.get(c);
                        Path roundDir = Files.createDirectories(
                                dir.resolve("s" + c + "-gap" + gap.toSeconds() + "-" + i));
                        futures.add(pool.submit(() -> Round.run(roundDir, gap, settings, lives)));
                    }
                }
            }
            long longest = gaps.stream().mapToLong(Duration::toSeconds).max().orElse(0);
            long waves = (futures.size() + parallel - 1) / parallel;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos((longest + 120) * lives * waves);
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

        /**
         * Runs the child {@code lives} times on one file, each life killed and the next one opening the file as
         * the kill left it (a restart after a crash); after each kill a copy of the file is checked.
         */
        static Round run(Path dir, Duration gap, String settings, int lives) throws Exception {
            Round round = new Round(dir, gap, settings);
            for (int life = 1; life <= lives; life++) {
                round.live(life);
                // Checking opens and closes the file, which rewrites it: check a copy, and keep one as it was.
                Path copy = Files.createDirectories(dir.resolve("check-" + life));
                Files.copy(dir.resolve("catalog.mv.db"), copy.resolve("catalog.mv.db"));
                Files.copy(dir.resolve("catalog.mv.db"), dir.resolve("as-killed-" + life + ".mv.db"));
                round.check(copy, life);
            }
            return round;
        }

        private void live(int life) throws Exception {
            Path stderr = dir.resolve("child-" + life + ".stderr");
            Process child = ChildJvm.of(KilledCatalogProcess.class, dir.toString(), Long.toString(gap.toMillis()),
                    Long.toString(TICK.toMillis()), settings, "l" + life + "-")
                    .redirectError(stderr.toFile()).start();
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
                        expected.put(parts[1], parts[2]);
                        acknowledged++;
                    }
                }
            } finally {
                child.destroyForcibly();
                child.waitFor(60, TimeUnit.SECONDS);
            }
            assertThat(sawLast).as("child %s in %s reached its last write; its stderr: %s", life, dir,
                    Files.readString(stderr)).isTrue();
        }

        private void check(Path copy, int life) {
            try (JdbiCatalog catalog = JdbiCatalog.open(TestDatabases.fileUrl(copy) + settings, "sa", "")) {
                expected.forEach((key, value) -> {
                    String found = read(catalog, key);
                    boolean kept = key.startsWith(KilledCatalogProcess.PROGRESS)
                            ? Long.parseLong(found) >= Long.parseLong(value)
                            : found.equals(value);
                    if (!kept) {
                        lost.add("after kill " + life + ": " + key + " acknowledged as " + value + ", found "
                                + found);
                    }
                });
            } catch (RuntimeException e) {
                lost.add("after kill " + life + ": the file could not be reopened: " + e);
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
