package io.snapkeep.app;

import io.snapkeep.app.config.SnapkeepConfig;
import io.snapkeep.core.domain.SnapshotId;
import io.snapkeep.core.port.in.Reconcile.ReconcileReport;
import io.snapkeep.core.support.Secrets;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * {@code java -jar snapkeep.jar reconcile [--dry-run]}: opens the catalog, the archive store and the
 * participants of the configuration (not the HTTP port), brings the catalog in line with the store through
 * {@code Snapkeep.reconcile} on a Snapkeep that is built but not started (so it first recovers what a stopped
 * process left, as a start does; a dry run changes nothing), and prints what it did, or with
 * {@code --dry-run} what it would do.
 *
 * <p>Exit codes:
 * <ul>
 *   <li>0: done, or nothing to do; with {@code --dry-run}: catalog and store agree.
 *   <li>1: with {@code --dry-run}: changes would be made. Without: snapshots of the catalog have no archive in
 *       the store (they are marked failed, but nothing can bring their archives back), or the catalog or the
 *       store could not be reached, or reconciling failed.
 *   <li>2: a bad command line or configuration (see {@link Main}).
 * </ul>
 * An embedded H2 catalog is a file one process opens at a time: the server must be stopped first.
 */
final class ReconcileCommand {
    static final int OK = 0;
    static final int NOT_SETTLED = 1;

    private ReconcileCommand() {
    }

    static int run(SnapkeepConfig config, boolean dryRun, PrintStream out, PrintStream err) {
        String catalog = Secrets.maskUrl(config.catalog().url());
        String storage = config.storage().type() + " " + config.storage().where();
        Backend backend;
        try {
            backend = Backend.open(config);
        } catch (RuntimeException e) {
            err.println("reconcile: could not open the catalog (" + catalog + ") and the store (" + storage + "): "
                    + e.getMessage());
            if (isLockedH2(config.catalog().url(), e)) {
                err.println("reconcile: the H2 catalog file is open in another process, most likely the running "
                        + "server; stop the server first (SIGTERM lets it finish), then run reconcile again");
            }
            return NOT_SETTLED;
        }
        try (backend) {
            ReconcileReport report = backend.snapkeep().reconcile(dryRun);
            print(report, catalog, storage, out);
            return exitCode(report);
        } catch (RuntimeException e) {
            err.println("reconcile: failed: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            return NOT_SETTLED;
        }
    }

    /** What the process exits with after {@code report}; see the class comment. */
    static int exitCode(ReconcileReport report) {
        if (report.dryRun()) {
            return report.inAgreement() ? OK : NOT_SETTLED;
        }
        return report.missing().isEmpty() && report.damaged().isEmpty() ? OK : NOT_SETTLED;
    }

    static void print(ReconcileReport r, String catalog, String storage, PrintStream out) {
        boolean dry = r.dryRun();
        out.println("Reconciling catalog " + catalog + " with storage " + storage
                + (dry ? " (dry run: nothing is changed)" : ""));
        line(out, dry ? "to import" : "imported", r.imported(),
                "complete archives the catalog did not list, listed again from their records");
        line(out, dry ? "to complete" : "completed", r.completed(),
                "snapshots whose archive was committed when the process stopped");
        line(out, dry ? "to mark failed" : "marked failed", r.missing(),
                "catalog rows whose archive is not in the store");
        line(out, dry ? "to mark damaged" : "marked damaged", r.damaged(),
                "snapshots whose archive at rest differs from its record");
        line(out, dry ? "to adopt" : "adopted", r.adopted(),
                "archives of the previous release's layout moved into the current one");
        if (dry) {
            out.printf(Locale.ROOT, "%-16s -  (%s)%n", "staged to remove",
                    "staged writes left by a stopped process: a dry run does not count them");
        } else {
            out.printf(Locale.ROOT, "%-16s %d  (staged writes left by a stopped process)%n", "staged removed",
                    r.stagedRemoved());
        }
        out.println("catalog rebuilt from the store: " + (r.catalogRebuilt() ? "yes" : "no"));
        int changes = r.imported().size() + r.completed().size() + r.missing().size() + r.damaged().size()
                + r.adopted().size() + r.stagedRemoved();
        if (r.inAgreement()) {
            out.println("Catalog and store agree: nothing to do.");
        } else if (dry) {
            out.println(changes + " change(s) would be made; run without --dry-run to make them.");
        } else {
            out.println(changes + " change(s) made.");
        }
        if (!r.missing().isEmpty()) {
            out.println("Warning: " + r.missing().size() + " snapshot(s) listed in the catalog have no archive in the"
                    + " store; " + (dry ? "they would be failed, unless the previous release's copy of an archive is"
                    + " found and moved into the layout" : "they are now failed and cannot be restored") + ".");
        }
    }

    private static void line(PrintStream out, String label, List<SnapshotId> ids, String meaning) {
        String listed = ids.stream().map(SnapshotId::value).collect(Collectors.joining(", "));
        out.printf(Locale.ROOT, "%-16s %d%s  (%s)%n", label, ids.size(), ids.isEmpty() ? "" : ": " + listed, meaning);
    }

    /** Whether {@code e} says an embedded H2 file is locked by another process. */
    static boolean isLockedH2(String url, Throwable e) {
        if (!url.startsWith("jdbc:h2:") || url.startsWith("jdbc:h2:tcp:") || url.startsWith("jdbc:h2:mem:")) {
            return false;
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = t.getMessage() == null ? "" : t.getMessage().toLowerCase(Locale.ROOT);
            if (m.contains("already in use") || m.contains("locked")) {
                return true;
            }
        }
        return false;
    }
}
