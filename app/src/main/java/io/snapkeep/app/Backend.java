package io.snapkeep.app;

import io.snapkeep.app.config.SnapkeepConfig;
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
import java.util.List;
import java.util.Optional;
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

    private Backend(JdbiCatalog catalog, ArchiveStore store, Snapkeep snapkeep, String node) {
        this.catalog = catalog;
        this.store = store;
        this.snapkeep = snapkeep;
        this.node = node;
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
        try {
            store = config.storage().open();
            String node = config.node().id().orElseGet(SnapkeepBuilder::defaultNodeId);
            SnapkeepBuilder builder = Snapkeep.builder()
                    .archiveStore(store)
                    .snapshotCatalog(catalog.snapshots())
                    .executionCatalog(catalog.executions())
                    .eventLog(catalog.events())
                    .participants(participants(config))
                    .archiveLimits(config.archiveLimits())
                    .node(node);
            if (catalog.isSharedByProcesses()) {
                // Other processes may open this catalog: coordinate through it as a node of a cluster.
                builder.nodeCatalog(catalog.nodes()).leaseTtl(config.node().leaseTtl());
            }
            policies(builder, catalog, config.policies());
            return new Backend(catalog, store, builder.build(), node);
        } catch (RuntimeException | Error e) {
            closeQuietly("the archive store", store);
            closeQuietly("the catalog", catalog);
            throw e;
        }
    }

    Snapkeep snapkeep() {
        return snapkeep;
    }

    /**
     * The snapshot policies the REST API serves; empty while the engine has none, and then the API's policy
     * routes say that policies are not enabled.
     */
    Optional<SnapshotPolicies> policies() {
        return Optional.empty();
    }

    /**
     * What snapshot policies run on: the catalog's policy table, the cron reader and the {@code policies.*}
     * settings. POLICY-WIRING: the builder takes them as
     * {@code builder.policyCatalog(catalog.policies()).cronSchedules(new CronUtilsSchedules())
     * .policyCatchUpWindow(settings.catchUpWindow()).verifyByteBudget(settings.verifyByteBudget())}.
     */
    private static void policies(SnapkeepBuilder builder, JdbiCatalog catalog, SnapkeepConfig.Policies settings) {
        // POLICY-WIRING: nothing to hand over until the builder and the catalog carry policies.
    }

    /**
     * Stops the engine (a running create or restore is interrupted and its end recorded), then closes the
     * store, then the catalog. Each step runs even when one before it failed.
     */
    @Override
    public void close() {
        closeQuietly("the engine", snapkeep);
        closeQuietly("the archive store", store);
        closeQuietly("the catalog", catalog);
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
