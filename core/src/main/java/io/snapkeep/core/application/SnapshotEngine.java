package io.snapkeep.core.application;

import io.snapkeep.core.application.Cancellation.StoppedException;
import io.snapkeep.core.application.archive.ArchiveLimits;
import io.snapkeep.core.application.archive.ArchiveMetadata;
import io.snapkeep.core.application.archive.ArchiveMetadata.ParticipantInfo;
import io.snapkeep.core.application.archive.ArchiveReader;
import io.snapkeep.core.application.archive.ArchiveReader.ParticipantEntries;
import io.snapkeep.core.application.archive.ArchiveSummary;
import io.snapkeep.core.application.archive.ArchiveWriter;
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
import io.snapkeep.core.error.IllegalActionException;
import io.snapkeep.core.error.InvalidArchiveException;
import io.snapkeep.core.error.NotFoundException;
import io.snapkeep.core.error.RunningExecutionException;
import io.snapkeep.core.error.SnapkeepException;
import io.snapkeep.core.error.SnapshotActionException;
import io.snapkeep.core.port.in.SnapshotService;
import io.snapkeep.core.port.out.ArchiveStore;
import io.snapkeep.core.port.out.ArchiveStore.StagedWrite;
import io.snapkeep.core.port.out.ExecutionCatalog;
import io.snapkeep.core.port.out.ExecutionEventLog;
import io.snapkeep.core.port.out.SnapshotCatalog;
import io.snapkeep.core.port.out.StateParticipant;
import io.snapkeep.core.port.out.StoreKey;
import io.snapkeep.core.port.out.StateParticipant.RestorePlan;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * The use cases of Snapkeep over its ports: what {@code Snapkeep} exposes. Internal to core; build it
 * through {@code io.snapkeep.core.Snapkeep.builder()}.
 *
 * <p>Two rules keep it consistent under concurrency. The catalogs are the source of truth and every
 * status change is a compare-and-set. And the moment a workflow passes its point of no return (commit of
 * the archive or of the restored state) is serialized with cancel under {@link #finishLock}, so an
 * execution is either cancelled before anything was committed or ends {@code terminated}.
 */
public final class SnapshotEngine implements SnapshotService, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(SnapshotEngine.class.getName());
    static final String CANCELLED = "cancelled";
    static final String INTERRUPTED_BY_RESTART = "interrupted by a restart";
    static final String INTERRUPTED_BY_SHUTDOWN = "interrupted by a shutdown";

    private final ArchiveStore store;
    private final SnapshotCatalog snapshots;
    private final ExecutionCatalog executions;
    private final EventRecorder events;
    private final ExecutionEventLog eventLog;
    private final Map<String, StateParticipant> participants;
    private final ArchiveLimits limits;
    private final Clock clock;
    private final ExecutionRunner runner;
    private final Object finishLock = new Object();
    private final Object[] idLocks = new Object[64];
    private final Map<ExecutionId, Cancellation> running = new ConcurrentHashMap<>();
    private volatile Workflow runningWorkflow;

    public SnapshotEngine(ArchiveStore store, SnapshotCatalog snapshots, ExecutionCatalog executions,
                          ExecutionEventLog eventLog, List<StateParticipant> participants, ArchiveLimits limits,
                          Clock clock) {
        this.store = store;
        this.snapshots = snapshots;
        this.executions = executions;
        this.eventLog = eventLog;
        this.events = new EventRecorder(eventLog, clock);
        Map<String, StateParticipant> byName = new LinkedHashMap<>();
        for (StateParticipant p : participants) {
            String problem = SnapshotId.problemWith(p.name());
            if (problem != null) {
                throw new IllegalArgumentException("Participant name `" + p.name() + "` is not usable: "
                        + problem.replace("snapshot id", "participant name"));
            }
            if (byName.put(p.name(), p) != null) {
                throw new IllegalArgumentException("Two participants are named `" + p.name() + "`");
            }
        }
        this.participants = Collections.unmodifiableMap(byName);
        this.limits = limits;
        this.clock = clock;
        this.runner = new ExecutionRunner(executions, this::run);
        for (int i = 0; i < idLocks.length; i++) {
            idLocks[i] = new Object();
        }
    }

    /** Recovers from a previous process's crash, then starts running executions. */
    public void start() {
        new Recovery(store, snapshots, executions, events, clock, participants.values()).run();
        runner.start();
    }

    @Override
    public void close() {
        running.values().forEach(c -> c.request(INTERRUPTED_BY_SHUTDOWN));
        try {
            runner.stop(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---------------------------------------------------------------- create

    @Override
    public Execution create(CreateCommand command) {
        SnapshotId id = command.id();
        CreateOptions options = command.options();
        Snapshot snapshot = Snapshot.creating(id, command.requestedBy(), clock.instant());
        Execution execution = Execution.newExecution(Workflow.CREATE_SNAPSHOT, id,
                parameters(options.asParameters(), id), command.requestedBy(), clock.instant(), false);
        snapshots.insert(snapshot);
        return startOrQueue(execution, options.queue(), () -> snapshots.delete(id));
    }

    // ---------------------------------------------------------------- restore

    @Override
    public Execution restore(RestoreCommand command) {
        SnapshotId id = command.id();
        Snapshot snapshot = requireSnapshot(id);
        if (!snapshot.hasArchive()) {
            throw snapshot.noArchive("restored");
        }
        RestoreOptions options = command.options();
        Execution execution = Execution.newExecution(Workflow.RESTORE_SNAPSHOT, id,
                parameters(options.asParameters(), id), command.requestedBy(), clock.instant(), false);
        return startOrQueue(execution, options.queue(), () -> { });
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
            Execution queued = new Execution(pending.id(), pending.workflow(), pending.snapshotId(),
                    ExecutionStatus.QUEUED, "", pending.createdAt(), null, null, pending.createdBy(),
                    pending.parameters(), pending.progress());
            executions.insert(queued);
            runner.wake();
            return queued;
        } catch (RuntimeException e) {
            undo.run();
            throw e;
        }
    }

    // ---------------------------------------------------------------- upload / download / delete

    @Override
    public Snapshot upload(UploadCommand command) {
        SnapshotId id = command.id();
        Snapshot uploading = Snapshot.uploading(id, command.requestedBy(), clock.instant());
        snapshots.insert(uploading);
        boolean done = false;
        try (StagedWrite write = store.beginWrite(StoreKey.of(id))) {
            TeeInputStream tee = new TeeInputStream(command.archive(), write.stream());
            ArchiveSummary summary;
            try {
                summary = UploadValidation.validate(tee, limits);
            } finally {
                tee.seal();
            }
            ArchiveInfo info = summary.archive();
            Snapshot uploaded = uploading.uploaded(info);
            synchronized (lockFor(id)) {
                write.commit();
                if (!snapshots.update(SnapshotStatus.UPLOADING, uploaded)) {
                    store.delete(StoreKey.of(id));
                    throw new SnapshotActionException("Snapshot `" + id + "` was removed while it uploaded");
                }
            }
            LOG.fine(() -> "uploaded " + id + ": " + summary.entries() + " entries");
            done = true;
            return uploaded;
        } catch (UncheckedIOException e) {
            throw new InvalidArchiveException("The upload did not complete: " + e.getCause().getMessage(), e);
        } catch (IOException e) {
            throw new InvalidArchiveException("The upload did not complete: " + e.getMessage(), e);
        } finally {
            if (!done) {
                snapshots.delete(id);
            }
        }
    }

    @Override
    public Download download(SnapshotId id) {
        Snapshot snapshot = requireSnapshot(id);
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

            @Override
            public InputStream open(long offset, long length) {
                return store.openRange(StoreKey.of(id), offset, length);
            }
        };
    }

    @Override
    public Snapshot delete(SnapshotId id) {
        synchronized (lockFor(id)) {
            Snapshot snapshot = requireSnapshot(id);
            Optional<Execution> active = executions.findActive(id);
            if (active.isPresent()) {
                throw new SnapshotActionException("Cannot delete snapshot `" + id + "` which has an active `"
                        + active.get().workflow().wireName() + "` execution");
            }
            if (snapshot.status() == SnapshotStatus.CREATING || snapshot.status() == SnapshotStatus.UPLOADING) {
                throw new SnapshotActionException("Cannot delete snapshot `" + id + "` while it is "
                        + snapshot.status().wireName());
            }
            // The row goes first: an archive without a row is invisible and recovery removes it, while a
            // row without its archive would be listed but broken.
            snapshots.delete(id);
            store.delete(StoreKey.of(id));
            return snapshot;
        }
    }

    // ---------------------------------------------------------------- queries

    @Override
    public Snapshot getSnapshot(SnapshotId id) {
        return requireSnapshot(id);
    }

    @Override
    public Page<Snapshot> listSnapshots(ListQuery<SnapshotField> query) {
        return snapshots.list(query);
    }

    @Override
    public Execution getExecution(ExecutionId id) {
        return executions.find(id).orElseThrow(() -> new NotFoundException("Requested `Execution` with ID `"
                + id + "` was not found"));
    }

    @Override
    public Page<Execution> listExecutions(ListQuery<ExecutionField> query) {
        return executions.list(query);
    }

    @Override
    public Page<ExecutionEvent> events(EventQuery query) {
        return eventLog.read(query);
    }

    @Override
    public boolean isRestoreRunning() {
        return runningWorkflow == Workflow.RESTORE_SNAPSHOT;
    }

    private Snapshot requireSnapshot(SnapshotId id) {
        return snapshots.find(id).orElseThrow(() -> new NotFoundException("Requested `Snapshot` with ID `"
                + id + "` was not found"));
    }

    private Object lockFor(SnapshotId id) {
        return idLocks[Math.floorMod(id.value().hashCode(), idLocks.length)];
    }

    // ---------------------------------------------------------------- cancel

    @Override
    public Execution cancel(ExecutionId id, boolean force) {
        synchronized (finishLock) {
            Execution current = getExecution(id);
            if (!current.status().isCancellable()) {
                throw new IllegalActionException("Can't cancel execution " + id + " because it's in status "
                        + current.status().wireName());
            }
            Execution cancelling = force ? current.forceCancelling() : current.cancelling();
            if (!executions.update(current.status(), cancelling)) {
                throw new IllegalActionException("Can't cancel execution " + id
                        + " because its status changed meanwhile; try again");
            }
            Cancellation token = running.get(id);
            if (token != null) {
                token.request(CANCELLED);
            } else if (current.status() != ExecutionStatus.STARTED) {
                // Not picked up by the runner yet: nothing to unwind, so it ends here.
                endCancelled(cancelling);
                runner.wake();
            }
            return cancelling;
        }
    }

    // ---------------------------------------------------------------- running

    private void run(Execution pending) {
        Cancellation cancellation = new Cancellation();
        Execution started;
        synchronized (finishLock) {
            started = pending.started(clock.instant());
            if (!executions.update(ExecutionStatus.PENDING, started)) {
                return; // cancelled before it started; cancel already ended it
            }
            running.put(started.id(), cancellation);
            runningWorkflow = started.workflow();
        }
        try {
            events.started(started);
            if (started.workflow() == Workflow.CREATE_SNAPSHOT) {
                runCreate(started, cancellation);
            } else {
                runRestore(started, cancellation);
            }
        } catch (StoppedException stopped) {
            end(started, stopped.getMessage());
        } catch (Throwable t) {
            String reason = reasonOf(t);
            if (!(t instanceof SnapkeepException)) {
                LOG.log(Level.WARNING, "Execution " + started.id() + " failed", t);
            }
            end(started, reason);
            if (t instanceof Error e && !(t instanceof OutOfMemoryError) && !(t instanceof StackOverflowError)) {
                throw e;
            }
        } finally {
            synchronized (finishLock) {
                running.remove(started.id());
                runningWorkflow = null;
            }
        }
    }

    private void runCreate(Execution execution, Cancellation cancellation) throws IOException {
        SnapshotId id = execution.snapshotId();
        CreateOptions options = CreateOptions.fromParameters(execution.parameters());
        Set<io.snapkeep.core.domain.StateCategory> categories = options.categories();
        List<StateParticipant> selected = participants.values().stream()
                .filter(p -> categories.contains(p.category())).toList();
        ProgressTracker progress = new ProgressTracker(executions, execution.id(), cancellation);
        long planned = 0;
        for (StateParticipant p : selected) {
            planned += p.plannedEntries();
        }
        progress.planned(planned);
        events.info(execution, "Creating snapshot `" + id + "` of " + describe(selected));

        try (StagedWrite write = store.beginWrite(StoreKey.of(id));
             ArchiveWriter writer = new ArchiveWriter(write.stream(), progress)) {
            writer.writeMetadata(new ArchiveMetadata(ArchiveMetadata.FORMAT, ArchiveMetadata.CURRENT_VERSION,
                    id.value(), execution.id().value(), execution.createdAt(), options.asParameters(),
                    selected.stream().map(p -> new ParticipantInfo(p.name(), p.category())).toList()));
            for (StateParticipant p : selected) {
                cancellation.check();
                long before = progress.progress().finishedOperations();
                p.exportTo(writer.participantSink(p.name()));
                events.info(execution, "Exported participant `" + p.name() + "`: "
                        + (progress.progress().finishedOperations() - before) + " entries");
            }
            ArchiveSummary summary = writer.finish();
            progress.store();
            events.info(execution, "Archive complete: " + summary.entries() + " entries, "
                    + summary.archive().size() + " bytes, sha256 " + summary.archive().sha256());
            synchronized (lockFor(id)) {
                synchronized (finishLock) {
                    cancellation.check();
                    write.commit();
                    try {
                        Snapshot creating = requireSnapshot(id);
                        if (!snapshots.update(SnapshotStatus.CREATING, creating.created(summary.archive()))) {
                            throw new SnapshotActionException("Snapshot `" + id + "` changed while it was created");
                        }
                    } catch (RuntimeException e) {
                        store.delete(StoreKey.of(id));
                        throw e;
                    }
                    endSucceeded(execution, progress);
                }
            }
        }
    }

    private void runRestore(Execution execution, Cancellation cancellation) throws IOException {
        SnapshotId id = execution.snapshotId();
        RestoreOptions options = RestoreOptions.fromParameters(execution.parameters());
        Snapshot snapshot = requireSnapshot(id);
        if (!snapshot.hasArchive()) {
            throw snapshot.noArchive("restored");
        }
        ProgressTracker progress = new ProgressTracker(executions, execution.id(), cancellation);
        List<RestorePlan> plans = new ArrayList<>();
        try (InputStream in = store.open(StoreKey.of(id));
             ArchiveReader reader = new ArchiveReader(in, limits, progress)) {
            ArchiveMetadata metadata = reader.metadata();
            List<String> inArchive = metadata.participants().stream().map(ParticipantInfo::name).toList();
            List<String> unknown = inArchive.stream().filter(n -> !participants.containsKey(n)).toList();
            if (!unknown.isEmpty()) {
                throw new InvalidArchiveException("The archive holds participant(s) " + quoted(unknown)
                        + " that this server does not have; nothing was restored");
            }
            List<String> absent = participants.keySet().stream().filter(n -> !inArchive.contains(n)).toList();
            if (!absent.isEmpty()) {
                events.warning(execution, "Participant(s) " + quoted(absent)
                        + " are not in the archive and are left as they are");
            }
            if (!options.force()) {
                for (String name : inArchive) {
                    if (!participants.get(name).isEmpty()) {
                        throw new SnapshotActionException("The manager is not empty: participant `" + name
                                + "` holds state; restore with `force` to replace it");
                    }
                }
            }
            try {
                for (var next = reader.nextParticipant(); next.isPresent(); next = reader.nextParticipant()) {
                    cancellation.check();
                    ParticipantEntries entries = next.get();
                    StateParticipant p = participants.get(entries.name());
                    if (p == null || !inArchive.contains(entries.name())) {
                        throw new InvalidArchiveException("The archive has entries of participant `"
                                + entries.name() + "`, which its metadata does not list");
                    }
                    events.info(execution, "Staging participant `" + p.name() + "`");
                    plans.add(p.prepareRestore(entries.entries()));
                }
                reader.finish();
                progress.store();
                synchronized (finishLock) {
                    cancellation.check();
                    for (RestorePlan plan : plans) {
                        plan.commit();
                    }
                    endSucceeded(execution, progress);
                }
            } catch (Throwable t) {
                rollBack(plans, t);
                throw t;
            }
        }
        for (RestorePlan plan : plans) {
            try {
                plan.release();
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.WARNING, "Restore of `" + id + "` succeeded, but releasing its old state failed", e);
            }
        }
    }

    private static void rollBack(List<RestorePlan> plans, Throwable cause) {
        for (int i = plans.size() - 1; i >= 0; i--) {
            try {
                plans.get(i).rollback();
            } catch (Throwable t) {
                cause.addSuppressed(t);
                LOG.log(Level.SEVERE, "Rolling back a participant failed", t);
            }
        }
    }

    // ---------------------------------------------------------------- ending an execution

    /** The terminal event is stored before the status reaches its end (clients read events once more then). */
    private void endSucceeded(Execution started, ProgressTracker progress) {
        events.succeeded(started);
        Execution terminated = started.progressed(progress.progress()).terminated(clock.instant());
        if (!executions.update(ExecutionStatus.STARTED, terminated)) {
            throw new SnapshotActionException("Execution " + started.id() + " changed while it finished");
        }
    }

    /** Ends a workflow that did not succeed: cancelled when a cancel asked for it, else failed. */
    private void end(Execution started, String reason) {
        synchronized (finishLock) {
            Execution current = executions.find(started.id()).orElse(started);
            if (current.status().isEnd()) {
                return;
            }
            if (current.status() == ExecutionStatus.CANCELLING || current.status() == ExecutionStatus.FORCE_CANCELLING) {
                endCancelled(current);
            } else {
                endFailed(current, reason);
            }
        }
    }

    private void endCancelled(Execution cancelling) {
        failSnapshotOf(cancelling, CANCELLED);
        events.cancelled(cancelling);
        executions.update(cancelling.status(), cancelling.cancelled(clock.instant()));
    }

    private void endFailed(Execution current, String reason) {
        failSnapshotOf(current, reason);
        events.failed(current, reason);
        executions.update(current.status(), current.failed(reason, clock.instant()));
    }

    private void failSnapshotOf(Execution execution, String reason) {
        if (execution.workflow() == Workflow.CREATE_SNAPSHOT) {
            snapshots.find(execution.snapshotId())
                    .filter(s -> s.status() == SnapshotStatus.CREATING)
                    .ifPresent(s -> snapshots.update(SnapshotStatus.CREATING, s.failed(reason)));
        }
    }

    static String reasonOf(Throwable t) {
        if (t instanceof SnapkeepException || t instanceof StoppedException) {
            return t.getMessage();
        }
        if (t instanceof UncheckedIOException u && u.getCause() != null) {
            t = u.getCause();
        }
        String message = t.getMessage() == null ? "" : ": " + t.getMessage();
        if (t instanceof IOException) {
            return "I/O error" + message;
        }
        return t.getClass().getSimpleName() + message;
    }

    private static String describe(List<StateParticipant> selected) {
        if (selected.isEmpty()) {
            return "no participants";
        }
        return selected.stream().map(p -> "`" + p.name() + "` (" + p.category().name().toLowerCase() + ")")
                .collect(Collectors.joining(", "));
    }

    private static String quoted(List<String> names) {
        return names.stream().map(n -> "`" + n + "`").collect(Collectors.joining(", "));
    }
}
