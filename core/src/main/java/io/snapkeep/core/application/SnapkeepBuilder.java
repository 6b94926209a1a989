package io.snapkeep.core.application;

import io.snapkeep.core.Snapkeep;
import io.snapkeep.core.application.archive.ArchiveLimits;
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
 * Collects the ports a {@link Snapkeep} is built from; get one from {@link Snapkeep#builder()}. Every port
 * but the participants and the optional settings is required. The one public class of this package: the
 * engine it builds stays internal.
 */
public final class SnapkeepBuilder {
    private ArchiveStore archiveStore;
    private SnapshotCatalog snapshotCatalog;
    private ExecutionCatalog executionCatalog;
    private ExecutionEventLog eventLog;
    private final List<StateParticipant> participants = new ArrayList<>();
    private ArchiveLimits archiveLimits = ArchiveLimits.DEFAULTS;
    private Clock clock = Clock.systemUTC();

    /** Prefer {@link Snapkeep#builder()}. */
    public SnapkeepBuilder() {
    }

    public SnapkeepBuilder archiveStore(ArchiveStore store) {
        this.archiveStore = store;
        return this;
    }

    public SnapkeepBuilder snapshotCatalog(SnapshotCatalog catalog) {
        this.snapshotCatalog = catalog;
        return this;
    }

    public SnapkeepBuilder executionCatalog(ExecutionCatalog catalog) {
        this.executionCatalog = catalog;
        return this;
    }

    public SnapkeepBuilder eventLog(ExecutionEventLog log) {
        this.eventLog = log;
        return this;
    }

    /** Adds a piece of state to capture; archives hold participants in the order they were added. */
    public SnapkeepBuilder participant(StateParticipant participant) {
        participants.add(Objects.requireNonNull(participant, "participant"));
        return this;
    }

    public SnapkeepBuilder participants(List<? extends StateParticipant> list) {
        list.forEach(this::participant);
        return this;
    }

    /** Bounds that reading an archive enforces (uploads and restores); sane defaults otherwise. */
    public SnapkeepBuilder archiveLimits(ArchiveLimits limits) {
        this.archiveLimits = Objects.requireNonNull(limits, "limits");
        return this;
    }

    public SnapkeepBuilder clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return this;
    }

    /**
     * A Snapkeep on these ports, not started yet.
     *
     * @throws NullPointerException     when a required port is missing
     * @throws IllegalArgumentException when a participant's name is not usable, or two share a name
     */
    public Snapkeep build() {
        Ports ports = new Ports(
                Objects.requireNonNull(archiveStore, "archiveStore is required"),
                Objects.requireNonNull(snapshotCatalog, "snapshotCatalog is required"),
                Objects.requireNonNull(executionCatalog, "executionCatalog is required"),
                Objects.requireNonNull(eventLog, "eventLog is required"),
                Ports.byName(participants), archiveLimits, clock);
        return new SnapshotEngine(ports);
    }
}
