package io.snapkeep.core.application.archive;

import static io.snapkeep.core.application.archive.Archives.foreignZip;
import static io.snapkeep.core.application.archive.Archives.metadata;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.snapkeep.core.error.InvalidArchiveException;
import io.snapkeep.core.testing.TestBytes;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** MANIFEST.sha256 both ways: what the codec writes it reads back, and what it refuses the reader refuses alike. */
class ManifestCodecTest {
    private static final String DIGEST = TestBytes.sha256("hello".getBytes(StandardCharsets.UTF_8));

    private static ManifestCodec.Line line(String text, long size, String path) {
        return new ManifestCodec.Line(HexFormat.of().parseHex(TestBytes.sha256(text.getBytes(StandardCharsets.UTF_8))),
                size, path);
    }

    private static List<ManifestCodec.Line> read(byte[] bytes) throws IOException {
        List<ManifestCodec.Line> lines = new ArrayList<>();
        ManifestCodec.read(new ByteArrayInputStream(bytes), lines::add);
        return lines;
    }

    @Test
    void what_is_written_reads_back_the_same() throws IOException {
        List<ManifestCodec.Line> lines = List.of(
                line("metadata", 312, "metadata.json"),
                line("", 0, "participants/files/empty"),
                line("x", Long.MAX_VALUE, "participants/files/with  two spaces/\u00fcber \u2603.txt"),
                line("d", 5, "participants/db/dir/"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ManifestCodec.write(lines, out);

        assertThat(read(out.toByteArray())).isEqualTo(lines);
    }

    @Test
    void a_line_is_digest_size_and_path_separated_by_two_spaces() throws IOException {
        ManifestCodec.Line one = new ManifestCodec.Line(HexFormat.of().parseHex(DIGEST), 5, "participants/p/a.txt");

        assertThat(new String(ManifestCodec.encode(one), StandardCharsets.UTF_8))
                .isEqualTo(DIGEST + "  5  participants/p/a.txt\n");
        assertThat(read((DIGEST + "  5  participants/p/a.txt").getBytes(StandardCharsets.UTF_8)))
                .as("a last line without its newline").containsExactly(one);
        assertThat(read(new byte[0])).isEmpty();
    }

    @Test
    void lines_longer_than_one_read_buffer_are_read_whole() throws IOException {
        String path = "participants/p/" + "n".repeat(65_000);
        List<ManifestCodec.Line> lines = List.of(line("a", 1, path), line("b", 2, path + "2"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ManifestCodec.write(lines, out);

        assertThat(read(out.toByteArray())).isEqualTo(lines);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "hello",
            "",
            "DIGEST 5  participants/p/a.txt",
            "DIGEST  5 participants/p/a.txt",
            "DIGEST  5",
            "DIGEST  x  participants/p/a.txt",
            "DIGEST    participants/p/a.txt",
            "DIGEST  99999999999999999999  participants/p/a.txt",
            "UPPER  5  participants/p/a.txt",
            "NOTHEX  5  participants/p/a.txt",
            "SHORT  5  participants/p/a.txt"})
    void each_malformed_line_is_refused_with_the_message_the_reader_gives(String form) throws IOException {
        String text = form.replace("UPPER", DIGEST.toUpperCase(Locale.ROOT))
                .replace("NOTHEX", "g" + DIGEST.substring(1))
                .replace("SHORT", DIGEST.substring(2))
                .replace("DIGEST", DIGEST);
        byte[] manifest = (text + "\n").getBytes(StandardCharsets.UTF_8);
        String message = "MANIFEST.sha256 line 1 is not `sha256  size  path`";

        assertThat(codecRefusal(manifest)).isEqualTo(message);
        assertThat(readerRefusal(manifest)).isEqualTo(message);
    }

    @Test
    void a_line_that_is_not_utf8_is_refused_alike() throws IOException {
        byte[] good = (DIGEST + "  5  participants/p/a.txt\n").getBytes(StandardCharsets.UTF_8);
        byte[] bad = (DIGEST + "  5  participants/p/\u00e9\n").getBytes(StandardCharsets.UTF_8);
        bad[bad.length - 2] = (byte) 0xC3; // the first byte of a two-byte character, then the newline
        byte[] manifest = Arrays.copyOf(good, good.length + bad.length);
        System.arraycopy(bad, 0, manifest, good.length, bad.length);

        assertThat(codecRefusal(manifest)).isEqualTo("MANIFEST.sha256 line 2 is not valid UTF-8");
        assertThat(readerRefusal(manifest)).isEqualTo("MANIFEST.sha256 line 2 is not valid UTF-8");
    }

    @Test
    void a_line_longer_than_any_real_one_is_refused_alike() throws IOException {
        byte[] manifest = new byte[ManifestCodec.MAX_LINE + 64 * 1024];
        Arrays.fill(manifest, (byte) 'a');

        assertThat(codecRefusal(manifest)).isEqualTo("MANIFEST.sha256 line 1 is too long");
        assertThat(readerRefusal(manifest)).isEqualTo("MANIFEST.sha256 line 1 is too long");
    }

    private static String codecRefusal(byte[] manifest) {
        Throwable thrown = catchThrowable(() -> read(manifest));
        assertThat(thrown).isInstanceOf(InvalidArchiveException.class);
        return thrown.getMessage();
    }

    /** The message a whole read of an archive with this manifest is refused with. */
    private static String readerRefusal(byte[] manifest) throws IOException {
        byte[] zip = foreignZip("metadata.json", MetadataCodec.write(metadata("p")),
                "participants/p/a.txt", "hello", "MANIFEST.sha256", manifest);
        Throwable thrown = catchThrowable(() -> new ArchiveReader(new ByteArrayInputStream(zip),
                ArchiveLimits.DEFAULTS, ArchiveObserver.NONE).finish());
        assertThat(thrown).isInstanceOf(InvalidArchiveException.class);
        return thrown.getMessage();
    }
}
