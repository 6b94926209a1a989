package io.snapkeep.core.application.archive;

import static io.snapkeep.core.application.archive.Archives.foreignZip;
import static io.snapkeep.core.application.archive.Archives.metadata;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.snapkeep.core.domain.StateCategory;
import io.snapkeep.core.error.InvalidArchiveException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** metadata.json both ways: what the codec writes it reads back, and what it refuses the reader refuses alike. */
class MetadataCodecTest {
    private static final String HEAD = "\"format\":\"snapkeep/1\",\"snapshot_version\":1,";
    private static final String REST = "\"snapshot_id\":\"s\",\"created_at\":\"2026-01-02T03:04:05.678Z\","
            + "\"participants\":[{\"name\":\"p\",\"category\":\"state\"}]";

    @Test
    void what_is_written_reads_back_the_same() {
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("include_credentials", true);
        options.put("tag", "nightly \"quoted\" \u00e9\n");
        options.put("retries", 3L);
        ArchiveMetadata m = new ArchiveMetadata(MetadataCodec.FORMAT, MetadataCodec.CURRENT_VERSION, "snap-\u00fc",
                null, Instant.parse("2026-03-04T05:06:07.089Z"), options,
                List.of(new ArchiveMetadata.ParticipantInfo("files", StateCategory.STATE),
                        new ArchiveMetadata.ParticipantInfo("db", StateCategory.CREDENTIALS),
                        new ArchiveMetadata.ParticipantInfo("audit", StateCategory.EVENTS)));

        assertThat(MetadataCodec.decode(MetadataCodec.encode(m))).isEqualTo(m);
        assertThat(MetadataCodec.decode(MetadataCodec.encode(metadata("a", "b")))).isEqualTo(metadata("a", "b"));
        assertThat(MetadataCodec.origin(MetadataCodec.parseDocument(MetadataCodec.encode(m))))
                .isEqualTo(MetadataCodec.Origin.SNAPKEEP);
    }

    @Test
    void the_written_file_holds_the_documented_fields_on_one_line() {
        String json = MetadataCodec.write(metadata("files"));

        assertThat(json).contains("\"format\":\"snapkeep/1\"", "\"snapshot_version\":1", "\"snapshot_id\":\"snap-1\"",
                "\"execution_id\":\"exec-1\"", "\"created_at\":\"2026-03-04T05:06:07.089Z\"",
                "\"create_options\":{\"include_credentials\":true,\"tag\":\"nightly\"}",
                "\"participants\":[{\"name\":\"files\",\"category\":\"state\"}]");
        assertThat(json).endsWith("}\n").doesNotContain("\n}");
        assertThat(ArchiveMetadata.FORMAT).isEqualTo(MetadataCodec.FORMAT);
        assertThat(ArchiveMetadata.CURRENT_VERSION).isEqualTo(MetadataCodec.CURRENT_VERSION);
    }

