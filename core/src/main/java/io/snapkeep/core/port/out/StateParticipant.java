package io.snapkeep.core.port.out;

import io.snapkeep.core.domain.StateCategory;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;

/**
 * One piece of the host's state that snapshots capture and restore: a directory, some tables, anything the
 * host plugs in. The engine calls a participant from one thread at a time.
 *
 * <p>Restore is two-phase so that a failure anywhere leaves every participant as it was:
 * {@link #prepareRestore} stages the new state without touching the live one, then the engine calls
 * {@link RestorePlan#commit()} on every participant's plan; if anything fails it calls
 * {@link RestorePlan#rollback()} on every plan, committed or not.
 *
 * <p>What every implementation promises (the contract suite {@code StateParticipantContract} in core's
 * test-jar checks it):
 * <ul>
 *   <li>Restoring what {@link #exportTo} wrote gives back the same state, an empty state included.</li>
 *   <li>{@link #prepareRestore} changes no live state, whether it succeeds or fails; a failed one leaves
 *       nothing in the way of the next restore.</li>
 *   <li>{@link RestorePlan#commit()} then {@link RestorePlan#rollback()} gives back the state from before;
 *       {@code rollback} and {@link RestorePlan#release()} may each be called twice.</li>
 *   <li>Content that is not what this participant's export writes (an unsafe or unexpected path, an entry
 *       twice, a malformed entry) is refused with {@link io.snapkeep.core.error.InvalidArchiveException}, never
 *       with an {@link IOException}, which would be reported as an I/O error. A failure of the entries' own
 *       streams propagates, as itself or as a cause.</li>
 *   <li>Entries stream both ways: memory does not grow with an entry's size, so entries of several GiB pass
 *       (a participant whose storage cannot take that in reasonable time says so).</li>
 *   <li>{@link #isEmpty()} tells the truth before and after every step.</li>
 * </ul>
 */
public interface StateParticipant {

    /** A unique name, used as the archive folder {@code participants/<name>/}; the id rules of snapshot ids. */
    String name();

    /** Which create option selects it; {@link StateCategory#STATE} is always included. */
    StateCategory category();

    /**
     * Whether this participant holds no state now; a restore over non-empty state needs {@code force}. True
     * after restoring the export of an empty participant.
     */
    boolean isEmpty() throws IOException;

    /**
     * How many entries {@link #exportTo} will write, if cheaply known, for progress figures; 0 when unknown.
     */
    default long plannedEntries() throws IOException {
        return 0;
    }

    /**
     * How many uncompressed bytes {@link #exportTo} will write, if cheaply known, for progress figures and the
     * time left; {@code -1} when unknown (the default). An estimate: the export may write somewhat more (its
     * own index entries) or differ when the state changes meanwhile.
     */
    default long plannedBytes() throws IOException {
        return -1;
    }

    /**
     * Writes the current state as entries into {@code sink}, changing nothing. Entry paths are relative, use
     * {@code /}, have no empty, {@code .} or {@code ..} segment, and are unique. Must not close {@code sink}.
     * An exception aborts the whole create.
     */
    void exportTo(ExportSink sink) throws IOException;

    /**
     * Stages the state read from {@code entries} (this participant's entries, in archive order, paths as
     * written) without changing the live state. The engine verifies the archive's checksums only after
     * every participant has read its entries, so a participant must not commit anything here.
     *
     * @throws io.snapkeep.core.error.InvalidArchiveException when an entry is not one this participant's
     *         export could have written; the live state is unchanged and nothing staged is left behind
     * @throws IOException when staging fails or the entries cannot be read (the entries' own exception, or one
     *         caused by it); the live state is unchanged
     */
    RestorePlan prepareRestore(EntrySource entries) throws IOException;

    /**
     * Called once at start-up, before any execution runs, after a previous process may have died.
     * {@code restoreInterrupted} says whether a restore was cut off: then a participant whose commit had
     * begun puts back the state from before that restore. Either way it removes what earlier restores
     * left behind (staging copies, kept old state). Does nothing by default.
     */
    default void recover(boolean restoreInterrupted) throws IOException {
    }

    /** Where a participant writes its entries during a create. */
    interface ExportSink {
        /**
         * Opens a new entry of unknown size. Write its bytes, then close the stream before opening the
         * next entry.
         */
        OutputStream newEntry(String path) throws IOException;

        /**
         * Adds an entry whose size is known up front, copying {@code content} (which the caller closes).
         * Preferred for files: the engine can store large incompressible content without deflating it.
         */
        void addEntry(String path, long size, InputStream content) throws IOException;
    }

    /** The entries of one participant during a restore, read in order. */
    interface EntrySource {
        /**
         * The next entry, or empty at the end. The previous entry's stream is finished (and drained) when
         * this is called again.
         */
        Optional<Entry> next() throws IOException;
    }

    /** One archive entry being restored: its path relative to the participant, and its bytes. */
    record Entry(String path, InputStream content) {
    }

    /** The staged result of {@link #prepareRestore}. */
    interface RestorePlan {
        /** Makes the staged state live. */
        void commit() throws IOException;

        /**
         * Puts the state back as it was before {@link #prepareRestore}, whether or not {@link #commit()}
         * ran, and discards what was staged. Must be safe to call more than once: later calls do nothing.
         */
        void rollback() throws IOException;

        /**
         * Releases what the plan kept to roll back with, after every participant committed; the restored
         * state stays live. A second call does nothing.
         */
        void release() throws IOException;
    }
}
