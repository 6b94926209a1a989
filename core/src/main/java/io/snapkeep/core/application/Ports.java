package io.snapkeep.core.application;

import io.snapkeep.core.application.archive.ArchiveLimits;
import io.snapkeep.core.domain.Execution;
import io.snapkeep.core.domain.ExecutionId;
import io.snapkeep.core.domain.ParticipantName;
import io.snapkeep.core.domain.Snapshot;
import io.snapkeep.core.domain.SnapshotId;
import io.snapkeep.core.error.NotFoundException;
import io.snapkeep.core.port.out.ArchiveStore;
import io.snapkeep.core.port.out.ExecutionCatalog;
import io.snapkeep.core.port.out.ExecutionEventLog;
import io.snapkeep.core.port.out.SnapshotCatalog;
import io.snapkeep.core.port.out.StateParticipant;
import java.time.Clock;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the engine and its workflows run on: the ports, the participants by name (in the order they were
 * added), and the settings.
 */
record Ports(ArchiveStore store, SnapshotCatalog snapshots, ExecutionCatalog executions, ExecutionEventLog eventLog,
             Map<String, StateParticipant> participants, ArchiveLimits limits, Clock clock) {

    /**
     * The participants keyed by name, in their order.
     *
     * @throws IllegalArgumentException when a name is not a usable participant name, or two are equal
     */
    static Map<String, StateParticipant> byName(List<StateParticipant> participants) {
        Map<String, StateParticipant> byName = new LinkedHashMap<>();
        for (StateParticipant p : participants) {
            String problem = ParticipantName.problemWith(p.name());
            if (problem != null) {
                throw new IllegalArgumentException("Participant name `" + p.name() + "` is not usable: " + problem);
            }
            if (byName.put(p.name(), p) != null) {
                throw new IllegalArgumentException("Two participants are named `" + p.name() + "`");
            }
        }
        return Collections.unmodifiableMap(byName);
    }

    /** @throws NotFoundException when the catalog has no such snapshot */
    Snapshot snapshot(SnapshotId id) {
        return snapshots.find(id).orElseThrow(() -> new NotFoundException("Requested `Snapshot` with ID `"
                + id + "` was not found"));
    }

    /** @throws NotFoundException when the catalog has no such execution */
    Execution execution(ExecutionId id) {
        return executions.find(id).orElseThrow(() -> new NotFoundException("Requested `Execution` with ID `"
                + id + "` was not found"));
    }
}
