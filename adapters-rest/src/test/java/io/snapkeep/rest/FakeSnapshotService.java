package io.snapkeep.rest;

import io.snapkeep.core.port.in.VerifySnapshot.VerifyResult;
import io.snapkeep.core.domain.ArchiveInfo;
import io.snapkeep.core.domain.EventQuery;
import io.snapkeep.core.domain.Execution;
import io.snapkeep.core.domain.ExecutionEvent;
import io.snapkeep.core.domain.ExecutionField;
import io.snapkeep.core.domain.ExecutionId;
import io.snapkeep.core.domain.ExecutionStatus;
import io.snapkeep.core.domain.ListQuery;
import io.snapkeep.core.domain.Page;
import io.snapkeep.core.domain.Progress;
import io.snapkeep.core.domain.Snapshot;
import io.snapkeep.core.domain.SnapshotField;
import io.snapkeep.core.domain.SnapshotId;
import io.snapkeep.core.domain.SnapshotStatus;
import io.snapkeep.core.domain.Workflow;
import io.snapkeep.core.error.AlreadyExistsException;
import io.snapkeep.core.error.IllegalActionException;
import io.snapkeep.core.error.InvalidArchiveException;
import io.snapkeep.core.error.NotFoundException;
import io.snapkeep.core.error.RunningExecutionException;
import io.snapkeep.core.error.SnapshotActionException;
import io.snapkeep.core.port.in.SnapshotService;
import io.snapkeep.core.testing.InMemoryExecutionCatalog;
import io.snapkeep.core.testing.InMemoryExecutionEventLog;
import io.snapkeep.core.testing.InMemorySnapshotCatalog;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A controllable SnapshotService for the HTTP contract tests: executions stay where they are until a test
 * moves them ({@link #complete}, {@link #fail}), an "archive" is any bytes starting with {@code PK}, and a
 * test can make the next call throw. The flows of the real engine are tested in {@code SnapkeepFlowTest}.
 */
final class FakeSnapshotService implements SnapshotService {
    private InMemorySnapshotCatalog snapshots = new InMemorySnapshotCatalog();
    private InMemoryExecutionCatalog executions = new InMemoryExecutionCatalog();
    private InMemoryExecutionEventLog events = new InMemoryExecutionEventLog();
    private final Map<SnapshotId, byte[]> archives = new ConcurrentHashMap<>();
    private final AtomicReference<RuntimeException> nextFailure = new AtomicReference<>();
    volatile boolean restoreRunning;
    volatile long uploadedBytes;
    /** The length the last upload was told (its Content-Length), or -1. */
    volatile long uploadLength;

    synchronized void reset() {
        snapshots = new InMemorySnapshotCatalog();
        executions = new InMemoryExecutionCatalog();
        events = new InMemoryExecutionEventLog();
        archives.clear();
        nextFailure.set(null);
        restoreRunning = false;
    }

    /** The next use-case call throws {@code failure}. */
    void failNextCall(RuntimeException failure) {
        nextFailure.set(failure);
    }

    private void maybeFail() {
        RuntimeException f = nextFailure.getAndSet(null);
        if (f != null) {
            throw f;
        }
    }

    /** Runs a pending execution to its successful end, with the event sequence the engine writes. */
    synchronized void complete(ExecutionId id, byte[] archive) {
        Execution e = executions.find(id).orElseThrow();
        Instant now = Instant.now();
        Execution started = e.started(now);
        executions.update(e.status(), started);
        events.append(ExecutionEvent.event(started, now, "workflow_started",
                "Starting '" + e.workflow().wireName() + "' workflow execution"));
        for (int i = 0; i < 3; i++) {
            events.append(ExecutionEvent.log(started, now, ExecutionEvent.Level.INFO, "progress " + i));
        }
        if (e.workflow() == Workflow.CREATE_SNAPSHOT) {
            Snapshot s = snapshots.find(e.snapshotId()).orElseThrow();
            archives.put(s.id(), archive);
            snapshots.update(SnapshotStatus.CREATING, s.created(info(archive)));
        }
        events.append(ExecutionEvent.event(started, now, "workflow_succeeded",
                "'" + e.workflow().wireName() + "' workflow execution succeeded"));
        // The figures a run of this archive ends with: every byte and entry of it, at a measured rate.
        Progress written = new Progress(2, 2, archive.length, Progress.Phases.COMMITTING, archive.length, 2,
                1_000_000, 1);
        executions.update(ExecutionStatus.STARTED, started.progressed(written.done()).terminated(now));
    }

    /** Ends a pending create as failed. */
    synchronized void fail(ExecutionId id, String reason) {
        Execution e = executions.find(id).orElseThrow();
        Snapshot s = snapshots.find(e.snapshotId()).orElseThrow();
        snapshots.update(SnapshotStatus.CREATING, s.failed(reason));
        executions.update(e.status(), e.failed(reason, Instant.now()));
    }

    @Override
    public synchronized Execution create(CreateCommand c) {
        maybeFail();
        if (snapshots.find(c.id()).isPresent()) {
            throw new AlreadyExistsException("Snapshot `" + c.id() + "` already exists");
        }
        Map<String, Object> p = new LinkedHashMap<>(c.options().asParameters());
        p.put("snapshot_id", c.id().value());
        Execution e = Execution.newExecution(Workflow.CREATE_SNAPSHOT, c.id(), p, c.requestedBy(), Instant.now(),
                c.options().queue() && active());
        if (e.status() == ExecutionStatus.QUEUED) {
            executions.insert(e);
        } else if (!executions.insertIfNoneActive(e)) {
            throw new RunningExecutionException("There is an active execution; retry later or use `queue`");
        }
        snapshots.insert(Snapshot.creating(c.id(), c.requestedBy(), Instant.now()));
        return e;
    }

    private boolean active() {
        return executions.list(ListQuery.<ExecutionField>all()).items().stream().anyMatch(x -> x.status().isActive());
    }

    @Override
    public synchronized Execution restore(RestoreCommand c) {
        maybeFail();
        Snapshot s = getSnapshot(c.id());
        if (s.status() == SnapshotStatus.FAILED) {
            throw new SnapshotActionException("Failed snapshot cannot be restored");
        }
        if (!s.status().hasArchive()) {
            throw new SnapshotActionException("Snapshot `" + c.id() + "` is not ready: " + s.status().wireName());
        }
        Map<String, Object> p = new LinkedHashMap<>(c.options().asParameters());
        p.put("snapshot_id", c.id().value());
        Execution e = Execution.newExecution(Workflow.RESTORE_SNAPSHOT, c.id(), p, c.requestedBy(), Instant.now(), false);
        if (!executions.insertIfNoneActive(e)) {
            throw new RunningExecutionException("There is an active execution");
        }
        return e;
    }

    @Override
    public Snapshot upload(UploadCommand c) {
        maybeFail();
        Snapshot reserved = Snapshot.uploading(c.id(), c.requestedBy(), Instant.now());
        snapshots.insert(reserved);
        uploadLength = c.length();
        try {
            byte[] bytes = c.archive().readAllBytes();
            uploadedBytes = bytes.length;
            if (bytes.length < 2 || bytes[0] != 'P' || bytes[1] != 'K') {
                throw new InvalidArchiveException("Not a zip archive: it does not start with `PK`");
            }
            archives.put(c.id(), bytes);
            Snapshot done = reserved.uploadProgressed(new Progress(0, 2, bytes.length, Progress.Phases.COMMITTING,
                    c.length(), Progress.UNKNOWN, 1 << 20, 0)).uploaded(info(bytes));
            snapshots.update(SnapshotStatus.UPLOADING, done);
            return done;
        } catch (IOException | RuntimeException e) {
            snapshots.delete(c.id());
            if (e instanceof IOException io) {
                throw new InvalidArchiveException("The upload broke off: " + io.getMessage(), io);
            }
            throw (RuntimeException) e;
        }
    }

    @Override
    public Download download(SnapshotId id) {
        maybeFail();
        Snapshot s = getSnapshot(id);
        if (s.status() == SnapshotStatus.FAILED) {
            throw new SnapshotActionException("Failed snapshot cannot be downloaded");
        }
        if (!s.status().hasArchive()) {
            throw new SnapshotActionException("Snapshot `" + id + "` is not ready: " + s.status().wireName());
        }
        byte[] bytes = archives.get(id);
        return new Download() {
            @Override
            public Snapshot snapshot() {
                return s;
            }

            @Override
            public long size() {
                return bytes.length;
            }

            @Override
            public String sha256() {
                return s.archive().sha256();
            }

            @Override
            public InputStream open(long offset, long length) {
                int from = (int) offset;
                int n = (int) Math.min(length, bytes.length - offset);
                return new ByteArrayInputStream(bytes, from, n);
            }
        };
    }

    @Override
    public synchronized VerifyResult verify(SnapshotId id) {
        throw new UnsupportedOperationException("not used by these tests");
    }

    @Override
    public synchronized Snapshot delete(SnapshotId id) {
        maybeFail();
        Snapshot s = getSnapshot(id);
        boolean busy = executions.list(ListQuery.<ExecutionField>all()).items().stream()
                .anyMatch(e -> e.snapshotId().equals(id) && e.status().isActive());
        if (busy) {
            throw new SnapshotActionException("Cannot delete snapshot `" + id
                    + "` which has an active `create_snapshot` execution");
        }
        snapshots.delete(id);
        archives.remove(id);
        return s;
    }

    @Override
    public Snapshot getSnapshot(SnapshotId id) {
        maybeFail();
        return snapshots.find(id).orElseThrow(() -> new NotFoundException("Requested `Snapshot` with ID `" + id
                + "` was not found"));
    }

    @Override
    public Page<Snapshot> listSnapshots(ListQuery<SnapshotField> query) {
        maybeFail();
        return snapshots.list(query);
    }

    @Override
    public Execution getExecution(ExecutionId id) {
        maybeFail();
        return executions.find(id).orElseThrow(() -> new NotFoundException("Requested `Execution` with ID `" + id
                + "` was not found"));
    }

    @Override
    public Page<Execution> listExecutions(ListQuery<ExecutionField> query) {
        maybeFail();
        return executions.list(query);
    }

    @Override
    public Page<ExecutionEvent> events(EventQuery query) {
        maybeFail();
        return events.read(query);
    }

    @Override
    public boolean isRestoreRunning() {
        return restoreRunning;
    }

    @Override
    public synchronized Execution cancel(ExecutionId id, boolean force) {
        maybeFail();
        Execution e = getExecution(id);
        if (!e.status().isCancellable()) {
            throw new IllegalActionException("Can't cancel execution " + id + " because it's in status "
                    + e.status().wireName());
        }
        Execution next = force ? e.forceCancelling() : e.cancelling();
        executions.update(e.status(), next);
        return next;
    }

    static ArchiveInfo info(byte[] bytes) {
        try {
            return new ArchiveInfo(bytes.length, HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)));
        } catch (NoSuchAlgorithmException e) {
            throw new UncheckedIOException(new IOException(e));
        }
    }
}
