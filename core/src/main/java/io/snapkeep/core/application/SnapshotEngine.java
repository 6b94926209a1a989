package io.snapkeep.core.application;

import io.snapkeep.core.port.in.Reconcile.ReconcileReport;
import io.snapkeep.core.port.in.VerifySnapshot.VerifyResult;
import io.snapkeep.core.Snapkeep;
import io.snapkeep.core.domain.ArchiveInfo;
import io.snapkeep.core.domain.CreateOptions;
import io.snapkeep.core.domain.EventQuery;
import io.snapkeep.core.domain.Execution;
import io.snapkeep.core.domain.ExecutionEvent;
import io.snapkeep.core.domain.ExecutionField;
import io.snapkeep.core.domain.ExecutionId;
import io.snapkeep.core.domain.ExecutionStatus;
import io.snapkeep.core.domain.ListQuery;
import io.snapkeep.core.domain.Page;
import io.snapkeep.core.domain.RestoreOptions;
import io.snapkeep.core.domain.Snapshot;
import io.snapkeep.core.domain.SnapshotField;
import io.snapkeep.core.domain.SnapshotId;
import io.snapkeep.core.domain.SnapshotStatus;
import io.snapkeep.core.domain.Workflow;
import io.snapkeep.core.error.RunningExecutionException;
import io.snapkeep.core.error.SnapshotActionException;
import io.snapkeep.core.port.out.ArchiveStore;
import io.snapkeep.core.port.out.ExecutionCatalog;
import io.snapkeep.core.port.out.SnapshotCatalog;
import io.snapkeep.core.port.out.StoreKey;
import io.snapkeep.core.port.out.NodeCatalog;
import io.snapkeep.core.port.in.SnapshotPolicies;
import java.io.InputStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Snapkeep's commands and queries over its ports: what a {@link Snapkeep} is. Built by
 * {@link SnapkeepBuilder}. Executions run one at a time on the {@link ExecutionRunner}'s thread through
 * the {@link ExecutionLifecycle}, which also owns cancel and the locks; each workflow is a class of its own.
 */
final class SnapshotEngine implements Snapkeep {
    private final Ports ports;
    private final ArchiveStore store;
    private final SnapshotCatalog snapshots;
    private final ExecutionCatalog executions;
    private final EventRecorder events;
    private final ExecutionRunner runner;
    private final ExecutionLifecycle lifecycle;
    private final CreateWorkflow createWorkflow;
    private final RestoreWorkflow restoreWorkflow;
    private final UploadWorkflow uploadWorkflow;
    private final ArchiveIntegrity integrity;
    private final Reconciliation reconciliation;
    private final Recovery recovery;
    private final Coordination coordination;
    private final Duration leaseTtl;
    private final Consumer<ReconcileReport> reconciled;
    private final Object reconciling = new Object();
    private volatile ClusterDuties duties;
    private volatile boolean started;
    /** The downloads this process streams: retention leaves their snapshots alone meanwhile. */
    private final Downloads downloading;
    private PolicyEngine policyEngine;
    private Duration policyTickPeriod = Duration.ZERO;
    private volatile ScheduledExecutorService policyTicks;

    /**
     * @param nodeCatalog where the nodes of a cluster coordinate; null for a process alone on its catalog
     * @param reconciled  told what each reconciliation that was not a dry run did
     */
    SnapshotEngine(Ports ports, String node, NodeCatalog nodeCatalog, Duration leaseTtl,
                   Consumer<ReconcileReport> reconciled) {
        this.ports = ports;
        this.store = ports.store();
        this.snapshots = ports.snapshots();
        this.executions = ports.executions();
        this.events = new EventRecorder(ports.eventLog(), ports.clock());
        this.runner = new ExecutionRunner(executions, node, this::run);
        this.lifecycle = new ExecutionLifecycle(ports, events, runner::wake);
        this.leaseTtl = leaseTtl;
        this.reconciled = reconciled;
        this.coordination = nodeCatalog == null ? new LocalCoordination(node)
                : new ClusterCoordination(nodeCatalog, node, ports.clock(), leaseTtl, lifecycle::interruptAll);
        lifecycle.coordinateThrough(coordination);
        this.downloading = new Downloads(coordination);
        SnapshotRecords records = new SnapshotRecords(store, ports.limits());
        this.integrity = new ArchiveIntegrity(ports);
        this.createWorkflow = new CreateWorkflow(ports, records, events, lifecycle);
        this.restoreWorkflow = new RestoreWorkflow(ports, events, lifecycle, integrity);
        this.uploadWorkflow = new UploadWorkflow(ports, records, lifecycle, coordination);
        this.reconciliation = new Reconciliation(ports, records, integrity, lifecycle);
        this.recovery = new Recovery(ports, events, records, reconciliation, coordination);
    }

