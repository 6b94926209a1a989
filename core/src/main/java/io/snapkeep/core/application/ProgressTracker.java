package io.snapkeep.core.application;

import io.snapkeep.core.application.archive.ArchiveObserver;
import io.snapkeep.core.domain.Progress;
import io.snapkeep.core.support.DaemonThreads;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * Counts entries and bytes as an archive is written or read, measures the rate, and stores the figures at
 * most every {@link #STORE_INTERVAL_NANOS} (the catalog is not a hot path, yet another node or a poller
 * should see them move) and at every phase change, which it also tells {@code onPhase} about. Checks for
 * cancellation at every step.
 *
 * <p>What the bytes count is the workflow's choice: either the uncompressed bytes of the entries
 * ({@link #entryBytes}, for a create, whose archive size is not known up front), or the bytes passing through
 * {@link #counting} (a restore's archive as it is read, an upload's as it arrives). The archive reader may
 * read on a thread of its own, so every method is synchronized.
 */
final class ProgressTracker implements ArchiveObserver {
    static final long STORE_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(250);
    /** The longest the stored figures go without a store while the work runs, bytes moving or not. */
    static final long HEARTBEAT_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final Predicate<Progress> store;
    private final LongSupplier nanos;
    private final Runnable cancelCheck;
    private final boolean entryBytes;
    private final Consumer<Progress> onPhase;
    private final RateMeter rate = new RateMeter();
    private Progress progress = Progress.NONE;
    private long lastStored;
    /** Bytes reported through {@link #copied} for the entry in progress, so entryDone does not count twice. */
    private long copiedInEntry;

    /**
     * @param store      stores the figures (the catalog's updateProgress)
     * @param nanos      a monotonic clock in nanoseconds
     * @param entryBytes whether the bytes are the entries' uncompressed bytes, or those read through
     *                   {@link #counting}
     * @param onPhase    told the figures at each new phase, before they are stored
     */
    ProgressTracker(Predicate<Progress> store, LongSupplier nanos, Runnable cancelCheck, boolean entryBytes,
                    Consumer<Progress> onPhase) {
        this.store = store;
        this.nanos = nanos;
        this.cancelCheck = cancelCheck;
        this.entryBytes = entryBytes;
        this.onPhase = onPhase;
        this.lastStored = nanos.getAsLong();
    }

    /** Cloudify's planned operations: the entries expected, 0 when unknown. */
    synchronized void planned(long totalEntries) {
        progress = progress.withTotal(Math.max(0, totalEntries));
        store();
    }

    /** The totals once they are known ({@link Progress#UNKNOWN} for one not known). */
    synchronized void totals(long bytesTotal, long entriesTotal) {
        progress = progress.withTotals(bytesTotal, entriesTotal);
    }

    /** A new phase: told and stored at once. */
    synchronized void phase(String phase) {
        if (phase.equals(progress.phase())) {
            return;
        }
        measure();
        progress = progress.inPhase(phase);
        onPhase.accept(progress);
        store();
    }

    @Override
    public synchronized void entryDone(String path, long bytes) {
        cancelCheck.run();
        progress = progress.plusEntry(entryBytes ? Math.max(0, bytes - copiedInEntry) : 0);
        copiedInEntry = 0;
        maybeStore();
    }

    @Override
    public synchronized void copied(long bytes) {
        cancelCheck.run();
        if (entryBytes) {
            copiedInEntry += bytes;
            progress = progress.plusBytes(bytes);
            maybeStore();
        }
    }

    /** {@code in}, counting every byte read from it into the progress (for a tracker not of entry bytes). */
    InputStream counting(InputStream in) {
        return new FilterInputStream(in) {
            @Override
            public int read() throws IOException {
                int b = in.read();
                if (b >= 0) {
                    counted(1);
                }
                return b;
            }

            @Override
            public int read(byte[] buf, int off, int len) throws IOException {
                int n = in.read(buf, off, len);
                if (n > 0) {
                    counted(n);
                }
                return n;
            }

            @Override
            public long skip(long n) throws IOException {
                long skipped = in.skip(n);
                if (skipped > 0) {
                    counted(skipped);
                }
                return skipped;
            }
        };
    }

    private synchronized void counted(long bytes) {
        progress = progress.plusBytes(bytes);
        maybeStore();
    }

    synchronized Progress progress() {
        return progress;
    }

    /** The figures of the work done, with the rate of its last stretch. */
    synchronized Progress done() {
        measure();
        return progress.done();
    }

    /** Stores the figures now, whatever the interval. */
    synchronized void store() {
        measure();
        store.test(progress);
        lastStored = nanos.getAsLong();
    }

    /**
     * Stores the figures whenever {@link #HEARTBEAT_NANOS} passed without a store, until closed: a long
     * stretch without bytes (a participant's walk, a slow disk, a commit) still shows a current rate and a
     * live row to pollers and to other nodes.
     */
    Heartbeat heartbeat() {
        ScheduledExecutorService beat = Executors.newSingleThreadScheduledExecutor(
                DaemonThreads.named("snapkeep-progress"));
        beat.scheduleWithFixedDelay(this::tick, HEARTBEAT_NANOS / 4, HEARTBEAT_NANOS / 4, TimeUnit.NANOSECONDS);
        return beat::shutdown;
    }

    /** A running {@link #heartbeat}; closing it stops it. */
    interface Heartbeat extends AutoCloseable {
        @Override
        void close();
    }

    /** One beat: a store when the last one is {@link #HEARTBEAT_NANOS} old. */
    synchronized void tick() {
        if (nanos.getAsLong() - lastStored >= HEARTBEAT_NANOS) {
            try {
                store();
            } catch (RuntimeException e) {
                // The work's own next store reports a catalog that fails; a beat only keeps the row fresh.
                lastStored = nanos.getAsLong();
            }
        }
    }

    /** The event of a new phase: its name and what is expected of it, e.g. "Phase: writing (1.0 GiB, 257 entries)". */
    static String phaseMessage(Progress p) {
        List<String> expected = new ArrayList<>();
        if (p.bytesTotal() >= 0) {
            expected.add(bytes(p.bytesTotal()));
        }
        if (p.entriesTotal() >= 0) {
            expected.add(p.entriesTotal() + " entries");
        }
        String done = p.bytes() > 0 ? bytes(p.bytes()) + " done" : "";
        String details = String.join(", ", expected);
        if (!done.isEmpty()) {
            details = details.isEmpty() ? done : details + "; " + done;
        }
        return "Phase: " + p.phase() + (details.isEmpty() ? "" : " (" + details + ")");
    }

    private static String bytes(long n) {
        if (n < 1024) {
            return n + " bytes";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB"};
        double v = n;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }

    private void maybeStore() {
        if (nanos.getAsLong() - lastStored >= STORE_INTERVAL_NANOS) {
            store();
        }
    }

    private void measure() {
        rate.sample(nanos.getAsLong(), progress.bytes());
        progress = progress.withRate(rate.bytesPerSecond(), rate.etaSeconds(progress.bytesTotal()));
    }
}
