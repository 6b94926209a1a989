package io.snapkeep.core.application;

import static org.assertj.core.api.Assertions.assertThat;

import io.snapkeep.core.domain.Execution;
import io.snapkeep.core.domain.ExecutionEvent;
import io.snapkeep.core.domain.Progress;
import io.snapkeep.core.domain.Progress.Phases;
import io.snapkeep.core.domain.Snapshot;
import io.snapkeep.core.domain.SnapshotId;
import io.snapkeep.core.port.in.UploadSnapshot.UploadCommand;
import java.io.ByteArrayInputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The figures each workflow ends with, and the phase events it writes on the way. */
class ProgressEngineTest extends EngineTestBase {

    @Test
    void a_create_knows_its_totals_before_writing_and_ends_done_with_every_byte() {
        long bytes = "alpha".length() + "{\"b\": 1}".length() + "secret".length();
        Execution done = createAndWait("s1");
        Progress p = done.progress();
        assertThat(p.phase()).isEqualTo(Phases.DONE);
        assertThat(p.bytesTotal()).isEqualTo(bytes);
        assertThat(p.bytes()).isEqualTo(bytes);
        assertThat(p.entriesTotal()).isEqualTo(3);
        assertThat(p.finishedOperations()).isEqualTo(3);
        assertThat(p.totalOperations()).isEqualTo(3);
        assertThat(p.etaSeconds()).isZero();
        assertThat(phaseEvents(done)).containsExactly("Phase: estimating",
                "Phase: writing (" + bytes + " bytes, 3 entries)",
                "Phase: committing (" + bytes + " bytes, 3 entries; " + bytes + " bytes done)");
    }

    @Test
    void a_restore_counts_the_archive_bytes_against_the_archive_size_and_its_entries() {
        createAndWait("s1");
        long size = snapshot("s1").archive().size();
        Execution done = awaitEnd(restore("s1", true));
        Progress p = done.progress();
        assertThat(p.phase()).isEqualTo(Phases.DONE);
        assertThat(p.bytesTotal()).isEqualTo(size);
        assertThat(p.bytes()).isEqualTo(size);
        assertThat(p.entriesTotal()).isEqualTo(3);
        assertThat(p.finishedOperations()).isEqualTo(3);
        assertThat(p.percent(true)).hasValue(100.0);
        assertThat(phaseEvents(done)).hasSize(3);
        assertThat(size).isBetween(1024L, 10_000L);
        assertThat(phaseEvents(done).get(0)).matches("Phase: reading \\(\\d\\.\\d KiB, 3 entries\\)");
        assertThat(phaseEvents(done).get(1)).startsWith("Phase: staging");
        assertThat(phaseEvents(done).get(2)).startsWith("Phase: committing");
    }

    @Test
    void an_upload_keeps_its_figures_on_the_snapshot_with_the_told_length_as_total() throws Exception {
        createAndWait("s1");
        byte[] archive = archiveBytes("s1");
        Snapshot told = snapkeep.upload(new UploadCommand(SnapshotId.of("told"), new ByteArrayInputStream(archive),
                "admin", archive.length));
        assertThat(told.upload().phase()).isEqualTo(Phases.DONE);
        assertThat(told.upload().bytes()).isEqualTo(archive.length);
        assertThat(told.upload().bytesTotal()).isEqualTo(archive.length);
        assertThat(told.upload().finishedOperations()).isEqualTo(3);
        assertThat(told.upload().entriesTotal()).isEqualTo(Progress.UNKNOWN);
        assertThat(snapshot("told")).isEqualTo(told);

        Snapshot untold = snapkeep.upload(new UploadCommand(SnapshotId.of("untold"),
                new ByteArrayInputStream(archive), "admin"));
        assertThat(untold.upload().bytes()).isEqualTo(archive.length);
        assertThat(untold.upload().bytesTotal()).isEqualTo(Progress.UNKNOWN);
    }

    private List<String> phaseEvents(Execution e) {
        return eventsOf(e).stream().map(ExecutionEvent::message).filter(m -> m.startsWith("Phase: ")).toList();
    }
}
