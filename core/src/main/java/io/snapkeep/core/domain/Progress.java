package io.snapkeep.core.domain;

/**
 * How far an execution has come: archive entries planned and done ({@code total_operations} and
 * {@code finished_operations}; 0 while unknown) and bytes processed.
 */
public record Progress(long totalOperations, long finishedOperations, long bytes) {
    public static final Progress NONE = new Progress(0, 0, 0);

    public Progress {
        if (totalOperations < 0 || finishedOperations < 0 || bytes < 0) {
            throw new IllegalArgumentException("progress figures must not be negative");
        }
    }

    public Progress withTotal(long total) {
        return new Progress(total, finishedOperations, bytes);
    }

    public Progress plusEntry(long entryBytes) {
        long finished = finishedOperations + 1;
        return new Progress(Math.max(totalOperations, finished), finished, bytes + entryBytes);
    }
}
