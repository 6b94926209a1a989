package io.snapkeep.core.application;

import io.snapkeep.core.application.archive.ArchiveMetadata;
import io.snapkeep.core.application.archive.ArchiveMetadata.ParticipantInfo;
import io.snapkeep.core.application.archive.ArchiveReader;
import io.snapkeep.core.application.archive.ArchiveReader.ParticipantEntries;
import io.snapkeep.core.application.archive.ArchiveSummary;
import io.snapkeep.core.domain.Execution;
import io.snapkeep.core.domain.Progress;
import io.snapkeep.core.domain.Progress.Phases;
import io.snapkeep.core.domain.RestoreOptions;
import io.snapkeep.core.domain.Snapshot;
import io.snapkeep.core.domain.SnapshotId;
import io.snapkeep.core.error.InvalidArchiveException;
import io.snapkeep.core.error.NotFoundException;
import io.snapkeep.core.error.SnapshotActionException;
import io.snapkeep.core.port.out.StateParticipant;
import io.snapkeep.core.port.out.StateParticipant.RestorePlan;
import io.snapkeep.core.port.out.StoreKey;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The {@code restore_snapshot} workflow, two-phase: every participant in the archive stages its state
 * while the archive is read and verified, then all of them commit at the point of no return. Any failure
 * before that, or during the commits, rolls every participant back; after it, each releases its old state.
 *
 * <p>The archive read must also be the archive recorded: its size and SHA-256 are compared with the
 * snapshot's before anything is committed. That comparison is what stands for the entries' own digests,
 * which the reader skips ({@link ArchiveReader#ofRecorded}): the recorded bytes are those whose digests were
 * checked at upload, or written by this server. When reading fails (the reader's integrity checks, or the store's
 * stream), the archive is read once more in full to tell damage from a refusal of whole bytes (a foreign
 * archive, a newer format, this server's limits): if its bytes are not the recorded ones the snapshot becomes
 * {@code failed} with "archive damaged: ..." and the execution fails with the same reason; otherwise the
 * execution fails with the reader's reason and the snapshot stays as it is. An archive missing from the store
 * fails the snapshot with "archive missing from the store".
 */
final class RestoreWorkflow implements ExecutionLifecycle.WorkflowRun {
    private static final System.Logger LOG = System.getLogger(RestoreWorkflow.class.getName());

    private final Ports ports;
    private final Map<String, StateParticipant> participants;
    private final EventRecorder events;
    private final ExecutionLifecycle lifecycle;
    private final ArchiveIntegrity integrity;

    RestoreWorkflow(Ports ports, EventRecorder events, ExecutionLifecycle lifecycle, ArchiveIntegrity integrity) {
        this.ports = ports;
        this.participants = ports.participants();
        this.events = events;
        this.lifecycle = lifecycle;
        this.integrity = integrity;
    }

    @Override
    public void run(Execution execution, Cancellation cancellation) throws IOException {
        SnapshotId id = execution.snapshotId();
        RestoreOptions options = RestoreOptions.fromParameters(execution.parameters());
        Snapshot snapshot = ports.snapshot(id);
        if (!snapshot.hasArchive()) {
            throw snapshot.noArchive("restored");
        }
        ProgressTracker progress = new ProgressTracker(lifecycle.progressStore(execution),
                System::nanoTime, cancellation::check, false, p -> events.info(execution, ProgressTracker.phaseMessage(p)));
        List<RestorePlan> plans = new ArrayList<>();
        StoreKey key = StoreKey.of(id);
        long entriesTotal = entriesOf(key, snapshot.archive().size());
        progress.totals(snapshot.archive().size(), entriesTotal);
        progress.planned(Math.max(0, entriesTotal));
        progress.phase(Phases.READING);
        WatchedSource source;
        try {
            source = new WatchedSource(progress.counting(ports.store().open(key)));
        } catch (NotFoundException gone) {
            throw new SnapshotActionException("Snapshot `" + id + "` cannot be restored: its "
                    + integrity.lost(id, snapshot.archive(), "a restore"));
        }
        boolean reading = true;
        try (source; ProgressTracker.Heartbeat beat = progress.heartbeat();
             ArchiveReader reader = ArchiveReader.ofRecorded(source, ports.limits(), progress)) {
            List<String> inArchive = checkParticipants(execution, reader.metadata(), options);
            progress.phase(Phases.STAGING);
            try {
                for (var next = reader.nextParticipant(); next.isPresent(); next = reader.nextParticipant()) {
                    cancellation.check();
                    ParticipantEntries entries = next.get();
                    StateParticipant p = participants.get(entries.name());
                    if (p == null || !inArchive.contains(entries.name())) {
                        throw new Refused("The archive has entries of participant `"
                                + entries.name() + "`, which its metadata does not list");
                    }
                    events.info(execution, "Staging participant `" + p.name() + "`");
                    plans.add(p.prepareRestore(entries.entries()));
                }
                ArchiveSummary read = reader.finish();
                Optional<String> differs = ArchiveIntegrity.mismatch(read.archive(), snapshot.archive());
                if (differs.isPresent()) {
                    throw new Judged(integrity.damaged(id, snapshot.archive(), differs.get(), "a restore"));
                }
                reading = false;
                progress.phase(Phases.COMMITTING);
                lifecycle.finish(execution, cancellation, progress, () -> {
                    for (RestorePlan plan : plans) {
                        plan.commit();
                    }
                });
            } catch (Throwable t) {
                rollBack(plans, t);
                throw t;
            }
        } catch (InvalidArchiveException | IOException | UncheckedIOException e) {
            boolean judged = e instanceof Judged || e instanceof Refused;
            if (reading && !judged && (e instanceof InvalidArchiveException || source.failed)) {
                throw judge(snapshot, e, cancellation);
            }
            throw e;
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
     * The participant entries in the archive, from its end record, for progress figures; {@link Progress#UNKNOWN}
     * when that cannot be read (the read of the archive itself then tells what is wrong).
     */
    private long entriesOf(StoreKey key, long size) {
        if (size < ArchiveReader.END_RECORD_SIZE) {
            return Progress.UNKNOWN;
        }
        try (InputStream in = ports.store().openRange(key, size - ArchiveReader.END_RECORD_SIZE,
                ArchiveReader.END_RECORD_SIZE)) {
            return ArchiveReader.participantEntriesFromEnd(in.readNBytes(ArchiveReader.END_RECORD_SIZE));
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.DEBUG, "The end record of `" + key + "` could not be read for progress figures", e);
            return Progress.UNKNOWN;
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
            throw new Refused("The archive holds participant(s) " + quoted(unknown)
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

    /**
     * The failure of a restore whose archive could not be read: a damage (the snapshot failed) when the stored
     * bytes are not the recorded ones, else {@code failure} itself.
     */
    private RuntimeException judge(Snapshot snapshot, Exception failure, Cancellation cancellation) {
        Optional<String> differs;
        try {
            differs = integrity.recheck(StoreKey.of(snapshot.id()), snapshot.archive(), cancellation::check);
        } catch (NotFoundException gone) {
            return new SnapshotActionException("Snapshot `" + snapshot.id() + "` cannot be restored: its "
                    + integrity.lost(snapshot.id(), snapshot.archive(), "a restore"));
        } catch (IOException | UncheckedIOException unknown) {
            failure.addSuppressed(unknown);
            return asUnchecked(failure);
        }
        if (differs.isEmpty()) {
            return asUnchecked(failure);
        }
        String what = ExecutionLifecycle.reasonOf(failure) + " (" + differs.get() + ")";
        return new Judged(integrity.damaged(snapshot.id(), snapshot.archive(), what, "a restore"), failure);
    }

    private static RuntimeException asUnchecked(Exception e) {
        if (e instanceof RuntimeException r) {
            return r;
        }
        return new UncheckedIOException((IOException) e);
    }

    /** A failure already judged a damage: its message is the snapshot's new reason. */
    private static final class Judged extends InvalidArchiveException {
        private static final long serialVersionUID = 1L;

        Judged(String reason) {
            super(reason);
        }

        Judged(String reason, Throwable cause) {
            super(reason, cause);
        }
    }

    /** This server's refusal of a whole archive (participants it lacks): never a sign of damage. */
    private static final class Refused extends InvalidArchiveException {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message);
        }
    }

    /** The store's stream, remembering whether it failed (not a participant, not the reader). */
    private static final class WatchedSource extends FilterInputStream {
        volatile boolean failed;

        WatchedSource(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            try {
                return in.read();
            } catch (IOException | RuntimeException e) {
                failed = true;
                throw e;
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return in.read(b, off, len);
            } catch (IOException | RuntimeException e) {
                failed = true;
                throw e;
            }
        }
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