    @Test
    void writing_refuses_participants_that_cannot_be_folders_or_are_listed_twice() {
        assertThatThrownBy(() -> MetadataCodec.write(metadata("a/b"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Participant name `a/b` cannot name an archive folder");
        assertThatThrownBy(() -> MetadataCodec.write(metadata(".."))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Participant name `..` cannot name an archive folder");
        assertThatThrownBy(() -> MetadataCodec.write(metadata("p", "p"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Participant `p` is listed twice");
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("[]", "metadata.json is not a JSON object"),
                Arguments.of("{}", "metadata.json has no snapkeep `format` (found none): it is not a snapkeep archive"),
                Arguments.of("{\"format\":\"cloudify\"}",
                        "metadata.json has no snapkeep `format` (found `cloudify`): it is not a snapkeep archive"),
                Arguments.of("{\"format\":7}",
                        "metadata.json has no snapkeep `format` (found `7`): it is not a snapkeep archive"),
                Arguments.of("{\"format\":\"snapkeep/1\"}", "metadata.json has no integer `snapshot_version`"),
                Arguments.of("{\"format\":\"snapkeep/1\",\"snapshot_version\":\"1\"}",
                        "metadata.json has no integer `snapshot_version`"),
                Arguments.of("{\"format\":\"snapkeep/1\",\"snapshot_version\":2," + REST + "}",
                        "The archive's snapshot_version is 2, newer than the 1 this Snapkeep understands:"
                                + " restore it with a newer Snapkeep"),
                Arguments.of("{\"format\":\"snapkeep/1\",\"snapshot_version\":0," + REST + "}",
                        "metadata.json has an invalid snapshot_version 0"),
                Arguments.of("{\"format\":\"snapkeep/2\",\"snapshot_version\":1," + REST + "}",
                        "metadata.json has format `snapkeep/2`; this Snapkeep reads snapkeep/1"),
                Arguments.of("{" + HEAD + "\"created_at\":\"2026-01-02T03:04:05Z\",\"participants\":[]}",
                        "metadata.json has no text `snapshot_id`"),
                Arguments.of("{" + HEAD + "\"execution_id\":5," + REST + "}",
                        "metadata.json has a non-text `execution_id`"),
                Arguments.of("{" + HEAD + "\"snapshot_id\":\"s\",\"participants\":[]}",
                        "metadata.json has no text `created_at`"),
                Arguments.of("{" + HEAD + "\"snapshot_id\":\"s\",\"created_at\":\"yesterday\",\"participants\":[]}",
                        "metadata.json has an invalid `created_at`: yesterday"),
                Arguments.of("{" + HEAD + "\"create_options\":[]," + REST + "}",
                        "metadata.json's `create_options` is not an object"),
                Arguments.of("{" + HEAD + "\"snapshot_id\":\"s\",\"created_at\":\"2026-01-02T03:04:05Z\"}",
                        "metadata.json has no `participants` list"),
                Arguments.of(withParticipants("[1]"), "metadata.json lists a participant that is not an object"),
                Arguments.of(withParticipants("[{\"category\":\"state\"}]"), "metadata.json has no text `name`"),
                Arguments.of(withParticipants("[{\"name\":\"a/b\",\"category\":\"state\"}]"),
                        "metadata.json lists a participant named `a/b`, which cannot name an archive folder"),
                Arguments.of(withParticipants("[{\"name\":\"..\",\"category\":\"state\"}]"),
                        "metadata.json lists a participant named `..`, which cannot name an archive folder"),
                Arguments.of(withParticipants("[{\"name\":\"p\",\"category\":\"state\"},{\"name\":\"p\",\"category\":\"logs\"}]"),
                        "metadata.json lists participant `p` twice"),
                Arguments.of(withParticipants("[{\"name\":\"p\"}]"), "metadata.json has no text `category`"),
                Arguments.of(withParticipants("[{\"name\":\"p\",\"category\":\"music\"}]"),
                        "metadata.json gives participant `p` the unknown category `music`"),
                Arguments.of("nope", "metadata.json is not valid JSON: unexpected token at offset 0"),
                Arguments.of("{\"format\":\"snapkeep/1\",\"format\":\"x\"}",
                        "metadata.json is not valid JSON: duplicate member \"format\" at offset 35"));
    }

    private static String withParticipants(String list) {
        return "{" + HEAD + "\"snapshot_id\":\"s\",\"created_at\":\"2026-01-02T03:04:05Z\",\"participants\":" + list + "}";
    }

    @ParameterizedTest
    @MethodSource("malformed")
    void each_malformed_document_is_refused_with_the_message_the_reader_gives(String json, String message)
            throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        assertThat(refusal(() -> MetadataCodec.decode(bytes))).isEqualTo(message);
        assertThat(readerRefusal(bytes)).isEqualTo(message);
    }

    @Test
    void text_that_is_not_utf8_is_refused_alike() throws IOException {
        byte[] bytes = {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, '"', '}'};
        assertThat(refusal(() -> MetadataCodec.decode(bytes))).isEqualTo("metadata.json is not valid UTF-8");
        assertThat(readerRefusal(bytes)).isEqualTo("metadata.json is not valid UTF-8");
    }

    @Test
    void a_file_over_16_mib_is_refused_before_it_is_parsed() {
        byte[] big = new byte[MetadataCodec.MAX_BYTES + 1];
        Arrays.fill(big, (byte) ' ');
        assertThat(refusal(() -> MetadataCodec.readDocument(new ByteArrayInputStream(big))))
                .isEqualTo("metadata.json is larger than 16 MiB");
    }

    @Test
    void reading_reads_the_entry_to_its_end() throws IOException {
        ByteArrayInputStream in = new ByteArrayInputStream("{} ".getBytes(StandardCharsets.UTF_8));
        assertThat(MetadataCodec.readDocument(in)).isEqualTo(Map.of());
        assertThat(in.available()).isZero();
    }

    @Test
    void any_other_json_object_is_a_foreign_document_and_anything_else_is_refused() {
        assertThat(MetadataCodec.origin(Map.of("snapshot_version", "7.0.0"))).isEqualTo(MetadataCodec.Origin.FOREIGN);
        assertThat(MetadataCodec.origin(Map.of("format", "cloudify/7"))).isEqualTo(MetadataCodec.Origin.FOREIGN);
        assertThat(MetadataCodec.origin(Map.of("format", "snapkeep/9", "snapshot_version", 9L)))
                .as("a newer snapkeep format is still snapkeep's, refused by read").isEqualTo(MetadataCodec.Origin.SNAPKEEP);
        assertThat(refusal(() -> MetadataCodec.origin(List.of()))).isEqualTo("metadata.json is not a JSON object");
        assertThat(refusal(() -> MetadataCodec.origin("text"))).isEqualTo("metadata.json is not a JSON object");
    }

    private interface Action {
        Object run() throws Exception;
    }

    private static String refusal(Action action) {
        Throwable thrown = catchThrowable(action::run);
        assertThat(thrown).isInstanceOf(InvalidArchiveException.class);
        return thrown.getMessage();
    }

    /** The message {@link ArchiveReader#metadata()} refuses an archive with this metadata.json with. */
    private static String readerRefusal(byte[] metadataJson) throws IOException {
        byte[] zip = foreignZip("metadata.json", metadataJson, "MANIFEST.sha256", "");
        return refusal(() -> new ArchiveReader(new ByteArrayInputStream(zip), ArchiveLimits.DEFAULTS,
                ArchiveObserver.NONE).metadata());
    }
}
