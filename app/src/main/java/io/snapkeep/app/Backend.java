package io.snapkeep.app;

import io.snapkeep.app.config.SnapkeepConfig;
import io.snapkeep.app.metrics.Readiness;
import io.snapkeep.app.metrics.SnapkeepMetrics;
import io.snapkeep.core.domain.SnapshotId;
import io.snapkeep.core.port.out.ExecutionCatalog;
import io.snapkeep.core.port.out.SnapshotCatalog;
import io.snapkeep.catalog.jdbi.JdbiCatalog;
import io.snapkeep.core.Snapkeep;
import io.snapkeep.core.application.SnapkeepBuilder;
import io.snapkeep.core.port.in.SnapshotPolicies;
import io.snapkeep.core.port.out.ArchiveStore;
import io.snapkeep.core.port.out.NodeCatalog;
import io.snapkeep.core.port.out.TokenCatalog;
import java.time.Instant;
import io.snapkeep.core.port.out.StateParticipant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The catalog, the archive store and the {@link Snapkeep} built on them, not started: what the server and the
 * {@code reconcile} command share. Closing stops the engine first (a running execution records its end while
 * the catalog is open), then the store, then the catalog, last.
 */
final class Backend implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Backend.class);

    private final JdbiCatalog catalog;
    private final ArchiveStore store;
    private final Snapkeep snapkeep;
    private final String node;
    private final SnapkeepMetrics metrics;
    private final Readiness readiness;

    private Backend(JdbiCatalog catalog, ArchiveStore store, Snapkeep snapkeep, String node, SnapkeepMetrics metrics,
                    Readiness readiness) {
        this.catalog = catalog;
        this.store = store;
        this.snapkeep = snapkeep;
        this.node = node;
        this.metrics = metrics;
        this.readiness = readiness;
    }

    /** The series of {@code GET /metrics}: the ports below are metered into it. */
    SnapkeepMetrics metrics() {
        return metrics;
    }

    /**
     * The checks of {@code GET /health/ready}: the catalog answers a lookup by key and the store a listing,
     * each within {@code health.timeout}.
     */
    Readiness readiness() {
        return readiness;
    }

    /** The tokens of {@code GET /tokens}, kept in the catalog: valid on every node and after a restart. */
    TokenCatalog tokens() {
        return catalog.tokens();
    }

    /** This process's node id. */
    String node() {
        return node;
    }

    /** Whether this process is a node of a cluster: other processes may share its catalog. */
    boolean isClustered() {
        return catalog.isSharedByProcesses();
    }

    /** The other nodes whose lease lives now. */
    List<String> otherLiveNodes() {
        Instant now = Instant.now();
        return catalog.nodes().nodes().stream().filter(l -> l.isLiveAt(now) && !l.node().equals(node))
                .map(NodeCatalog.NodeLease::node).toList();
    }

    /**
     * Opens the catalog and the store that {@code config} names and builds a Snapkeep on them and on the
     * configured participants. The reconcile command needs the participants too: reconciling a Snapkeep that
     * is not started first lets them recover, as a start does (a restore cut off by a crash is undone).
     *
     * @throws io.snapkeep.core.error.StorageUnavailableException when the catalog or the store cannot be reached
     */
    static Backend open(SnapkeepConfig config) {
        JdbiCatalog catalog = JdbiCatalog.open(config.catalog().url(), config.catalog().user(),
                config.catalog().password().reveal());
        ArchiveStore store = null;
        SnapkeepMetrics metrics = new SnapkeepMetrics();
        try {
            store = metrics.meter(config.storage().open(), config.storage().type());
            SnapshotCatalog snapshots = metrics.meter(catalog.snapshots());
            ExecutionCatalog executions = metrics.meter(catalog.executions());
            metrics.watch(snapshots, executions);
            String node = config.node().id().orElseGet(SnapkeepBuilder::defaultNodeId);
            SnapkeepBuilder builder = Snapkeep.builder()
                    .archiveStore(store)
                    .snapshotCatalog(snapshots)
                    .executionCatalog(executions)
                    .eventLog(catalog.events())
                    .participants(participants(config))
                    .archiveLimits(config.archiveLimits())
                    .onReconciled(metrics.reconciliations())
                    .node(node);
            if (catalog.isSharedByProcesses()) {
                // Other processes may open this catalog: coordinate through it as a node of a cluster.
                builder.nodeCatalog(catalog.nodes()).leaseTtl(config.node().leaseTtl());
            }
            Map<String, Runnable> probes = new LinkedHashMap<>();
            // A lookup by primary key: the database answers a query, at the cost of an index probe.
            SnapshotId probeId = SnapshotId.of("readiness-probe");
            probes.put("catalog", () -> snapshots.find(probeId));
            ArchiveStore metered = store;
            probes.put("store", metered::probe);
            Readiness readiness = new Readiness(probes, config.monitoring().healthTimeout());
            builder.policyCatalog(metrics.meter(catalog.policies())).cronSchedules(new CronUtilsSchedules())
                    .policyCatchUpWindow(config.policies().catchUpWindow())
                    .verifyByteBudget(config.policies().verifyByteBudget());
            return new Backend(catalog, store, builder.build(), node, metrics, readiness);
        } catch (RuntimeException | Error e) {
            closeQuietly("the archive store", store);
            closeQuietly("the catalog", catalog);
            metrics.close();
            throw e;
        }
    }

    Snapkeep snapkeep() {
        return snapkeep;
    }

    /** The snapshot policies, which the REST API serves. */
    SnapshotPolicies policies() {
        return snapkeep.policies();
    }

    /**
     * Stops the engine (a running create or restore is interrupted and its end recorded), then closes the
     * store, then the catalog. Each step runs even when one before it failed.
     */
    @Override
    public void close() {
        closeQuietly("the engine", snapkeep);
        closeQuietly("the readiness checks", readiness);
        closeQuietly("the archive store", store);
        closeQuietly("the catalog", catalog);
        closeQuietly("the metrics", metrics);
    }

    private static List<StateParticipant> participants(SnapkeepConfig config) {
        List<StateParticipant> list = new ArrayList<>();
        for (SnapkeepConfig.Participant p : config.participants()) {
            list.add(p.open());
        }
        return list;
    }

    /** Closes what can be closed (an S3 store holds connections; a file store holds nothing). */
    private static void closeQuietly(String what, Object part) {
        if (!(part instanceof AutoCloseable c)) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            LOG.warn("Closing {} failed", what, e);
        }
    }
}
