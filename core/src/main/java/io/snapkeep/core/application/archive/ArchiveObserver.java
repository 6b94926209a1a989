package io.snapkeep.core.application.archive;

/**
 * Told what a writer or reader is doing, as it does it: for progress figures and cooperative cancellation.
 * Either method may throw an unchecked exception (the engine throws its cancellation exception) to stop
 * the writer or reader at once; the writer or reader lets it propagate unchanged.
 */
public interface ArchiveObserver {
    ArchiveObserver NONE = new ArchiveObserver() {
    };

    /** An entry (of a participant, not metadata or manifest) is complete: {@code bytes} uncompressed bytes. */
    default void entryDone(String path, long bytes) {
    }

    /**
     * Called at least every few MiB while long entries are copied, with the uncompressed bytes copied since
     * the last call.
     */
    default void copied(long bytes) {
    }
}
