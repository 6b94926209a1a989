package io.snapkeep.core.application.archive;

import static io.snapkeep.core.application.archive.Archives.localMethod;
import static io.snapkeep.core.application.archive.Archives.metadata;
import static io.snapkeep.core.application.archive.Archives.readAll;
import static io.snapkeep.core.application.archive.Archives.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snapkeep.core.port.out.StateParticipant.ExportSink;
import io.snapkeep.core.testing.TestBytes;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ArchiveRoundTripTest {
    private static final int LARGE = 9 << 20;

    private final AtomicLong copied = new AtomicLong();
    private final List<String> done = new ArrayList<>();
    private final ArchiveObserver counting = new ArchiveObserver() {
        @Override
        public void entryDone(String path, long bytes) {
            done.add(path);
        }

        @Override
        public void copied(long bytes) {
            copied.addAndGet(bytes);
        }
    };

    /** Writes the mixed archive; returns its bytes and, in {@code expected}, each entry's digest. */
    private byte[] mixedArchive(Map<String, Map<String, String>> expected, ArchiveSummary[] summary)
            throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ArchiveWriter writer = new ArchiveWriter(out, counting);
        writer.writeMetadata(metadata("files", "empty", "db"));

        Map<String, String> files = new LinkedHashMap<>();
        ExportSink sink = writer.participantSink("files");
        add(sink, files, "empty.txt", new byte[0]);
        add(sink, files, "notes/small.txt", text(3_000));
        add(sink, files, "notes/medium.txt", text(200_000));
        add(sink, files, "random.bin", TestBytes.randomArray(1, 300_000));
        add(sink, files, "photo.jpg", text(50_000));
        sink.addEntry("large-random.bin", LARGE, TestBytes.random(2, LARGE));
        files.put("large-random.bin", TestBytes.sha256(TestBytes.random(2, LARGE)));
        byte[] largeText = text(LARGE);
        add(sink, files, "large-text.log", largeText);
        expected.put("files", files);
        expected.put("empty", Map.of());

        Map<String, String> db = new LinkedHashMap<>();
        ExportSink dbSink = writer.participantSink("db");
        try (OutputStream o = dbSink.newEntry("tables/users.json")) {
            o.write("[{\"id\":1}]".getBytes(StandardCharsets.UTF_8));
        }
        db.put("tables/users.json", TestBytes.sha256("[{\"id\":1}]".getBytes(StandardCharsets.UTF_8)));
        try (OutputStream o = dbSink.newEntry("tables/big.csv")) {
            for (int i = 0; i < largeText.length; i += 100_000) {
                o.write(largeText, i, Math.min(100_000, largeText.length - i));
            }
        }
        db.put("tables/big.csv", TestBytes.sha256(largeText));
        try (OutputStream o = dbSink.newEntry("blobs/noise")) {
            TestBytes.copy(TestBytes.random(3, LARGE), o);
        }
        db.put("blobs/noise", TestBytes.sha256(TestBytes.random(3, LARGE)));
        try (OutputStream o = dbSink.newEntry("tables/empty.csv")) {
            o.flush();
        }
        db.put("tables/empty.csv", TestBytes.sha256(new byte[0]));
        expected.put("db", db);
        summary[0] = writer.finish();
        return out.toByteArray();
    }

    private static void add(ExportSink sink, Map<String, String> digests, String path, byte[] bytes)
            throws IOException {
        sink.addEntry(path, bytes.length, new ByteArrayInputStream(bytes));
        digests.put(path, TestBytes.sha256(bytes));
    }

    @Test
    void participants_round_trip_with_empty_small_large_compressible_and_incompressible_entries() throws IOException {
        Map<String, Map<String, String>> expected = new LinkedHashMap<>();
        ArchiveSummary[] written = new ArchiveSummary[1];
        byte[] zip = mixedArchive(expected, written);

        assertThat(written[0].archive().size()).isEqualTo(zip.length);
        assertThat(written[0].archive().sha256()).isEqualTo(TestBytes.sha256(zip));
        assertThat(written[0].entries()).isEqualTo(11);
        assertThat(written[0].expandedBytes()).isEqualTo(copied.get()).isGreaterThan(4L * LARGE);
        assertThat(done).hasSize(11).contains("participants/files/large-random.bin", "participants/db/tables/big.csv");

        copied.set(0);
        done.clear();
        ArchiveReader reader = new ArchiveReader(new ByteArrayInputStream(zip), ArchiveLimits.DEFAULTS, counting);
        assertThat(reader.metadata()).isEqualTo(metadata("files", "empty", "db"));
        assertThat(readAll(reader)).isEqualTo(expected);
        ArchiveSummary read = reader.finish();
        assertThat(read).isEqualTo(written[0]);
        assertThat(copied.get()).isEqualTo(read.expandedBytes());
        assertThat(done).hasSize(11);
    }

    @Test
    void incompressible_entries_are_stored_and_compressible_ones_deflated() throws IOException {
        byte[] zip = mixedArchive(new LinkedHashMap<>(), new ArchiveSummary[1]);

        assertThat(localMethod(zip, "participants/files/random.bin")).isEqualTo(Zip.STORED);
        assertThat(localMethod(zip, "participants/files/large-random.bin")).isEqualTo(Zip.STORED);
        assertThat(localMethod(zip, "participants/files/photo.jpg")).as("by extension").isEqualTo(Zip.STORED);
        assertThat(localMethod(zip, "participants/files/notes/small.txt")).isEqualTo(Zip.DEFLATED);
        assertThat(localMethod(zip, "participants/files/notes/medium.txt")).isEqualTo(Zip.DEFLATED);
        assertThat(localMethod(zip, "participants/files/large-text.log")).isEqualTo(Zip.DEFLATED);
        assertThat(localMethod(zip, "participants/db/tables/big.csv")).isEqualTo(Zip.DEFLATED);
        assertThat(localMethod(zip, "metadata.json")).isEqualTo(Zip.DEFLATED);
        // The large text really shrank: the archive is far smaller than its three random megabyte runs plus text.
        assertThat((long) zip.length).isLessThan(3L * LARGE + 2 * LARGE / 5);
    }

    @Test
    void manifest_lists_every_entry_but_itself_with_sha256_and_size() throws IOException {
        byte[] small = text(1000);
        byte[] zip = Archives.archive(Map.of("a.txt", small));

        try (var file = new java.util.zip.ZipInputStream(new ByteArrayInputStream(zip))) {
            java.util.zip.ZipEntry e;
            String manifest = null;
            while ((e = file.getNextEntry()) != null) {
                if (e.getName().equals("MANIFEST.sha256")) {
                    manifest = new String(file.readAllBytes(), StandardCharsets.UTF_8);
                }
            }
            assertThat(manifest).isNotNull();
            assertThat(manifest.lines().toList()).hasSize(2)
                    .contains(TestBytes.sha256(small) + "  1000  participants/p/a.txt")
                    .anyMatch(line -> line.endsWith("  metadata.json"));
        }
    }

    @Test
    void an_exception_from_the_reader_observer_propagates_unchanged() throws IOException {
        byte[] zip = Archives.archive(Map.of("a.txt", text(10), "b.txt", text(20)));
        RuntimeException cancel = new RuntimeException("cancelled");
        ArchiveObserver cancelling = new ArchiveObserver() {
            @Override
            public void entryDone(String path, long bytes) {
                throw cancel;
            }
        };
        ArchiveReader reader = new ArchiveReader(new ByteArrayInputStream(zip), ArchiveLimits.DEFAULTS, cancelling);

        assertThatThrownBy(reader::finish).isSameAs(cancel);
    }

    @Test
    void an_exception_from_the_writer_observer_propagates_unchanged_and_stops_the_writer() throws IOException {
        RuntimeException cancel = new RuntimeException("cancelled");
        ArchiveObserver cancelling = new ArchiveObserver() {
            @Override
            public void copied(long bytes) {
                throw cancel;
            }
        };
        ArchiveWriter writer = new ArchiveWriter(OutputStream.nullOutputStream(), cancelling);
        writer.writeMetadata(metadata("p"));
        ExportSink sink = writer.participantSink("p");

        assertThatThrownBy(() -> sink.addEntry("big", LARGE, TestBytes.random(1, LARGE))).isSameAs(cancel);
        assertThatThrownBy(writer::finish).isInstanceOf(IllegalStateException.class).hasMessageContaining("failed");
    }

    @Test
    void the_writer_refuses_bad_paths_duplicates_short_content_and_unlisted_participants() throws IOException {
        ArchiveWriter writer = new ArchiveWriter(OutputStream.nullOutputStream(), ArchiveObserver.NONE);
        writer.writeMetadata(metadata("p"));
        assertThatThrownBy(() -> writer.participantSink("q")).hasMessageContaining("not listed");
        ExportSink sink = writer.participantSink("p");
        assertThatThrownBy(() -> sink.newEntry("../x")).hasMessageContaining("`..`");
        assertThatThrownBy(() -> sink.newEntry("/x")).hasMessageContaining("absolute");
        assertThatThrownBy(() -> sink.newEntry("a\\b")).hasMessageContaining("backslash");
        sink.addEntry("x", 1, new ByteArrayInputStream(new byte[1]));
        assertThatThrownBy(() -> sink.newEntry("x")).hasMessageContaining("already written");
        assertThatThrownBy(() -> sink.addEntry("y", 10, new ByteArrayInputStream(new byte[3])))
                .hasMessageContaining("ended after 3 of the 10 bytes");
    }
}
