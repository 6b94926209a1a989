package io.snapkeep.core.application.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snapkeep.core.application.archive.RecordCodec.UnreadableRecordException;
import io.snapkeep.core.domain.ArchiveInfo;
import io.snapkeep.core.domain.Snapshot;
import io.snapkeep.core.domain.SnapshotId;
import io.snapkeep.core.domain.SnapshotStatus;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RecordCodecTest {
    private static final Instant T = Instant.parse("2026-11-28T12:00:00.123456Z");
    private static final String SHA = "ab".repeat(32);
    private static final SnapshotRecord CREATED = new SnapshotRecord(SnapshotId.of("s1"), SnapshotStatus.CREATED, T,
            "admin", new ArchiveInfo(52_311, SHA), SnapshotRecord.SNAPKEEP_FORMAT);

    private static String text(SnapshotRecord r) {
        return new String(RecordCodec.encode(r), StandardCharsets.UTF_8);
    }

    private static SnapshotRecord decode(String json) {
        return RecordCodec.decode(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void a_record_is_one_line_of_json_with_its_format_version_and_every_field() {
        assertThat(text(CREATED)).isEqualTo("{\"format\":\"snapkeep-record\",\"version\":1,\"id\":\"s1\","
                + "\"status\":\"created\",\"created_at\":\"2026-11-28T12:00:00.123Z\",\"created_by\":\"admin\","
                + "\"size\":52311,\"sha256\":\"" + SHA + "\",\"archive_format\":\"snapkeep/1\"}\n");
    }

    @Test
    void records_round_trip() {
        assertThat(RecordCodec.decode(RecordCodec.encode(CREATED))).isEqualTo(CREATED);
        SnapshotRecord foreign = new SnapshotRecord(SnapshotId.of("cfy"), SnapshotStatus.UPLOADED, T,
                "us\"er\n", new ArchiveInfo(0, SHA), SnapshotRecord.FOREIGN_FORMAT);
        assertThat(RecordCodec.decode(RecordCodec.encode(foreign))).isEqualTo(foreign);
    }

    @Test
    void a_record_describes_a_complete_snapshot_and_lists_it_again() {
        Snapshot uploaded = Snapshot.uploading(SnapshotId.of("up"), "bob", T).uploaded(new ArchiveInfo(9, SHA));
        SnapshotRecord record = SnapshotRecord.of(uploaded, SnapshotRecord.FOREIGN_FORMAT);
        assertThat(record.toSnapshot()).isEqualTo(uploaded);
        assertThatThrownBy(() -> SnapshotRecord.of(Snapshot.creating(SnapshotId.of("c"), "bob", T), "snapkeep/1"))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new SnapshotRecord(SnapshotId.of("f"), SnapshotStatus.FAILED, T, "bob",
                new ArchiveInfo(9, SHA), "snapkeep/1")).hasMessageContaining("failed");
    }

    @Test
    void members_it_does_not_know_are_ignored() {
        String later = text(CREATED).replace("\"archive_format\"", "\"added_later\":[1,{}],\"archive_format\"");
        assertThat(decode(later)).isEqualTo(CREATED);
    }

    @Test
    void a_newer_version_is_refused_as_newer() {
        assertThatThrownBy(() -> decode(text(CREATED).replace("\"version\":1", "\"version\":2")))
                .isInstanceOf(UnreadableRecordException.class).hasMessageContaining("version 2")
                .satisfies(e -> assertThat(((UnreadableRecordException) e).newer()).isTrue());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", "[]", "{\"format\":\"snapkeep-record\"}", "not json",
        "{\"format\":\"other\",\"version\":1}",
        "{\"format\":\"snapkeep-record\",\"version\":0}",
        "{\"format\":\"snapkeep-record\",\"version\":\"1\"}",
        "{\"format\":\"snapkeep-record\",\"version\":1,\"id\":\"s1\",\"status\":\"failed\","
                + "\"created_at\":\"2026-11-28T12:00:00.000Z\",\"created_by\":\"a\",\"size\":1,"
                + "\"sha256\":\"abababababababababababababababababababababababababababababababab\",\"archive_format\":\"x\"}",
        "{\"format\":\"snapkeep-record\",\"version\":1,\"id\":\"../x\",\"status\":\"created\","
                + "\"created_at\":\"2026-11-28T12:00:00.000Z\",\"created_by\":\"a\",\"size\":1,"
                + "\"sha256\":\"abababababababababababababababababababababababababababababababab\",\"archive_format\":\"x\"}",
        "{\"format\":\"snapkeep-record\",\"version\":1,\"id\":\"s1\",\"status\":\"created\","
                + "\"created_at\":\"yesterday\",\"created_by\":\"a\",\"size\":1,"
                + "\"sha256\":\"abababababababababababababababababababababababababababababababab\",\"archive_format\":\"x\"}",
        "{\"format\":\"snapkeep-record\",\"version\":1,\"id\":\"s1\",\"status\":\"created\","
                + "\"created_at\":\"2026-11-28T12:00:00.000Z\",\"created_by\":\"a\",\"size\":-1,"
                + "\"sha256\":\"abababababababababababababababababababababababababababababababab\",\"archive_format\":\"x\"}",
        "{\"format\":\"snapkeep-record\",\"version\":1,\"id\":\"s1\",\"status\":\"created\","
                + "\"created_at\":\"2026-11-28T12:00:00.000Z\",\"created_by\":\"a\",\"size\":1,"
                + "\"sha256\":\"short\",\"archive_format\":\"x\"}",
    })
    void anything_else_is_unreadable_and_not_newer(String json) {
        assertThatThrownBy(() -> decode(json)).isInstanceOf(UnreadableRecordException.class)
                .hasMessageStartingWith("The snapshot record cannot be read")
                .satisfies(e -> assertThat(((UnreadableRecordException) e).newer()).isFalse());
    }

    @Test
    void bytes_that_are_not_utf8_or_too_large_are_unreadable() {
        assertThatThrownBy(() -> RecordCodec.decode(new byte[] {'{', (byte) 0xC3, '}'}))
                .isInstanceOf(UnreadableRecordException.class).hasMessageContaining("UTF-8");
        assertThatThrownBy(() -> RecordCodec.decode(new byte[RecordCodec.MAX_BYTES + 1]))
                .isInstanceOf(UnreadableRecordException.class).hasMessageContaining("larger");
    }
}
