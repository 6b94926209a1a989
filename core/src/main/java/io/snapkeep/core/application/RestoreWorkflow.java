package io.snapkeep.core.application;

import io.snapkeep.core.application.archive.ArchiveMetadata;
import io.snapkeep.core.application.archive.ArchiveMetadata.ParticipantInfo;
import io.snapkeep.core.application.archive.ArchiveReader;
import io.snapkeep.core.application.archive.ArchiveReader.ParticipantEntries;
import io.snapkeep.core.domain.Execution;
import io.snapkeep.core.domain.RestoreOptions;
import io.snapkeep.core.domain.Snapshot;
import io.snapkeep.core.domain.SnapshotId;
import io.snapkeep.core.error.InvalidArchiveException;
import io.snapkeep.core.error.SnapshotActionException;
import io.snapkeep.core.port.out.StateParticipant;
import io.snapkeep.core.port.out.StateParticipant.RestorePlan;
import io.snapkeep.core.port.out.StoreKey;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The {@code restore_snapshot} workflow, two-phase: every participant in the archive stages its state
 * while the archive is read and verified, then all of them commit at the point of no return. Any failure
 * before that, or during the commits, rolls every participant back; after it, each releases its old state.
 */
final class RestoreWorkflow implements ExecutionLifecycle.WorkflowRun {
    private static final System.Logger LOG = System.getLogger(RestoreWorkflow.class.getName());

    private final Ports ports;
    private final Map<String, StateParticipant> participants;
    private final EventRecorder events;
    private final ExecutionLifecycle lifecycle;

    RestoreWorkflow(Ports ports, EventRecorder events, ExecutionLifecycle lifecycle) {
        this.ports = ports;
        this.participants = ports.participants();
        this.events = events;
        this.lifecycle = lifecycle;
    }

    @Override
    public void run(Execution execution, Cancellation cancellation) throws IOException {
        SnapshotId id = execution.snapshotId();
        RestoreOptions options = RestoreOptions.fromParameters(execution.parameters());
        Snapshot snapshot = ports.snapshot(id);
        if (!snapshot.hasArchive()) {
            throw snapshot.noArchive("restored");
        }
        ProgressTracker progress = new ProgressTracker(ports.executions(), execution.id(), cancellation);
        List<RestorePlan> plans = new ArrayList<>();
        try (InputStream in = ports.store().open(StoreKey.of(id));
             ArchiveReader reader = new ArchiveReader(in, ports.limits(), progress)) {
            List<String> inArchive = checkParticipants(execution, reader.metadata(), options);
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
                lifecycle.finish(execution, cancellation, progress, () -> {
                    for (RestorePlan plan : plans) {
                        plan.commit();
                    }
                });
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

    /**
     * Refuses an archive with participants this server lacks, and (without {@code force}) a restore over
     * state that is not empty; warns about participants the archive lacks.
     *
     * @return the names of the participants in the archive
     */
    private List<String> checkParticipants(Execution execution, ArchiveMetadata metadata, RestoreOptions options)
            throws IOException {
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
        return inArchive;
    }

    private static void rollBack(List<RestorePlan> plans, Throwable cause) {
        for (int i = plans.size() - 1; i >= 0; i--) {
            try {
                plans.get(i).rollback();
            } catch (Throwable t) {
                cause.addSuppressed(t);
                LOG.log(Level.ERROR, "Rolling back a participant failed", t);
            }
        }
    }

    private static String quoted(List<String> names) {
        return names.stream().map(n -> "`" + n + "`").collect(Collectors.joining(", "));
    }
}
