package io.snapkeep.core.application.archive;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Validating an upload holds a small fixed amount per entry, never its name: an archive of many tiny entries
 * with long names validates in a JVM whose heap is far smaller than those names together.
 *
 * <p>By default 250,000 entries of 120-byte names are validated at {@code -Xmx64m}: the pressure per MiB of
 * heap of the 1,000,000 entries the default limit allows at {@code -Xmx256m}, which
 * {@code -Dsnapkeep.upload.entries=1000000 -Dsnapkeep.upload.heap=256m} runs.
 */
class UploadMemoryTest {
    static final int NAME_BYTES = 120;
    static final byte[] EMPTY = new byte[0];

    @TempDir
    Path dir;

    @Test
    void many_entries_with_long_names_validate_in_a_small_heap() throws Exception {
        int entries = Integer.getInteger("snapkeep.upload.entries", 250_000);
        String heap = System.getProperty("snapkeep.upload.heap", "64m");
        Path zip = dir.resolve("many.zip");
        write(zip, entries);

        List<String> out = validateInChild(zip, heap);

        assertThat(out).as("the child's output").isNotEmpty();
        assertThat(out.get(0)).isEqualTo("OK " + entries);
    }

    /** A snapkeep archive of one participant holding {@code entries} empty entries of long names, streamed. */
    static void write(Path zip, int entries) throws IOException {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(zip), 1 << 16)) {
            ArchiveWriter writer = new ArchiveWriter(out, ArchiveObserver.NONE);
            writer.writeMetadata(Archives.metadata("p"));
            var sink = writer.participantSink("p");
            for (int i = 0; i < entries; i++) {
                sink.addEntry(name(i), 0, new ByteArrayInputStream(EMPTY));
            }
            writer.finish();
        }
    }

    /** Entry {@code i}'s path in participant {@code p}: {@value #NAME_BYTES} bytes with its folder. */
    static String name(int i) {
        StringBuilder s = new StringBuilder("d").append(i % 1000).append("/entry-").append(i).append('-');
        int full = "participants/p/".length();
        while (s.length() + full < NAME_BYTES) {
            s.append('n');
        }
        return s.toString();
    }

    private List<String> validateInChild(Path zip, String heap) throws IOException, InterruptedException {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(java.toString(), "-Xmx" + heap, "-XX:+UseSerialGC",
                "-cp", classpath, UploadMemoryCheck.class.getName(), zip.toString()));
        Path output = dir.resolve("child.out");
        Process child = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        boolean ended = child.waitFor(5, TimeUnit.MINUTES);
        if (!ended) {
            child.destroyForcibly();
            child.waitFor(30, TimeUnit.SECONDS);
        }
        List<String> lines = Files.readAllLines(output, StandardCharsets.UTF_8);
        System.out.println("upload of " + Files.size(zip) + " bytes, -Xmx" + heap + ": " + String.join(" | ", lines));
        assertThat(ended).as("the child ended in time: " + lines).isTrue();
        return lines;
    }
}
