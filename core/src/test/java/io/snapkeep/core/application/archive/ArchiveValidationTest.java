package io.snapkeep.core.application.archive;

import static io.snapkeep.core.application.archive.Archives.archive;
import static io.snapkeep.core.application.archive.Archives.foreignZip;
import static io.snapkeep.core.application.archive.Archives.localHeaderOffset;
import static io.snapkeep.core.application.archive.Archives.metadata;
import static io.snapkeep.core.application.archive.Archives.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snapkeep.core.error.InvalidArchiveException;
import io.snapkeep.core.port.out.StateParticipant.ExportSink;
import io.snapkeep.core.testing.TestBytes;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ArchiveValidationTest {

    private static byte[] sample() throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("a.txt", text(5_000));
        entries.put("noise.bin", TestBytes.randomArray(7, 40_000));
        entries.put("b.txt", text(70_000));
        return archive(entries);
    }

    private static void rejectedOnFinish(byte[] zip, ArchiveLimits limits, String... messageParts) {
        rejectedWithEntryDigests(zip, limits, messageParts);
        // A restore's reader, without entry digests, sees it as well.
        assertThatThrownBy(() -> {
            ArchiveReader reader = ArchiveReader.ofRecorded(new ByteArrayInputStream(zip), limits, ArchiveObserver.NONE);
            Archives.readAll(reader);
            reader.finish();
        }).isInstanceOf(InvalidArchiveException.class).hasMessageContainingAll(messageParts);
    }

    private static void rejectedWithEntryDigests(byte[] zip, ArchiveLimits limits, String... messageParts) {
        assertThatThrownBy(() -> {
            ArchiveReader reader = new ArchiveReader(new ByteArrayInputStream(zip), limits, ArchiveObserver.NONE);
            Archives.readAll(reader);
            reader.finish();
        }).isInstanceOf(InvalidArchiveException.class).hasMessageContainingAll(messageParts);
        // The upload path sees the same problem.
        assertThatThrownBy(() -> ArchiveReader.validateUpload(new ByteArrayInputStream(zip), limits, ArchiveObserver.NONE))
                .isInstanceOf(InvalidArchiveException.class).hasMessageContainingAll(messageParts);
    }

    private static void rejected(byte[] zip, String... messageParts) {
        rejectedOnFinish(zip, ArchiveLimits.DEFAULTS, messageParts);
    }

    @Test
    void a_valid_archive_passes_both_the_reader_and_upload_validation() throws IOException {
        byte[] zip = sample();
        ArchiveReader reader = new ArchiveReader(new ByteArrayInputStream(zip), ArchiveLimits.DEFAULTS, ArchiveObserver.NONE);
        Archives.readAll(reader);
        ArchiveSummary summary = reader.finish();

        assertThat(ArchiveReader.validateUpload(new ByteArrayInputStream(zip), ArchiveLimits.DEFAULTS, ArchiveObserver.NONE))
                .isEqualTo(summary);
        assertThat(summary.entries()).isEqualTo(3);
        assertThat(summary.archive().sha256()).isEqualTo(TestBytes.sha256(zip));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4, 16, 200})
    void an_archive_cut_short_is_truncated(int cut) throws IOException {
        byte[] zip = sample();
        rejected(Arrays.copyOf(zip, zip.length - cut), "The archive is truncated");
    }

    @Test
    void an_archive_cut_at_an_entry_boundary_is_truncated() throws IOException {
        byte[] zip = sample();
        rejected(Arrays.copyOf(zip, localHeaderOffset(zip, "MANIFEST.sha256")), "The archive is truncated",
                "participants/p/b.txt");
        rejected(Arrays.copyOf(zip, localHeaderOffset(zip, "participants/p/noise.bin")), "The archive is truncated");
    }

    @Test
    void an_archive_cut_anywhere_is_rejected() throws IOException {
        byte[] zip = sample();
        for (int length = 0; length < zip.length; length += 997) {
            byte[] cut = Arrays.copyOf(zip, length);
            assertThatThrownBy(() -> ArchiveReader.validateUpload(new ByteArrayInputStream(cut),
                    ArchiveLimits.DEFAULTS, ArchiveObserver.NONE))
                    .as("cut at %d", length).isInstanceOf(InvalidArchiveException.class);
        }
    }

    @Test
    void a_bit_flip_in_entry_data_is_detected() throws IOException {
        byte[] zip = sample();
        int data = localHeaderOffset(zip, "participants/p/noise.bin") + 30 + "participants/p/noise.bin".length() + 1000;
        zip[data] ^= 0x10;
        rejected(zip, "Entry `participants/p/noise.bin` does not match its CRC-32");
    }

    @Test
    void a_snapkeep_archive_without_manifest_is_rejected() throws IOException {
        byte[] zip = foreignZip(
                "metadata.json", MetadataCodec.write(metadata("p")),
                "participants/p/a.txt", "hello");
        rejected(zip, "no MANIFEST.sha256");
    }

    @Test
    void a_manifest_digest_that_does_not_match_is_rejected() throws IOException {
        String metadata = MetadataCodec.write(metadata("p"));
        String manifest = TestBytes.sha256(metadata.getBytes(StandardCharsets.UTF_8)) + "  "
                + metadata.getBytes(StandardCharsets.UTF_8).length + "  metadata.json\n"
                + TestBytes.sha256("other".getBytes(StandardCharsets.UTF_8)) + "  5  participants/p/a.txt\n";
        byte[] zip = foreignZip("metadata.json", metadata, "participants/p/a.txt", "hello",
                "MANIFEST.sha256", manifest);
        rejectedWithEntryDigests(zip, ArchiveLimits.DEFAULTS,
                "Entry `participants/p/a.txt` does not match its checksum in MANIFEST.sha256");
        // A reader of a recorded archive leaves the digests to the archive's SHA-256, which its caller
        // compares with the one recorded when the archive was validated: these are not those bytes.
        ArchiveReader recorded = ArchiveReader.ofRecorded(new ByteArrayInputStream(zip), ArchiveLimits.DEFAULTS,
                ArchiveObserver.NONE);
        Archives.readAll(recorded);
        assertThat(recorded.finish().archive().sha256()).isEqualTo(TestBytes.sha256(zip));
    }

    @Test
    void manifest_lines_must_list_every_entry_once_with_its_size() throws IOException {
        String metadata = MetadataCodec.write(metadata("p"));
        byte[] json = metadata.getBytes(StandardCharsets.UTF_8);
        String metadataLine = TestBytes.sha256(json) + "  " + json.length + "  metadata.json\n";
        String hello = TestBytes.sha256("hello".getBytes(StandardCharsets.UTF_8));
        Map<String, String> problems = new LinkedHashMap<>();
        problems.put(metadataLine, "Entry 2 of the archive (at offset ");
        problems.put(metadataLine + hello + "  5  participants/p/a.txt\n" + hello + "  5  participants/p/b.txt\n",
                "MANIFEST.sha256 lists `participants/p/b.txt`, which the archive does not hold");
        problems.put(metadataLine + hello + "  5  MANIFEST.sha256\n",
                "MANIFEST.sha256 lists `MANIFEST.sha256`, which the archive does not hold");
        problems.put(metadataLine + hello + "  5  participants/p/a.txt\n" + hello + "  5  participants/p/a.txt\n",
                "MANIFEST.sha256 lists `participants/p/a.txt` twice");
        problems.put(metadataLine + hello + "  6  participants/p/a.txt\n",
                "Entry `participants/p/a.txt` has 5 bytes, MANIFEST.sha256 says 6");
        for (Map.Entry<String, String> p : problems.entrySet()) {
            rejected(foreignZip("metadata.json", metadata, "participants/p/a.txt", "hello", "MANIFEST.sha256",
                    p.getKey()), p.getValue());
        }
        rejectedOnFinish(foreignZip("metadata.json", metadata, "participants/p/a.txt", "hello", "MANIFEST.sha256",
                metadataLine + hello + "  5  participants/p/a.txt\n", "participants/p/late.txt", "x"),
                ArchiveLimits.DEFAULTS, "Entry `participants/p/late.txt` follows MANIFEST.sha256");
    }

    @Test
    void entry_names_that_escape_or_are_absolute_or_use_backslashes_are_rejected() throws IOException {
        String metadata = MetadataCodec.write(metadata("p"));
        rejected(foreignZip("metadata.json", metadata, "participants/p/../../x", "evil"), "`..`");
        rejected(foreignZip("metadata.json", metadata, "/etc/passwd", "evil"), "absolute");
        rejected(foreignZip("metadata.json", metadata, "participants/p/a\\b", "evil"), "backslash");
        byte[] patched = Archives.replaceAll(archive(Map.of("ab/c", text(10))), "participants/p/ab/c",
                "participants/p/../c");
        rejected(patched, "Entry name `participants/p/../c` is not allowed");
    }

    @Test
    void a_duplicate_entry_name_is_rejected() throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("x1", text(10));
        entries.put("x2", text(20));
        byte[] zip = Archives.replaceAll(archive(entries), "participants/p/x2", "participants/p/x1");
        rejected(zip, "holds entry `participants/p/x1` twice");
    }

    @Test
    void a_newer_snapshot_version_is_refused_with_a_clear_message() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ArchiveWriter writer = new ArchiveWriter(out, ArchiveObserver.NONE);
        writer.writeMetadata(metadata(ArchiveMetadata.CURRENT_VERSION + 1, "p"));
        writer.finish();
        ArchiveReader reader = new ArchiveReader(new ByteArrayInputStream(out.toByteArray()), ArchiveLimits.DEFAULTS,
                ArchiveObserver.NONE);

        assertThatThrownBy(reader::metadata).isInstanceOf(InvalidArchiveException.class)
                .hasMessageContaining("snapshot_version is 2, newer than the 1 this Snapkeep understands");
    }

    @Test
    void bytes_that_are_not_a_zip_are_rejected() {
        rejected("this is not a zip file at all".getBytes(StandardCharsets.US_ASCII), "not a zip file");
    }

    @Test
    void an_empty_stream_is_rejected() {
        rejected(new byte[0], "The archive is empty");
    }

    @Test
    void a_zip_bomb_is_stopped_by_the_limits() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ArchiveWriter writer = new ArchiveWriter(out, ArchiveObserver.NONE);
        writer.writeMetadata(metadata("p"));
        try (OutputStream entry = writer.participantSink("p").newEntry("zeros")) {
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 64; i++) {
                entry.write(zeros);
            }
        }
        writer.finish();
        byte[] bomb = out.toByteArray();
        assertThat(bomb.length).isLessThan(200_000);

        rejectedOnFinish(bomb, new ArchiveLimits(100, 1L << 40, 100), "expands more than 100 times", "zip bomb");
        rejectedOnFinish(bomb, new ArchiveLimits(100, 8L << 20, 10_000), "expands to more than 8388608 bytes");
        rejectedOnFinish(sample(), new ArchiveLimits(3, 1L << 40, 100), "more than 3 entries");
    }

    @Test
    void metadata_json_must_come_first_in_a_snapkeep_archive() throws IOException {
        byte[] zip = foreignZip("participants/p/a.txt", "hello",
                "metadata.json", MetadataCodec.write(metadata("p")));
        assertThatThrownBy(() -> new ArchiveReader(new ByteArrayInputStream(zip), ArchiveLimits.DEFAULTS,
                ArchiveObserver.NONE).metadata())
                .isInstanceOf(InvalidArchiveException.class).hasMessageContaining("first entry is `participants/p/a.txt`");
        assertThatThrownBy(() -> ArchiveReader.validateUpload(new ByteArrayInputStream(zip), ArchiveLimits.DEFAULTS,
                ArchiveObserver.NONE))
                .isInstanceOf(InvalidArchiveException.class).hasMessageContaining("must be the first entry");
    }

    @Test
    void a_foreign_zip_holding_metadata_json_passes_upload_validation_but_not_the_snapkeep_reader() throws IOException {
        byte[] cloudify = foreignZip("snapshot/db.dump", "tables", "metadata.json",
                "{\"snapshot_version\": \"7.0.0\", \"execution_id\": \"e\"}", "snapshot/agents.json", "[]");

        ArchiveSummary summary = ArchiveReader.validateUpload(new ByteArrayInputStream(cloudify),
                ArchiveLimits.DEFAULTS, ArchiveObserver.NONE);
        assertThat(summary.entries()).isEqualTo(2);
        assertThat(summary.expandedBytes()).isEqualTo(8);
        assertThat(summary.archive().size()).isEqualTo(cloudify.length);
        assertThat(summary.archive().sha256()).isEqualTo(TestBytes.sha256(cloudify));
        assertThatThrownBy(() -> new ArchiveReader(new ByteArrayInputStream(cloudify), ArchiveLimits.DEFAULTS,
                ArchiveObserver.NONE).metadata()).isInstanceOf(InvalidArchiveException.class);
    }

    @Test
    void a_foreign_zip_without_metadata_json_or_with_a_damaged_entry_fails_upload_validation() throws IOException {
        byte[] plain = foreignZip("a.txt", "hello");
        assertThatThrownBy(() -> ArchiveReader.validateUpload(new ByteArrayInputStream(plain), ArchiveLimits.DEFAULTS,
                ArchiveObserver.NONE)).isInstanceOf(InvalidArchiveException.class).hasMessageContaining("no metadata.json");

        byte[] notJson = foreignZip("metadata.json", "nope");
        assertThatThrownBy(() -> ArchiveReader.validateUpload(new ByteArrayInputStream(notJson), ArchiveLimits.DEFAULTS,
                ArchiveObserver.NONE)).isInstanceOf(InvalidArchiveException.class).hasMessageContaining("not valid JSON");

        byte[] damaged = foreignZip("metadata.json", "{}", "a.txt", "hello world, hello world");
        damaged[localHeaderOffset(damaged, "a.txt") + 30 + "a.txt".length() + 2] ^= 0x01;
        assertThatThrownBy(() -> ArchiveReader.validateUpload(new ByteArrayInputStream(damaged), ArchiveLimits.DEFAULTS,
                ArchiveObserver.NONE)).isInstanceOf(InvalidArchiveException.class).hasMessageContaining("Entry `a.txt`");
    }

    @Test
    void a_stored_entry_with_a_descriptor_and_no_sizes_is_refused_as_unstreamable() throws IOException {
        byte[] zip = archive(Map.of("noise.bin", TestBytes.randomArray(5, 2 << 20)));
        int header = localHeaderOffset(zip, "participants/p/noise.bin");
        assertThat(Archives.localMethod(zip, "participants/p/noise.bin")).isEqualTo(Zip.STORED);
        assertThat(ZipInput.u16(zip, header + 6) & Zip.FLAG_DESCRIPTOR).isNotZero();
        byte[] patched = zip.clone();
        Arrays.fill(patched, header + 18, header + 26, (byte) 0); // drop the sizes from the local header
        rejected(patched, "cannot be read as a stream");
    }

    @Test
    void the_central_directory_must_agree_with_the_entries() throws IOException {
        byte[] zip = sample();
        // Change the name only in the central directory (the last occurrence).
        byte[] name = "participants/p/b.txt".getBytes(StandardCharsets.UTF_8);
        int last = -1;
        for (int i = 0; i + name.length <= zip.length; i++) {
            if (Arrays.equals(zip, i, i + name.length, name, 0, name.length)) {
                last = i;
            }
        }
        zip[last + name.length - 5] = 'c';
        rejected(zip, "central directory does not match");
    }

    @Test
    void entries_must_follow_the_metadata_participant_order() throws IOException {
        byte[] zip = foreignZip("metadata.json", MetadataCodec.write(metadata("a", "b")),
                "participants/b/x", "1", "participants/a/y", "2");
        rejected(zip, "Entry `participants/a/y` comes after a later participant's entries");
    }

    @Test
    void entries_outside_a_listed_participant_folder_are_rejected() throws IOException {
        String metadata = MetadataCodec.write(metadata("p"));
        rejected(foreignZip("metadata.json", metadata, "other/x", "1"),
                "Entry `other/x` is not part of a snapkeep/1 archive");
        rejected(foreignZip("metadata.json", metadata, "participants/x", "1"),
                "Entry `participants/x` is not inside a participant's folder");
        rejected(foreignZip("metadata.json", metadata, "participants/p/", "1"),
                "Entry `participants/p/` is not inside a participant's folder");
        rejected(foreignZip("metadata.json", metadata, "participants/q/x", "1"),
                "Entry `participants/q/x` belongs to participant `q`, which metadata.json does not list");
    }

    @Test
    void participants_without_entries_are_handed_out_with_empty_sources() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ArchiveWriter writer = new ArchiveWriter(out, ArchiveObserver.NONE);
        writer.writeMetadata(metadata("a", "b", "c"));
        ExportSink b = writer.participantSink("b");
        b.addEntry("only", 3, new ByteArrayInputStream(new byte[] {1, 2, 3}));
        writer.finish();

        ArchiveReader reader = new ArchiveReader(new ByteArrayInputStream(out.toByteArray()), ArchiveLimits.DEFAULTS,
                ArchiveObserver.NONE);
        assertThat(Archives.readAll(reader)).containsExactly(Map.entry("a", Map.of()),
                Map.entry("b", Map.of("only", TestBytes.sha256(new byte[] {1, 2, 3}))), Map.entry("c", Map.of()));
        assertThat(reader.finish().entries()).isEqualTo(1);
    }
}