    /**
     * Joins the cluster (a node alone on its catalog has nobody to join), settles what was left unfinished (on
     * one node at a time), then runs executions; a node of a cluster also starts its {@link ClusterDuties}.
     */
    @Override
    public Snapkeep start() {
        synchronized (reconciling) {
            coordination.start();
            try (Held turn = coordination.lockReconciliation()) {
                reconciled.accept(recovery.run(false, recovery.atStartUp()));
            } catch (RuntimeException | Error e) {
                coordination.stop();
                throw e;
            }
            runner.start();
            if (coordination.isClustered()) {
                duties = new ClusterDuties(lifecycle, this::takeOverDeadWork, leaseTtl);
            }
            started = true;
            startPolicyTicks();
        }
        return this;
    }

    /**
     * Turns snapshot policies on: their in-port works, and from {@link #start()} on, a daemon thread ticks them
     * every {@code tickPeriod} (none when it is zero: the host ticks through {@link #policyEngine()}).
     */
    void enablePolicies(PolicyEngine engine, Duration tickPeriod) {
        this.policyEngine = engine;
        this.policyTickPeriod = tickPeriod;
    }

    /** The life cycle of this engine's executions (tests drive its cancel watch by hand). */
    ExecutionLifecycle lifecycle() {
        return lifecycle;
    }

    /** The policy engine, or null when policies are off. */
    PolicyEngine policyEngine() {
        return policyEngine;
    }

    @Override
    public SnapshotPolicies policies() {
        return policyEngine != null ? policyEngine : SnapshotPolicies.disabled();
    }

    private void startPolicyTicks() {
        if (policyEngine == null || policyTickPeriod.isZero()) {
            return;
        }
        ScheduledExecutorService ticks = policyEngine.tickEvery(policyTickPeriod);
        policyTicks = ticks;
    }

    /** Settles the work of nodes that stopped responding, if there is any; on one node at a time. */
    void takeOverDeadWork() {
        if (!coordination.hasExpiredNodes() && !recovery.hasWork(recovery.takingOver())) {
            return;
        }
        try (Held turn = coordination.lockReconciliation()) {
            // Looked at again with the turn held: another node may have settled it meanwhile.
            Recovery.Scope now = recovery.takingOver();
            if (recovery.hasWork(now)) {
                reconciled.accept(recovery.run(false, now));
            }
            coordination.forgetExpiredNodes();
        }
        runner.wake();
    }

