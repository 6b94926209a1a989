package io.snapkeep.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.snapkeep.core.domain.SnapshotId;
import io.snapkeep.core.port.in.Reconcile.ReconcileReport;
import io.snapkeep.core.error.StorageUnavailableException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The reconcile command's report and exit codes, for each kind of report. */
class ReconcileCommandTest {
    private static final List<SnapshotId> NONE = List.of();

    @Test
    void agreement_exits_zero_in_a_dry_run_and_in_a_real_one() {
        for (boolean dry : new boolean[] {true, false}) {
            ReconcileReport report = new ReconcileReport(NONE, NONE, NONE, NONE, NONE, 0, false, dry);
            assertThat(ReconcileCommand.exitCode(report)).isZero();
            assertThat(printed(report)).contains("Catalog and store agree: nothing to do.");
        }
    }

    @Test
    void a_dry_run_that_would_change_something_exits_one_and_lists_what() {
        ReconcileReport report = new ReconcileReport(ids("a", "b"), NONE, NONE, NONE, ids("old"), 3, true, true);
        assertThat(ReconcileCommand.exitCode(report)).isEqualTo(1);
        assertThat(printed(report))
                .contains("(dry run: nothing is changed)")
                .containsPattern("to import +2: a, b")
                .containsPattern("to adopt +1: old")
                .containsPattern("staged to remove +-  \\(.*a dry run does not count them\\)")
                .contains("catalog rebuilt from the store: yes")
                .contains("6 change(s) would be made; run without --dry-run to make them.");
        assertThat(printed(new ReconcileReport(NONE, NONE, ids("gone"), NONE, NONE, 0, false, true)))
                .contains("they would be failed, unless the previous release's copy");
    }

    @Test
    void a_damaged_archive_is_a_change_a_dry_run_reports_and_a_real_run_cannot_settle() {
        ReconcileReport dry = new ReconcileReport(NONE, NONE, NONE, ids("bad"), NONE, 0, false, true);
        assertThat(ReconcileCommand.exitCode(dry)).isEqualTo(1);
        assertThat(printed(dry)).containsPattern("to mark damaged +1: bad");
        ReconcileReport done = new ReconcileReport(NONE, NONE, NONE, ids("bad"), NONE, 0, false, false);
        assertThat(ReconcileCommand.exitCode(done)).isEqualTo(1);
        assertThat(printed(done)).containsPattern("marked damaged +1: bad").contains("1 change(s) made.");
    }

    @Test
    void changes_made_exit_zero_unless_archives_were_missing() {
        ReconcileReport settled = new ReconcileReport(ids("a"), ids("c"), NONE, NONE, NONE, 1, false, false);
        assertThat(ReconcileCommand.exitCode(settled)).isZero();
        assertThat(printed(settled)).containsPattern("imported +1: a").containsPattern("completed +1: c")
                .containsPattern("staged removed +1")
                .contains("3 change(s) made.");

        ReconcileReport lost = new ReconcileReport(NONE, NONE, ids("gone"), NONE, NONE, 0, false, false);
        assertThat(ReconcileCommand.exitCode(lost)).isEqualTo(1);
        assertThat(printed(lost)).containsPattern("marked failed +1: gone")
                .contains("1 snapshot(s) listed in the catalog have no archive in the store; they are now failed");
    }

    @Test
    void a_locked_h2_file_is_told_apart_from_other_failures() {
        StorageUnavailableException locked = new StorageUnavailableException("catalog could not be opened",
                new IllegalStateException("Database may be already in use: \"/d/catalog/snapkeep.mv.db\""));
        assertThat(ReconcileCommand.isLockedH2("jdbc:h2:file:/d/catalog/snapkeep", locked)).isTrue();
        assertThat(ReconcileCommand.isLockedH2("jdbc:postgresql://db/snapkeep", locked)).isFalse();
        assertThat(ReconcileCommand.isLockedH2("jdbc:h2:file:/d/catalog/snapkeep",
                new StorageUnavailableException("no such host", null))).isFalse();
    }

    private static List<SnapshotId> ids(String... values) {
        return java.util.Arrays.stream(values).map(SnapshotId::of).toList();
    }

    private static String printed(ReconcileReport report) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ReconcileCommand.print(report, "jdbc:h2:file:/d/catalog/snapkeep", "fs /d/archives",
                new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
