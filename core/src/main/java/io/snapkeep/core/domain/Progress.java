package io.snapkeep.core.domain;

import java.util.Objects;
import java.util.OptionalDouble;

/**
 * How far a piece of work has come. {@code totalOperations} and {@code finishedOperations} are the archive
 * entries planned and done, as Cloudify clients read them ({@code total_operations}, {@code finished_operations};
 * 0 while unknown). The rest is Snapkeep's own richer view:
 *
 * @param bytes          the bytes done so far (what they count depends on the workflow; see {@link #phase})
 * @param phase          what the work is doing now, a name of {@link Phases}; {@code ""} before it began
 * @param bytesTotal     the bytes the work will have done at its end, or {@link #UNKNOWN}
 * @param entriesTotal   the entries the work will have done at its end, or {@link #UNKNOWN}
 * @param bytesPerSecond the recent rate of {@code bytes}, or {@link #UNKNOWN} until it can be measured
 * @param etaSeconds     the estimated seconds until the work ends, or {@link #UNKNOWN}
 */
public record Progress(long totalOperations, long finishedOperations, long bytes, String phase, long bytesTotal,
                       long entriesTotal, long bytesPerSecond, long etaSeconds) {
    /** The value of a figure not known (yet). */
    public static final long UNKNOWN = -1;
    public static final Progress NONE = new Progress(0, 0, 0);

    /** The phase names, per workflow. */
    public static final class Phases {
        /** Create: the participants are asked how much they will export. */
        public static final String ESTIMATING = "estimating";
        /** Create: the participants export into the archive; bytes are their uncompressed bytes. */
        public static final String WRITING = "writing";
        /** Restore: the archive is opened and its metadata checked. */
        public static final String READING = "reading";
        /** Restore: the participants stage the archive's entries; bytes are archive bytes read. */
        public static final String STAGING = "staging";
        /** Upload: the archive arrives and is validated as it streams; bytes are archive bytes received. */
        public static final String RECEIVING = "receiving";
        /** Every workflow: its point of no return (the archive or the staged state made permanent). */
        public static final String COMMITTING = "committing";
        /** Every workflow: it succeeded. */
        public static final String DONE = "done";

        private Phases() {
        }
    }

    /** Entries and bytes only: no phase, no totals, no rate. */
    public Progress(long totalOperations, long finishedOperations, long bytes) {
        this(totalOperations, finishedOperations, bytes, "", UNKNOWN, UNKNOWN, UNKNOWN, UNKNOWN);
    }

    public Progress {
        if (totalOperations < 0 || finishedOperations < 0 || bytes < 0) {
            throw new IllegalArgumentException("progress figures must not be negative");
        }
        phase = Objects.requireNonNull(phase, "phase");
        if (bytesTotal < UNKNOWN || entriesTotal < UNKNOWN || bytesPerSecond < UNKNOWN || etaSeconds < UNKNOWN) {
            throw new IllegalArgumentException("an optional progress figure is known (0 or more) or UNKNOWN");
        }
    }

    public Progress withTotal(long total) {
        return new Progress(total, finishedOperations, bytes, phase, bytesTotal, entriesTotal, bytesPerSecond,
                etaSeconds);
    }

    public Progress plusEntry(long entryBytes) {
        long finished = finishedOperations + 1;
        long done = bytes + entryBytes;
        return new Progress(Math.max(totalOperations, finished), finished, done, phase, atLeast(bytesTotal, done),
                atLeast(entriesTotal, finished), bytesPerSecond, etaSeconds);
    }

    public Progress plusBytes(long more) {
        long done = bytes + more;
        return new Progress(totalOperations, finishedOperations, done, phase, atLeast(bytesTotal, done),
                entriesTotal, bytesPerSecond, etaSeconds);
    }

    /**
     * A known total that the work has outgrown becomes what is done: an estimate that proved low (a create's
     * participants cannot count the index entries they write) grows with the work, so that what is done never
     * exceeds the total.
     */
    private static long atLeast(long total, long done) {
        return total >= 0 && done > total ? done : total;
    }

    public Progress inPhase(String newPhase) {
        return new Progress(totalOperations, finishedOperations, bytes, newPhase, bytesTotal, entriesTotal,
                bytesPerSecond, etaSeconds);
    }

    /** The same with these totals ({@link #UNKNOWN} where not known). */
    public Progress withTotals(long newBytesTotal, long newEntriesTotal) {
        return new Progress(totalOperations, finishedOperations, bytes, phase, newBytesTotal, newEntriesTotal,
                bytesPerSecond, etaSeconds);
    }

    /** The same with this rate and estimate ({@link #UNKNOWN} where not known). */
    public Progress withRate(long newBytesPerSecond, long newEtaSeconds) {
        return new Progress(totalOperations, finishedOperations, bytes, phase, bytesTotal, entriesTotal,
                newBytesPerSecond, newEtaSeconds);
    }

    /** The figures of work that succeeded: phase {@link Phases#DONE}, nothing left to wait for. */
    public Progress done() {
        return new Progress(totalOperations, finishedOperations, bytes, Phases.DONE, bytesTotal, entriesTotal,
                bytesPerSecond, 0);
    }

    /**
     * How much is done, 0 to 100 with one decimal: 100 exactly when {@code succeeded}; otherwise from the bytes
     * when their total is known, else from the entries, capped below 100 (the commit is still to come); empty
     * when neither total is known.
     */
    public OptionalDouble percent(boolean succeeded) {
        if (succeeded) {
            return OptionalDouble.of(100);
        }
        if (bytesTotal > 0) {
            return OptionalDouble.of(share(bytes, bytesTotal));
        }
        if (entriesTotal > 0) {
            return OptionalDouble.of(share(finishedOperations, entriesTotal));
        }
        if (bytesTotal == 0 || entriesTotal == 0) {
            return OptionalDouble.of(share(0, 1));
        }
        return OptionalDouble.empty();
    }

    private static double share(long done, long total) {
        long tenths = Math.min(999, Math.floorDiv(Math.min(done, total) * 1000, total));
        return tenths / 10.0;
    }
}
