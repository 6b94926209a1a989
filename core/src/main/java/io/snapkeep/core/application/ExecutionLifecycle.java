package io.snapkeep.core.application;

import io.snapkeep.core.application.Cancellation.StoppedException;
import io.snapkeep.core.domain.Execution;
import io.snapkeep.core.domain.ExecutionId;
import io.snapkeep.core.domain.ExecutionStatus;
import io.snapkeep.core.domain.Progress;
import io.snapkeep.core.domain.SnapshotId;
import io.snapkeep.core.domain.SnapshotStatus;
import io.snapkeep.core.domain.Workflow;
import io.snapkeep.core.error.IllegalActionException;
import io.snapkeep.core.error.SnapkeepException;
import io.snapkeep.core.error.SnapshotActionException;
import io.snapkeep.core.port.out.ExecutionCatalog;
import io.snapkeep.core.port.out.SnapshotCatalog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * The life of an execution once it holds the slot: it starts, its workflow runs, and it ends
 * {@code terminated}, {@code failed} or {@code cancelled}; and the cancel that can cut it short.
 *
 * <p>Two rules keep it consistent under concurrency. The catalogs are the source of truth and every
 * status change is a compare-and-set. And the moment a workflow passes its point of no return (the commit
 * of the archive or of the restored state, in {@link #finish}) is serialized with cancel under the finish
 * lock, so an execution is either cancelled before anything was committed or ends {@code terminated}. The
 * terminal event is stored before the status reaches its end, so a client that sees the end has the event.
 *
 * <p>Across the nodes of a cluster the same holds through the catalog: a cancel is a compare-and-set to
 * {@code cancelling}, which the node running the execution sees within a {@link #CANCEL_WATCH_PERIOD}; and the
 * point of no return is first marked in the catalog ({@code ExecutionCatalog.beginFinish}), so that exactly one
 * of a cancel on any node and the commit wins.
 *
 * <p><b>Lock order.</b> There are two kinds of lock, and a thread that needs both takes them in this order,
 * never the other way round: first the lock of one snapshot id ({@link #lockSnapshot}; across the cluster;
 * held while a snapshot's row and its archive change together: the commit of a create or an upload, a
 * delete), then the finish lock (in memory; held while an execution's status changes: start, cancel, the
 * point of no return, the end). Under either only catalog and store calls are made, never a read or write of
 * a whole archive, and no other lock is taken. The map of running executions' cancellations is changed only
 * under the finish lock.
 */
final class ExecutionLifecycle {
    private static final System.Logger LOG = System.getLogger(ExecutionLifecycle.class.getName());
    static final String CANCELLED = "cancelled";
    static final String INTERRUPTED_BY_RESTART = "interrupted by a restart";
    static final String INTERRUPTED_BY_SHUTDOWN = "interrupted by a shutdown";
    /** How often a node looks in the catalog for a cancel, sent to any node, of what it runs. */
    static final long CANCEL_WATCH_PERIOD = 250;
    /** How long a cancel waits for an execution that is past its point of no return on another node. */
    private static final long FINISH_WAIT_MILLIS = 30_000;

    /** The work of one workflow, between its start and its end. */
    @FunctionalInterface
    interface WorkflowRun {
        void run(Execution started, Cancellation cancellation) throws IOException;
    }

    /** What a workflow makes permanent at its point of no return. */
    @FunctionalInterface
    interface Commit {
        void run() throws IOException;
    }

    private final Ports ports;
    private final ExecutionCatalog executions;
    private final SnapshotCatalog snapshots;
    private final EventRecorder events;
    private final Clock clock;
    /** Looks for queued work: called when a cancel ends an execution that never ran. */
    private final Runnable wakeRunner;
    private final Object finishLock = new Object();
    private final Map<ExecutionId, Cancellation> running = new ConcurrentHashMap<>();
    private final LiveExecutions live = new LiveExecutions();
    private volatile Coordination coordination;
    private volatile Workflow runningWorkflow;

    ExecutionLifecycle(Ports ports, EventRecorder events, Runnable wakeRunner) {
        this.ports = ports;
        this.executions = ports.executions();
        this.snapshots = ports.snapshots();
        this.events = events;
        this.clock = ports.clock();
        this.wakeRunner = wakeRunner;
    }

    /** Set once, before any work: the coordination needs the lifecycle too, to stop work when its lease is lost. */
    void coordinateThrough(Coordination c) {
        this.coordination = c;
    }

    /** The lock of snapshot {@code id} across every node: the first lock in the lock order. */
    Held lockSnapshot(SnapshotId id) {
        return coordination.lockSnapshot(id);
    }

    /** Whether an execution of {@code workflow} is running in this process now. */
    boolean isRunning(Workflow workflow) {
        return runningWorkflow == workflow;
    }

    /**
     * Execution {@code id} as a client should see it: from memory while this process runs it (a poll then
     * costs no catalog read), else from the catalog.
     *
     * @throws io.snapkeep.core.error.NotFoundException when the catalog has no such execution
     */
    Execution find(ExecutionId id) {
        return live.find(id).orElseGet(() -> ports.execution(id));
    }

    /** Where a running execution's progress figures go: the catalog, and then what polls are served. */
    Predicate<Progress> progressStore(Execution execution) {
        ExecutionId id = execution.id();
        return progress -> {
            boolean stored = executions.updateProgress(id, progress);
            if (stored) {
                live.progressed(id, progress);
            }
            return stored;
        };
    }

    /** Asks every running execution to stop, for {@code reason}. */
    void interruptAll(String reason) {
        running.values().forEach(c -> c.request(reason));
    }

    /**
     * Looks in the catalog for a cancel of what runs here, sent through another node; called every
     * {@link #CANCEL_WATCH_PERIOD} ms by a node of a cluster. One read per running execution.
     */
    void watchForCancels() {
        for (Map.Entry<ExecutionId, Cancellation> e : running.entrySet()) {
            executions.find(e.getKey()).map(Execution::status)
                    .filter(s -> s == ExecutionStatus.CANCELLING || s == ExecutionStatus.FORCE_CANCELLING)
                    .ifPresent(s -> {
                        live.forget(e.getKey());
                        e.getValue().request(CANCELLED);
                    });
        }
    }

    /**
     * Moves the execution to {@code cancelling} (or {@code force_cancelling}); a running one is asked to
     * stop, one that never ran ends {@code cancelled} at once.
     */
    Execution cancel(ExecutionId id, boolean force) {
        Optional<Execution> cancelling = cancelUnlessFinishing(id, force);
        if (cancelling.isPresent()) {
            return cancelling.get();
        }
        // Waited for outside the finish lock: the other node needs none of this node's locks to end it.
        throw notCancellable(id, awaitEnd(id));
    }

    /**
     * The cancel itself, under the finish lock: the cancelling execution, or empty when the cancel did not
     * apply because another node is past the execution's point of no return.
     */
    private Optional<Execution> cancelUnlessFinishing(ExecutionId id, boolean force) {
        synchronized (finishLock) {
            Execution current = ports.execution(id);
            // Another node may move the execution on between the read and the compare-and-set: read again.
            for (int attempt = 0; attempt < 3; attempt++) {
                if (!current.status().isCancellable()) {
                    throw notCancellable(id, current);
                }
                Execution cancelling = force ? current.forceCancelling() : current.cancelling();
                live.forget(id);
                if (executions.update(current.status(), cancelling)) {
                    Cancellation token = running.get(id);
                    if (token != null) {
                        live.serve(cancelling);
                        token.request(CANCELLED);
                    } else if (current.status() != ExecutionStatus.STARTED) {
                        // Not picked up by any runner yet: nothing to unwind, so it ends here.
                        endCancelled(cancelling);
                        wakeRunner.run();
                    }
                    // Started on another node: that node sees the cancel in the catalog and unwinds.
                    return Optional.of(cancelling);
                }
                Execution now = ports.execution(id);
                if (now.status() == current.status()) {
                    return Optional.empty();
                }
                current = now;
            }
            throw new IllegalActionException("Can't cancel execution " + id
                    + " because its status changed meanwhile; try again");
        }
    }

    private static IllegalActionException notCancellable(ExecutionId id, Execution current) {
        return new IllegalActionException("Can't cancel execution " + id + " because it's in status "
                + current.status().wireName());
    }

    /** The execution once it ended, polled for a while: it is finishing on another node. */
    private Execution awaitEnd(ExecutionId id) {
        long deadline = System.nanoTime() + FINISH_WAIT_MILLIS * 1_000_000;
        Execution now = ports.execution(id);
        while (!now.status().isEnd() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            now = ports.execution(id);
        }
        return now;
    }

    /**
     * Starts {@code pending} (unless a cancel ended it first), runs {@code workflow}, and ends the execution
     * failed or cancelled if the workflow did not end it succeeded through {@link #finish}.
     */
    void run(Execution pending, WorkflowRun workflow) {
        Cancellation cancellation = new Cancellation();
        Execution started;
        synchronized (finishLock) {
            started = pending.started(clock.instant());
            if (!executions.update(ExecutionStatus.PENDING, started)) {
                return; // cancelled before it started; cancel already ended it
            }
            running.put(started.id(), cancellation);
            live.serve(started);
            runningWorkflow = started.workflow();
        }
        try {
            events.started(started);
            workflow.run(started, cancellation);
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
                live.forget(started.id());
                running.remove(started.id());
                runningWorkflow = null;
            }
        }
    }

    /**
     * The point of no return, serialized with cancel: unless a cancel came first, runs {@code commit} and
     * ends the execution {@code terminated} with its final progress.
     *
     * @throws StoppedException when a cancel or a shutdown came first; nothing was committed
     */
    void finish(Execution started, Cancellation cancellation, ProgressTracker progress, Commit commit)
            throws IOException {
        synchronized (finishLock) {
            cancellation.check();
            if (!executions.beginFinish(started.id())) {
                // A cancel through another node came first, or another node took this execution over.
                throw new StoppedException(CANCELLED);
            }
            commit.run();
            events.succeeded(started);
            Execution terminated = started.progressed(progress.done()).terminated(clock.instant());
            live.forget(started.id());
            if (!executions.update(ExecutionStatus.STARTED, terminated)) {
                throw new SnapshotActionException("Execution " + started.id() + " changed while it finished");
            }
        }
    }

    /** Ends a workflow that did not succeed: cancelled when a cancel asked for it, else failed (unless ended). */
    private void end(Execution started, String reason) {
        synchronized (finishLock) {
            live.forget(started.id());
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

    /** A create that did not succeed leaves its snapshot {@code failed}, with the same reason. */
    private void failSnapshotOf(Execution execution, String reason) {
        if (execution.workflow() == Workflow.CREATE_SNAPSHOT) {
            snapshots.find(execution.snapshotId())
                    .filter(s -> s.status() == SnapshotStatus.CREATING)
                    .ifPresent(s -> snapshots.update(SnapshotStatus.CREATING, s.failed(reason)));
        }
    }

    /** What a failed execution's {@code error} says about {@code t}. */
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
}
