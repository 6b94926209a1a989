package io.snapkeep.catalog.jdbi;

import static org.assertj.core.api.Assertions.assertThat;

import io.snapkeep.core.domain.Execution;
import io.snapkeep.core.domain.Progress;
import io.snapkeep.core.domain.Snapshot;
import io.snapkeep.core.domain.SnapshotId;
import io.snapkeep.core.domain.Workflow;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The catalog's end: {@link JdbiCatalog#close()} closes the database, and only the application closes it. */
class CatalogShutdownTest {
    private static final Instant T0 = Instant.parse("2026-11-28T12:00:00Z");

    @TempDir
    Path dir;

    @Test
    void close_closes_the_database_file_cleanly_and_keeps_what_was_written() throws Exception {
        Snapshot snapshot = Snapshot.creating(SnapshotId.of("kept"), "admin", T0);
        try (JdbiCatalog catalog = TestDatabases.open(dir)) {
            catalog.snapshots().insert(snapshot);
        }
        assertThat(fileHeader()).as("H2 marks a file it closed normally").contains("clean:1");
        try (JdbiCatalog reopened = TestDatabases.open(dir)) {
            assertThat(reopened.snapshots().find(snapshot.id())).contains(snapshot);
        }
    }

    @Test
    void close_gives_back_the_space_of_what_was_overwritten() throws Exception {
        try (JdbiCatalog catalog = TestDatabases.open(dir)) {
            Execution running = Execution.newExecution(Workflow.CREATE_SNAPSHOT, SnapshotId.of("s"), Map.of(),
                    "admin", T0, false).started(T0);
            catalog.executions().insert(running);
            for (int i = 1; i <= 1000; i++) {
                catalog.executions().updateProgress(running.id(), new Progress(1000, i, i * 4096L));
            }
        }
        // A thousand commits write some 10 MiB of chunks; what is still live is a few pages.
        assertThat(Files.size(dir.resolve("catalog.mv.db"))).isLessThan(2L * 1024 * 1024);
    }

    @Test
    void the_application_shutdown_hook_still_writes_to_the_catalog_and_closes_it() throws Exception {
        Process child = ChildJvm.of(ExitingCatalogProcess.class, dir.toString())
                .redirectError(dir.resolve("child.stderr").toFile()).start();
        String out;
        try (InputStream stdout = child.getInputStream()) {
            out = new String(stdout.readAllBytes(), StandardCharsets.UTF_8);
        } finally {
            assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("the child exits").isTrue();
        }
        assertThat(out.lines()).as("its stderr: %s", Files.readString(dir.resolve("child.stderr")))
                .containsExactly("ack before-exit", "ack during-shutdown", "closed");
        assertThat(child.exitValue()).isZero();
        assertThat(fileHeader()).contains("clean:1");
        try (JdbiCatalog reopened = JdbiCatalog.open(TestDatabases.fileUrl(dir), "sa", "")) {
            assertThat(reopened.snapshots().find(SnapshotId.of("during-shutdown"))).isPresent();
        }
    }

    /** The MVStore file header: a line of text at the start of the file (H2's documented file format). */
    private String fileHeader() throws IOException {
        try (InputStream in = Files.newInputStream(dir.resolve("catalog.mv.db"))) {
            String block = new String(in.readNBytes(4096), StandardCharsets.ISO_8859_1);
            return block.substring(0, Math.max(0, block.indexOf('\n')));
        }
    }
}
