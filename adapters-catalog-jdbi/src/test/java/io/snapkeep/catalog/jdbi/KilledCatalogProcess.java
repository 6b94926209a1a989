package io.snapkeep.catalog.jdbi;

import io.snapkeep.core.domain.ArchiveInfo;
import io.snapkeep.core.domain.Execution;
import io.snapkeep.core.domain.ExecutionEvent;
import io.snapkeep.core.domain.Progress;
import io.snapkeep.core.domain.Snapshot;
import io.snapkeep.core.domain.SnapshotId;
import io.snapkeep.core.domain.SnapshotStatus;
import io.snapkeep.core.domain.Workflow;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The child process of {@link CatalogSurvivesKillTest}: a catalog used the way the server uses it, until it is
 * killed. It opens the catalog as production does, writes through the ports and prints one line for each
 * write after the port returned (the write is then acknowledged), keeps a progress update going on a timer
 * like a running workflow does, stays idle apart from that for a while, makes one last acknowledged write and
 * prints {@value #LAST} — then waits to be killed.
 *
 * <p>Lines: {@code ack <key> <value>}, where the key names one row (or the event count of one execution) and
 * the value is what a reader must find there after the kill ({@code absent} for a deleted row); for
 * {@code progress:} keys it is a lower bound, since updates keep coming until the kill.
 *
 * <p>Arguments: the database directory, the idle gap in milliseconds, the progress period in milliseconds (0:
 * none), and optionally settings appended to the H2 URL and a prefix for the snapshot ids (so that a second
 * life of the process on the same file writes rows of its own).
 */
public final class KilledCatalogProcess {
    static final String LAST = "last-acknowledged";
    static final String PROGRESS = "progress:";

    private static final PrintStream OUT = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    private static final String SHA = "ab".repeat(32);

    private KilledCatalogProcess() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        long gapMillis = Long.parseLong(args[1]);
        long tickMillis = Long.parseLong(args[2]);
        String settings = args.length > 3 ? args[3] : "";
        String prefix = args.length > 4 ? args[4] : "";
        JdbiCatalog catalog = JdbiCatalog.open(TestDatabases.fileUrl(dir) + settings, "sa", "");
        Instant t0 = Instant.now();

        // A busy start: snapshots created, some failed and deleted, executions with their events.
        for (int i = 0; i < 30; i++) {
            Snapshot creating = Snapshot.creating(SnapshotId.of(prefix + "snap-" + i), "admin", t0.plusMillis(i));
            catalog.snapshots().insert(creating);
            ack("snapshot:" + creating.id(), "creating");
            Execution execution = Execution.newExecution(Workflow.CREATE_SNAPSHOT, creating.id(),
                    Map.of("snapshot_id", creating.id().value()), "admin", t0.plusMillis(i), false);
            catalog.executions().insert(execution);
            ack("execution:" + execution.id(), "pending");
            Execution started = execution.started(t0.plusMillis(i));
            catalog.executions().update(execution.status(), started);
            ack("execution:" + execution.id(), "started");
            for (int e = 1; e <= 5; e++) {
                catalog.events().append(ExecutionEvent.event(started, t0.plusMillis(i * 10L + e), "workflow_event",
                        "step " + e + " of snapshot " + i));
                ack("events:" + execution.id(), Integer.toString(e));
            }
            Progress progress = new Progress(10, 10, 1000L * i);
            catalog.executions().updateProgress(execution.id(), progress);
            ack(PROGRESS + execution.id(), "10");
            started = started.progressed(progress);
            boolean fail = i % 3 == 0;
            catalog.snapshots().update(SnapshotStatus.CREATING,
                    fail ? creating.failed("broke") : creating.created(new ArchiveInfo(1000L * i, SHA)));
            ack("snapshot:" + creating.id(), fail ? "failed" : "created");
            Execution ended = fail ? started.failed("broke", t0.plusMillis(i)) : started.terminated(t0.plusMillis(i));
            catalog.executions().update(started.status(), ended);
            ack("execution:" + execution.id(), ended.status().wireName());
            if (i % 5 == 4) {
                catalog.snapshots().delete(SnapshotId.of(prefix + "snap-" + (i - 2)));
                ack("snapshot:" + prefix + "snap-" + (i - 2), "absent");
            }
        }

        // A running workflow reports progress on a timer, as the server's runner does.
        Snapshot running = Snapshot.creating(SnapshotId.of(prefix + "running"), "admin", t0);
        catalog.snapshots().insert(running);
        ack("snapshot:" + running.id(), "creating");
        Execution ticking = Execution.newExecution(Workflow.CREATE_SNAPSHOT, running.id(), Map.of(), "admin", t0,
                false).started(t0);
        catalog.executions().insert(ticking);
        ack("execution:" + ticking.id(), "started");
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "progress");
            t.setDaemon(true);
            return t;
        });
        AtomicLong done = new AtomicLong();
        if (tickMillis > 0) {
            timer.scheduleWithFixedDelay(() -> {
                long n = done.incrementAndGet();
                catalog.executions().updateProgress(ticking.id(), new Progress(1_000_000, n, n * 4096));
                ack(PROGRESS + ticking.id(), Long.toString(n));
            }, tickMillis, tickMillis, TimeUnit.MILLISECONDS);
        }

        Thread.sleep(gapMillis);

        // After the gap: a status change, a delete, an event, and a new row, each acknowledged.
        catalog.snapshots().update(SnapshotStatus.CREATING, running.created(new ArchiveInfo(7, SHA)));
        ack("snapshot:" + running.id(), "created");
        catalog.snapshots().delete(SnapshotId.of(prefix + "snap-1"));
        ack("snapshot:" + prefix + "snap-1", "absent");
        catalog.events().append(ExecutionEvent.event(ticking, t0.plusSeconds(1), "workflow_event", "after the gap"));
        ack("events:" + ticking.id(), "1");
        Snapshot last = Snapshot.creating(SnapshotId.of(prefix + "after-gap"), "admin", t0.plusMillis(gapMillis));
        catalog.snapshots().insert(last);
        ack("snapshot:" + last.id(), "creating");
        OUT.println(LAST);
        Thread.sleep(Long.MAX_VALUE);
    }

    private static synchronized void ack(String key, String value) {
        OUT.println("ack " + key + " " + value);
    }
}
