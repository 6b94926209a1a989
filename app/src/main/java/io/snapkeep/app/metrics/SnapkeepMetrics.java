package io.snapkeep.app.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jetty.JettyConnectionMetrics;
import io.micrometer.core.instrument.binder.jetty.JettyServerThreadPoolMetrics;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.snapkeep.core.domain.Execution;
import io.snapkeep.core.domain.ExecutionField;
import io.snapkeep.core.domain.ExecutionStatus;
import io.snapkeep.core.domain.ListQuery;
import io.snapkeep.core.domain.Sort;
import io.snapkeep.core.domain.SnapshotStatus;
import io.snapkeep.core.domain.Workflow;
import io.snapkeep.core.port.in.Reconcile.ReconcileReport;
import io.snapkeep.core.port.out.ArchiveStore;
import io.snapkeep.core.port.out.ExecutionCatalog;
import io.snapkeep.core.port.out.PolicyCatalog;
import io.snapkeep.core.port.out.SnapshotCatalog;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.eclipse.jetty.server.Server;
import org.glassfish.jersey.server.monitoring.ApplicationEventListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Snapkeep's series, in one Prometheus registry: what {@code GET /metrics} shows. Every series is named
 * {@code snapkeep_*} in base units (seconds, bytes), the JVM's and Jetty's included, so that one prefix finds
 * them all. The ports are metered by decorators this class hands out; the snapshot counts are read from the
 * catalog at most once per {@link #SNAPSHOT_COUNT_TTL}, however many series a scrape reads.
 */
public final class SnapkeepMetrics implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SnapkeepMetrics.class);
    static final String PREFIX = "snapkeep.";
    static final Duration SNAPSHOT_COUNT_TTL = Duration.ofSeconds(5);
    /** Buckets for executions, which take from a second to hours. */
    private static final Duration[] EXECUTION_BUCKETS = {Duration.ofSeconds(1), Duration.ofSeconds(5),
            Duration.ofSeconds(30), Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofMinutes(15),
            Duration.ofHours(1), Duration.ofHours(4)};

    private final PrometheusMeterRegistry registry;
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final Map<Workflow, AtomicLong> lastSuccessMillis = new EnumMap<>(Workflow.class);

    public SnapkeepMetrics() {
        registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.config().meterFilter(new MeterFilter() {
            @Override
            public Meter.Id map(Meter.Id id) {
                return id.getName().startsWith(PREFIX) ? id : id.withName(PREFIX + id.getName());
            }
        });
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        for (Workflow w : Workflow.values()) {
            AtomicLong millis = new AtomicLong();
            lastSuccessMillis.put(w, millis);
            Gauge.builder(PREFIX + "execution.last.success.timestamp", millis, m -> m.get() / 1000.0)
                    .description("When an execution of the workflow last ended terminated; 0 before any")
                    .baseUnit("seconds").tag("workflow", w.wireName()).register(registry);
        }
    }

    /** The registry, for binders the host adds. */
    MeterRegistry registry() {
        return registry;
    }

    /** Every series, in the Prometheus text format 0.0.4. */
    public String scrape() {
        return registry.scrape();
    }

    /** {@code store} with its bytes and failures counted under {@code store="<type>"}. */
    public ArchiveStore meter(ArchiveStore store, String type) {
        return new MeteredArchiveStore(store, type, registry);
    }

    /** {@code catalog} with its failures counted. */
    public SnapshotCatalog meter(SnapshotCatalog catalog) {
        return new MeteredCatalogs.Snapshots(catalog, registry);
    }

    /** {@code catalog} with its failures counted, and every execution's end recorded. */
    public ExecutionCatalog meter(ExecutionCatalog catalog) {
        return new MeteredCatalogs.Executions(catalog, registry, this::ended);
    }

    /**
     * {@code catalog} with each policy's failed and missed runs counted and its last successful create kept,
     * starting from the history it already holds.
     */
    public PolicyCatalog meter(PolicyCatalog catalog) {
        MeteredPolicyCatalog metered = new MeteredPolicyCatalog(catalog, registry);
        try {
            metered.loadLastSuccesses();
        } catch (RuntimeException e) {
            LOG.warn("The policies' last successes could not be read from the catalog; their series start at 0 ({})",
                    e.toString());
        }
        return metered;
    }

    /**
     * Gauges of how many snapshots are in each status, read from {@code catalog}; and the last successful
     * create and restore as the catalog remembers them, so that a restart does not reset them to 0.
     */
    public void watch(SnapshotCatalog snapshots, ExecutionCatalog executions) {
        SnapshotCounts counts = new SnapshotCounts(snapshots, SNAPSHOT_COUNT_TTL);
        for (SnapshotStatus status : SnapshotStatus.values()) {
            // Held strongly: nothing else keeps the counts, and a gauge's weak reference would lose them.
            Gauge.builder(PREFIX + "snapshots", counts, c -> c.count(status)).strongReference(true)
                    .description("Snapshots in the catalog, by status").tag("status", status.wireName())
                    .register(registry);
        }
        for (Workflow w : Workflow.values()) {
            try {
                executions.list(ListQuery.<ExecutionField>all()
                                .withFilter(ExecutionField.WORKFLOW_ID, w.wireName())
                                .withFilter(ExecutionField.STATUS, ExecutionStatus.TERMINATED.wireName())
                                .sortedBy(Sort.desc(ExecutionField.ENDED_AT)).page(0, 1))
                        .items().stream().findFirst()
                        .ifPresent(e -> lastSuccessMillis.get(w).accumulateAndGet(e.endedAt().toEpochMilli(), Math::max));
            } catch (RuntimeException e) {
                LOG.warn("The last successful {} could not be read from the catalog; its series starts at 0 ({})",
                        w.wireName(), e.toString());
            }
        }
    }

    /** What reconciliation did, counted by result. */
    public Consumer<ReconcileReport> reconciliations() {
        return report -> {
            Counter.builder(PREFIX + "reconciliation.runs").description("Reconciliations that were not dry runs")
                    .register(registry).increment();
            reconciled("imported", report.imported().size());
            reconciled("completed", report.completed().size());
            reconciled("missing", report.missing().size());
            reconciled("damaged", report.damaged().size());
            reconciled("adopted", report.adopted().size());
            reconciled("staged_removed", report.stagedRemoved());
        };
    }

    private void reconciled(String result, int n) {
        Counter.builder(PREFIX + "reconciliation.results")
                .description("What reconciliation did: archives imported, creates completed, rows failed as missing"
                        + " or damaged, archives adopted from the previous layout, staged writes removed")
                .tag("result", result).register(registry).increment(n);
    }

    /** HTTP requests by method, route template and status, for the ResourceConfig. */
    public ApplicationEventListener httpListener() {
        return new HttpRequestMetrics(registry);
    }

    /** Jetty's thread pool and connections. */
    public void bindJetty(Server server) {
        new JettyServerThreadPoolMetrics(server.getThreadPool(), Tags.empty()).bindTo(registry);
        JettyConnectionMetrics.addToAllConnectors(server, registry);
    }

    private void ended(Execution execution) {
        Instant from = execution.startedAt() != null ? execution.startedAt() : execution.createdAt();
        Timer.builder(PREFIX + "executions").description("Executions that ended, by workflow and outcome")
                .tag("workflow", execution.workflow().wireName()).tag("outcome", execution.status().wireName())
                .serviceLevelObjectives(EXECUTION_BUCKETS)
                .register(registry).record(Duration.between(from, execution.endedAt()));
        if (execution.status() == ExecutionStatus.TERMINATED) {
            lastSuccessMillis.get(execution.workflow()).accumulateAndGet(execution.endedAt().toEpochMilli(), Math::max);
        }
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