    @Override
    public void stopExecutions() {
        ScheduledExecutorService ticks = policyTicks;
        if (ticks != null) {
            ticks.shutdownNow();
            try {
                ticks.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        lifecycle.interruptAll(ExecutionLifecycle.INTERRUPTED_BY_SHUTDOWN);
        try {
            runner.stop(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stopExecutions();
        ClusterDuties running = duties;
        if (running != null) {
            running.stop();
        }
        if (started) {
            coordination.stop();
        }
    }

    private void run(Execution pending) {
        lifecycle.run(pending, pending.workflow() == Workflow.CREATE_SNAPSHOT ? createWorkflow : restoreWorkflow);
    }

    // ---------------------------------------------------------------- create and restore

    @Override
    public Execution create(CreateCommand command) {
        SnapshotId id = command.id();
        CreateOptions options = command.options();
        Snapshot snapshot = Snapshot.creating(id, command.requestedBy(), ports.clock().instant());
        Execution execution = Execution.newExecution(Workflow.CREATE_SNAPSHOT, id,
                parameters(options.asParameters(), id), command.requestedBy(), ports.clock().instant(), false);
        snapshots.insert(snapshot);
        return startOrQueue(execution.claimedBy(coordination.node()), options.queue(), () -> snapshots.delete(id));
    }

    @Override
    public Execution restore(RestoreCommand command) {
        SnapshotId id = command.id();
        Snapshot snapshot = ports.snapshot(id);
        if (!snapshot.hasArchive()) {
            throw snapshot.noArchive("restored");
        }
        RestoreOptions options = command.options();
        Execution execution = Execution.newExecution(Workflow.RESTORE_SNAPSHOT, id,
                parameters(options.asParameters(), id), command.requestedBy(), ports.clock().instant(), false);
        // Under the snapshot's lock, so that a delete on any node sees the restore, or the restore the delete.
        try (Held locked = lifecycle.lockSnapshot(id)) {
            if (!ports.snapshot(id).hasArchive()) {
                throw ports.snapshot(id).noArchive("restored");
            }
            return startOrQueue(execution.claimedBy(coordination.node()), options.queue(), () -> { });
        }
    }

    private static Map<String, Object> parameters(Map<String, Object> options, SnapshotId id) {
        Map<String, Object> p = new LinkedHashMap<>(options);
        p.put("snapshot_id", id.value());
        return p;
    }

    private Execution startOrQueue(Execution pending, boolean queue, Runnable undo) {
        try {
            if (executions.insertIfNoneActive(pending)) {
                runner.submit(pending);
                return pending;
            }
            if (!queue) {
                throw new RunningExecutionException("Another snapshot execution is running; wait for it to end, "
                        + "or pass `queue: true` to run after it");
            }
            Execution queued = pending.queued();
            executions.insert(queued);
            runner.wake();
            return queued;
        } catch (RuntimeException e) {
            undo.run();
            throw e;
        }
    }

    @Override
    public Execution cancel(ExecutionId id, boolean force) {
        return lifecycle.cancel(id, force);
    }

    // ---------------------------------------------------------------- upload, download, delete

    @Override
    public Snapshot upload(UploadCommand command) {
        return uploadWorkflow.upload(command);
    }

    @Override
    public Download download(SnapshotId id) {
        Snapshot snapshot = ports.snapshot(id);
        if (!snapshot.hasArchive()) {
            throw snapshot.noArchive("downloaded");
        }
        ArchiveInfo archive = snapshot.archive();
        return new Download() {
            @Override
            public Snapshot snapshot() {
                return snapshot;
            }

            @Override
            public long size() {
                return archive.size();
            }

            @Override
            public String sha256() {
                return archive.sha256();
            }

            /**
             * The whole archive is checked against its record as it streams; a part is passed through. Either
             * way a failure or a short read of the store is an ERROR in the log and an IOException, never a
             * quiet end.
             */
            @Override
            public InputStream open(long offset, long length) {
                return downloading.tracked(snapshot.id(), () -> integrity.download(snapshot, offset, length));
            }
        };
    }

    /**
     * Deletes the snapshot by the rules of {@link #delete}, unless it is busy: a download streams it (on any
     * node), an execution is active on it, or it is still being made.
     *
     * @return why it was left, when it was; empty when it was deleted
     * @throws io.snapkeep.core.error.NotFoundException no such snapshot
     */
    Optional<String> deleteUnlessBusy(SnapshotId id) {
        if (downloading.isStreaming(id)) {
            return Optional.of("a download streams it");
        }
        try {
            delete(id);
            return Optional.empty();
        } catch (SnapshotActionException busy) {
            return Optional.of(busy.getMessage());
        }
    }

    @Override
    public Snapshot delete(SnapshotId id) {
        try (Held locked = lifecycle.lockSnapshot(id)) {
            Snapshot snapshot = ports.snapshot(id);
            Optional<Execution> active = executions.findActive(id);
            if (active.isPresent()) {
                throw new SnapshotActionException("Cannot delete snapshot `" + id + "` which has an active `"
                        + active.get().workflow().wireName() + "` execution");
            }
            if (snapshot.status() == SnapshotStatus.CREATING || snapshot.status() == SnapshotStatus.UPLOADING) {
                throw new SnapshotActionException("Cannot delete snapshot `" + id + "` while it is "
                        + snapshot.status().wireName());
            }
            // The row goes first, then the store (record, then archive): a delete cut off between the two
            // leaves a complete archive, which reconciliation lists again, rather than a row without archive.
            snapshots.delete(id);
            store.delete(StoreKey.of(id));
            return snapshot;
        }
    }

    @Override
    public VerifyResult verify(SnapshotId id) {
        return integrity.verify(id);
    }

    /**
     * On a started engine: the comparison of catalog and store ({@link Reconciliation}), leaving live work
     * ({@code creating} and {@code uploading} rows, executions, staged writes) alone. On an engine not started
     * (a command run while no server runs on these ports): everything {@link #start()} does before it runs
     * executions ({@link Recovery}: participants recover unless {@code dryRun}, every unfinished execution is
     * taken as interrupted), without starting. One reconciliation at a time.
     */
    @Override
    public ReconcileReport reconcile(boolean dryRun) {
        synchronized (reconciling) {
            if (started) {
                try (Held turn = coordination.lockReconciliation()) {
                    return told(reconciliation.whileRunning(dryRun));
                }
            }
            // A command beside a running cluster joins for as long as it reconciles, so that its turn counts.
            coordination.start();
            try (Held turn = coordination.lockReconciliation()) {
                return told(recovery.run(dryRun, recovery.atStartUp()));
            } finally {
                coordination.stop();
            }
        }
    }

    private ReconcileReport told(ReconcileReport report) {
        if (!report.dryRun()) {
            reconciled.accept(report);
        }
        return report;
    }

    // ---------------------------------------------------------------- queries

    @Override
    public Snapshot getSnapshot(SnapshotId id) {
        return ports.snapshot(id);
    }

    @Override
    public Page<Snapshot> listSnapshots(ListQuery<SnapshotField> query) {
        return snapshots.list(query);
    }

    @Override
    public Execution getExecution(ExecutionId id) {
        return lifecycle.find(id);
    }

    @Override
    public Page<Execution> listExecutions(ListQuery<ExecutionField> query) {
        return executions.list(query);
    }

    @Override
    public Page<ExecutionEvent> events(EventQuery query) {
        return ports.eventLog().read(query);
    }

    @Override
    public boolean isRestoreRunning() {
        // On any node: a restore elsewhere changes the state this node serves too.
        return coordination.isClustered() ? executions.isSlotHeldBy(Workflow.RESTORE_SNAPSHOT)
                : lifecycle.isRunning(Workflow.RESTORE_SNAPSHOT);
    }
}
