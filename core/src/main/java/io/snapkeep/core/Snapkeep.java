package io.snapkeep.core;

import io.snapkeep.core.application.SnapshotEngine;
import io.snapkeep.core.application.archive.ArchiveLimits;
import io.snapkeep.core.domain.EventQuery;
import io.snapkeep.core.domain.Execution;
import io.snapkeep.core.domain.ExecutionEvent;
import io.snapkeep.core.domain.ExecutionField;
import io.snapkeep.core.domain.ExecutionId;
import io.snapkeep.core.domain.ListQuery;
import io.snapkeep.core.domain.Page;
import io.snapkeep.core.domain.Snapshot;
import io.snapkeep.core.domain.SnapshotField;
import io.snapkeep.core.domain.SnapshotId;
import io.snapkeep.core.port.in.SnapshotService;
import io.snapkeep.core.port.out.ArchiveStore;
import io.snapkeep.core.port.out.ExecutionCatalog;
import io.snapkeep.core.port.out.ExecutionEventLog;
import io.snapkeep.core.port.out.SnapshotCatalog;
import io.snapkeep.core.port.out.StateParticipant;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Snapkeep, assembled from its ports: the one entry point for hosts that embed it.
 *
 * <pre>{@code
 * Snapkeep snapkeep = Snapkeep.builder()
 *         .archiveStore(store)
 *         .snapshotCatalog(snapshots).executionCatalog(executions).eventLog(events)
 *         .participant(myState)
 *         .build();
 * snapkeep.start();   // recovers from a crash, then runs executions
 * ...
 * snapkeep.close();   // stops; an interrupted execution ends failed
 * }</pre>
 */
public final class Snapkeep implements SnapshotService, AutoCloseable {
    private final SnapshotEngine engine;

    private Snapkeep(SnapshotEngine engine) {
        this.engine = engine;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Recovers what a previous process left unfinished, then starts running executions. Call once. */
    public Snapkeep start() {
        engine.start();
        return this;
    }

    /** Stops running executions; one that is running is interrupted and ends failed. */
    @Override
    public void close() {
        engine.close();
    }

    @Override
    public Execution create(CreateCommand command) {
        return engine.create(command);
    }

    @Override
    public Execution restore(RestoreCommand command) {
        return engine.restore(command);
    }

    @Override
    public Snapshot upload(UploadCommand command) {
        return engine.upload(command);
    }

    @Override
    public Download download(SnapshotId id) {
        return engine.download(id);
    }

    @Override
    public Snapshot delete(SnapshotId id) {
        return engine.delete(id);
    }

    @Override
    public Snapshot getSnapshot(SnapshotId id) {
        return engine.getSnapshot(id);
    }

    @Override
    public Page<Snapshot> listSnapshots(ListQuery<SnapshotField> query) {
        return engine.listSnapshots(query);
    }

    @Override
    public Execution getExecution(ExecutionId id) {
        return engine.getExecution(id);
    }

    @Override
    public Page<Execution> listExecutions(ListQuery<ExecutionField> query) {
        return engine.listExecutions(query);
    }

    @Override
    public Page<ExecutionEvent> events(EventQuery query) {
        return engine.events(query);
    }

    @Override
    public boolean isRestoreRunning() {
        return engine.isRestoreRunning();
    }

    @Override
    public Execution cancel(ExecutionId id, boolean force) {
        return engine.cancel(id, force);
    }

    /** Collects the ports; every one but the participants and the optional settings is required. */
    public static final class Builder {
        private ArchiveStore archiveStore;
        private SnapshotCatalog snapshotCatalog;
        private ExecutionCatalog executionCatalog;
        private ExecutionEventLog eventLog;
        private final List<StateParticipant> participants = new ArrayList<>();
        private ArchiveLimits archiveLimits = ArchiveLimits.DEFAULTS;
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        public Builder archiveStore(ArchiveStore store) {
            this.archiveStore = store;
            return this;
        }

        public Builder snapshotCatalog(SnapshotCatalog catalog) {
            this.snapshotCatalog = catalog;
            return this;
        }

        public Builder executionCatalog(ExecutionCatalog catalog) {
            this.executionCatalog = catalog;
            return this;
        }

        public Builder eventLog(ExecutionEventLog log) {
            this.eventLog = log;
            return this;
        }

        /** Adds a piece of state to capture; archives hold participants in the order they were added. */
        public Builder participant(StateParticipant participant) {
            participants.add(Objects.requireNonNull(participant, "participant"));
            return this;
        }

        public Builder participants(List<? extends StateParticipant> list) {
            list.forEach(this::participant);
            return this;
        }

        /** Bounds that reading an archive enforces (uploads and restores); sane defaults otherwise. */
        public Builder archiveLimits(ArchiveLimits limits) {
            this.archiveLimits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public Snapkeep build() {
            return new Snapkeep(new SnapshotEngine(
                    Objects.requireNonNull(archiveStore, "archiveStore is required"),
                    Objects.requireNonNull(snapshotCatalog, "snapshotCatalog is required"),
                    Objects.requireNonNull(executionCatalog, "executionCatalog is required"),
                    Objects.requireNonNull(eventLog, "eventLog is required"),
                    participants, archiveLimits, clock));
        }
    }
}
