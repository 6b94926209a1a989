package io.snapkeep.core.application.archive;

/**
 * Tells an {@link ArchiveObserver} about one entry as its bytes pass: {@code copied} at least every
 * {@link #STEP} bytes and once more with the rest, then {@code entryDone}. The writer and the reader report
 * alike through it, so the calls of either add up to the archive's expanded bytes.
 */
final class EntryProgress {
    static final long STEP = 4L << 20;

    private final ArchiveObserver observer;
    private long unreported;

    EntryProgress(ArchiveObserver observer) {
        this.observer = observer;
    }

    /** Tells of a whole entry at once. */
    static void whole(ArchiveObserver observer, String name, long size) {
        EntryProgress progress = new EntryProgress(observer);
        progress.copied(size);
        progress.done(name, size);
    }

    void copied(long bytes) {
        unreported += bytes;
        if (unreported >= STEP) {
            report();
        }
    }

    /** Entry {@code name} (its full archive path) is complete, with {@code size} uncompressed bytes. */
    void done(String name, long size) {
        if (unreported > 0) {
            report();
        }
        observer.entryDone(name, size);
    }

    private void report() {
        long n = unreported;
        unreported = 0;
        observer.copied(n);
    }
}
