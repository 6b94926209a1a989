package io.snapkeep.core.application.archive;

/**
 * Told what a writer or reader is doing, as it does it: for progress figures and cooperative cancellation.
 * Either method may throw an unchecked exception (the engine throws its cancellation exception) to stop
 * the writer or reader at once; the writer or reader lets it propagate unchanged.
 */
public interface ArchiveObserver {
    ArchiveObserver NONE = new ArchiveObserver() {
    };

    /**
     * An entry (of a participant, not metadata or manifest) is complete: {@code path} is its full archive path
     * ({@code participants/<name>/<path>}), {@code bytes} its uncompressed size.
     */
    default void entryDone(String path, long bytes) {
    }

    /**
     * Called at least every few MiB while long entries are copied, with the uncompressed bytes copied since
     * the last call. Every uncompressed byte of every participant entry is reported once, so the calls add up
     * to the archive's expanded bytes.
     */
    default void copied(long bytes) {
    }
}
