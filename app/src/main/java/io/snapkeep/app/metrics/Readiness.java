package io.snapkeep.app.metrics;

import io.snapkeep.core.support.DaemonThreads;
import io.snapkeep.rest.ReadinessCheck;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs each probe with a deadline on a pool of one thread per probe. A probe that hangs keeps its thread and
 * is not started again until it returns: later checks wait for that same run, so a hung store never piles up
 * threads. An answer is reused for {@link #REUSE} so that a flood of unauthenticated probes costs the
 * catalog and the store at most a few calls a second. Why a probe failed goes to the log, never to clients.
 */
public final class Readiness implements ReadinessCheck, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Readiness.class);
    static final Duration REUSE = Duration.ofMillis(500);

    private final Map<String, Probe> probes = new LinkedHashMap<>();
    private final Duration timeout;
    private final long reuseNanos;
    private final ExecutorService pool;
    private Map<String, Boolean> last;
    private long lastAt;

    /** @param probes each part's name and its probe, which throws when the part does not answer */
    public Readiness(Map<String, Runnable> probes, Duration timeout) {
        this(probes, timeout, REUSE);
    }

    Readiness(Map<String, Runnable> probes, Duration timeout, Duration reuse) {
        this.timeout = timeout;
        this.reuseNanos = reuse.toNanos();
        this.pool = Executors.newFixedThreadPool(Math.max(1, probes.size()), DaemonThreads.named("snapkeep-health"));
        probes.forEach((name, body) -> this.probes.put(name, new Probe(name, body)));
    }

    @Override
    public synchronized Map<String, Boolean> check() {
        long now = System.nanoTime();
        if (last != null && now - lastAt < reuseNanos) {
            return last;
        }
        long deadline = now + timeout.toNanos();
        Map<String, CompletableFuture<Void>> runs = new LinkedHashMap<>();
        probes.forEach((name, probe) -> runs.put(name, probe.run()));
        Map<String, Boolean> results = new LinkedHashMap<>();
        runs.forEach((name, run) -> results.put(name, probes.get(name).answered(run, deadline)));
        last = java.util.Collections.unmodifiableMap(results);
        lastAt = System.nanoTime();
        return last;
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }

    private final class Probe {
        private final String name;
        private final Runnable body;
        private CompletableFuture<Void> running;
        private boolean wasUp = true;

        Probe(String name, Runnable body) {
            this.name = name;
            this.body = body;
        }

        /** The run in flight, or a new one when none is. */
        CompletableFuture<Void> run() {
            if (running == null || running.isDone()) {
                running = CompletableFuture.runAsync(body, pool);
            }
            return running;
        }

        boolean answered(CompletableFuture<Void> run, long deadline) {
            String why;
            try {
                run.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (!wasUp) {
                    LOG.info("Readiness: the {} answers again", name);
                }
                wasUp = true;
                return true;
            } catch (TimeoutException e) {
                why = "no answer within " + timeout.toMillis() + " ms";
            } catch (ExecutionException e) {
                why = String.valueOf(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                why = "interrupted";
            } catch (RuntimeException e) {
                why = e.toString();
            }
            if (wasUp) {
                LOG.warn("Readiness: the {} is down ({})", name, why);
            }
            wasUp = false;
            return false;
        }
    }
}
