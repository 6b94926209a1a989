package io.snapkeep.app.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ReadinessTest {

    @Test
    void a_hung_probe_is_down_within_the_deadline_and_is_never_started_twice() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger storeRuns = new AtomicInteger();
        AtomicInteger catalogRuns = new AtomicInteger();
        Map<String, Runnable> probes = new LinkedHashMap<>();
        probes.put("catalog", catalogRuns::incrementAndGet);
        probes.put("store", () -> {
            storeRuns.incrementAndGet();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try (Readiness readiness = new Readiness(probes, Duration.ofMillis(200), Duration.ZERO)) {
            for (int i = 0; i < 4; i++) {
                long started = System.nanoTime();
                Map<String, Boolean> checks = readiness.check();
                long tookMillis = (System.nanoTime() - started) / 1_000_000;
                assertThat(checks).containsExactly(Map.entry("catalog", true), Map.entry("store", false));
                assertThat(tookMillis).isLessThan(2_000);
            }
            assertThat(storeRuns.get()).as("the hung run is waited for again, not started again").isEqualTo(1);
            assertThat(catalogRuns.get()).isEqualTo(4);
            release.countDown();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            Map<String, Boolean> checks = readiness.check();
            while (!checks.get("store") && System.nanoTime() < deadline) {
                checks = readiness.check();
            }
            assertThat(checks).containsExactly(Map.entry("catalog", true), Map.entry("store", true));
        }
    }

    @Test
    void a_failing_probe_is_down_and_an_answer_is_reused_briefly() {
        AtomicInteger runs = new AtomicInteger();
        Map<String, Runnable> probes = Map.of("store", () -> {
            runs.incrementAndGet();
            throw new IllegalStateException("unreachable: secret-host");
        });
        try (Readiness readiness = new Readiness(probes, Duration.ofSeconds(1), Duration.ofMinutes(1))) {
            assertThat(readiness.check()).containsExactly(Map.entry("store", false));
            assertThat(readiness.check()).containsExactly(Map.entry("store", false));
            assertThat(runs.get()).as("two checks within the reuse window share one run").isEqualTo(1);
        }
    }
}
