package io.snapkeep.core.application;

import io.snapkeep.core.domain.SnapshotId;
import io.snapkeep.core.port.in.Reconcile.ReconcileReport;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** What one reconciliation found and did (or, in a dry run, would do): its report and its one log line. */
final class Findings {
    /** Ids shown in the log line per kind; the rest are counted. */
    static final int IDS_SHOWN = 20;

    final List<SnapshotId> imported = new ArrayList<>();
    final List<SnapshotId> completed = new ArrayList<>();
    final List<SnapshotId> missing = new ArrayList<>();
    final List<SnapshotId> adopted = new ArrayList<>();
    final List<SnapshotId> recorded = new ArrayList<>();
    final List<SnapshotId> damaged = new ArrayList<>();
    final List<SnapshotId> removedUploads = new ArrayList<>();
    final List<SnapshotId> failedCreates = new ArrayList<>();
    final List<String> leftAlone = new ArrayList<>();
    int failedExecutions;
    int stagedRemoved;
    boolean catalogRebuilt;

    /** Adds what {@code other} found after what this one found. */
    void add(Findings other) {
        imported.addAll(other.imported);
        completed.addAll(other.completed);
        missing.addAll(other.missing);
        adopted.addAll(other.adopted);
        recorded.addAll(other.recorded);
        damaged.addAll(other.damaged);
        removedUploads.addAll(other.removedUploads);
        failedCreates.addAll(other.failedCreates);
        leftAlone.addAll(other.leftAlone);
        failedExecutions += other.failedExecutions;
        stagedRemoved += other.stagedRemoved;
    }

    ReconcileReport report(boolean dryRun) {
        return new ReconcileReport(imported, completed, missing, damaged, adopted, stagedRemoved, catalogRebuilt,
                dryRun);
    }

    /** Every kind, with its count and first ids: imported, completed, missing, adopted and removed always. */
    String logLine(boolean dryRun) {
        StringBuilder line = new StringBuilder(dryRun
                ? "Reconciliation dry run (nothing was changed); it would have: "
                : "Reconciled the catalog with the archive store: ");
        line.append("imported ").append(ids(imported))
                .append("; completed ").append(ids(completed))
                .append("; failed as missing from the store ").append(ids(missing))
                .append("; adopted from the previous layout ").append(ids(adopted))
                .append("; removed ").append(ids(removedUploads)).append(" unfinished upload(s) and ")
                .append(dryRun ? "any" : String.valueOf(stagedRemoved)).append(" staged write(s)");
        optional(line, "records written from the catalog", recorded);
        optional(line, "failed as damaged", damaged);
        optional(line, "interrupted creates failed", failedCreates);
        if (failedExecutions > 0) {
            line.append("; interrupted executions failed ").append(failedExecutions);
        }
        if (!leftAlone.isEmpty()) {
            line.append("; archives left as they are ").append(shown(leftAlone));
        }
        return line.toString();
    }

    private static void optional(StringBuilder line, String what, List<SnapshotId> ids) {
        if (!ids.isEmpty()) {
            line.append("; ").append(what).append(' ').append(ids(ids));
        }
    }

    private static String ids(List<SnapshotId> ids) {
        return shown(ids.stream().map(SnapshotId::value).toList());
    }

    /** {@code 0}, or {@code 3 [a, b, c]}, or {@code 25 [first 20, ... and 5 more]}. */
    static String shown(List<String> names) {
        if (names.isEmpty()) {
            return "0";
        }
        String first = names.stream().limit(IDS_SHOWN).collect(Collectors.joining(", "));
        String more = names.size() > IDS_SHOWN ? ", ... and " + (names.size() - IDS_SHOWN) + " more" : "";
        return names.size() + " [" + first + more + "]";
    }
}
