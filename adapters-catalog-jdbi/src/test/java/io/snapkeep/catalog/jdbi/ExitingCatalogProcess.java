package io.snapkeep.catalog.jdbi;

import io.snapkeep.core.domain.Snapshot;
import io.snapkeep.core.domain.SnapshotId;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;

/**
 * The child process of {@link CatalogShutdownTest}: a catalog that is closed by the application's own shutdown
 * hook, after the hook has finished some last work with it, as the packaged server does (it stops the HTTP
 * server first, which lets requests in flight write to the catalog, and closes the catalog last).
 *
 * <p>Prints {@code ack <id>} for each snapshot inserted, {@code closed} once the catalog is closed, and
 * {@code failed <message>} if the hook could not use the catalog. Argument: the database directory.
 */
public final class ExitingCatalogProcess {
    /** How long the hook works before its last write: in-flight requests draining, say. */
    private static final long SHUTDOWN_WORK_MILLIS = 500;

    private static final PrintStream OUT = new PrintStream(System.out, true, StandardCharsets.UTF_8);

    private ExitingCatalogProcess() {
    }

    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        JdbiCatalog catalog = JdbiCatalog.open(TestDatabases.fileUrl(dir), "sa", "");
        insert(catalog, "before-exit");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                Thread.sleep(SHUTDOWN_WORK_MILLIS);
                insert(catalog, "during-shutdown");
                catalog.close();
                OUT.println("closed");
            } catch (InterruptedException | RuntimeException e) {
                OUT.println("failed " + e.getMessage().replace('\n', ' '));
            }
        }, "application-shutdown"));
        System.exit(0);
    }

    private static void insert(JdbiCatalog catalog, String id) {
        catalog.snapshots().insert(Snapshot.creating(SnapshotId.of(id), "admin", Instant.now()));
        OUT.println("ack " + id);
    }
}
