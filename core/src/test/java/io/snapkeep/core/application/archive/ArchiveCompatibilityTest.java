package io.snapkeep.core.application.archive;

import static io.snapkeep.core.application.archive.Archives.metadata;
import static io.snapkeep.core.application.archive.Archives.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.snapkeep.core.port.out.StateParticipant.ExportSink;
import io.snapkeep.core.testing.TestBytes;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Archives the writer produces are ordinary zips: other tools read and test them. */
class ArchiveCompatibilityTest {
    @TempDir
    Path dir;

    /** Writes a mixed archive to a file; returns entry name to SHA-256 of content. */
    private Map<String, String> writeMixed(Path file, long zip64Size, long zip64Count) throws IOException {
        Map<String, String> digests = new LinkedHashMap<>();
        try (OutputStream out = Files.newOutputStream(file)) {
            ArchiveWriter writer = new ArchiveWriter(out, ArchiveObserver.NONE, zip64Size, zip64Count);
            writer.writeMetadata(metadata("files", "db"));
            ExportSink files = writer.participantSink("files");
            byte[] small = text(20_000);
            files.addEntry("small.txt", small.length, new ByteArrayInputStream(small));
            digests.put("participants/files/small.txt", TestBytes.sha256(small));
            files.addEntry("empty", 0, InputStream.nullInputStream());
            digests.put("participants/files/empty", TestBytes.sha256(new byte[0]));
            int large = 3 << 20;
            files.addEntry("random.bin", large, TestBytes.random(4, large));
            digests.put("participants/files/random.bin", TestBytes.sha256(TestBytes.random(4, large)));
            byte[] bigText = text(large);
            files.addEntry("big.txt", large, new ByteArrayInputStream(bigText));
            digests.put("participants/files/big.txt", TestBytes.sha256(bigText));
            ExportSink db = writer.participantSink("db");
            try (OutputStream o = db.newEntry("dump.sql")) {
                o.write(bigText);
            }
            digests.put("participants/db/dump.sql", TestBytes.sha256(bigText));
            try (OutputStream o = db.newEntry("noise")) {
                TestBytes.copy(TestBytes.random(5, large), o);
            }
            digests.put("participants/db/noise", TestBytes.sha256(TestBytes.random(5, large)));
            try (OutputStream o = db.newEntry("tiny.json")) {
                o.write("{}".getBytes(StandardCharsets.UTF_8));
            }
            digests.put("participants/db/tiny.json", TestBytes.sha256("{}".getBytes(StandardCharsets.UTF_8)));
            writer.finish();
        }
        return digests;
    }

    @Test
    void java_util_zip_reads_every_entry_back() throws IOException {
        Path file = dir.resolve("a.zip");
        Map<String, String> digests = writeMixed(file, Zip.MAGIC32, Zip.MAGIC16);
        assertThat(readWithZipFile(file)).containsAllEntriesOf(digests).containsKeys("metadata.json", "MANIFEST.sha256");
    }

    @Test
    void with_zip64_fields_everywhere_java_util_zip_and_our_reader_still_read_it() throws IOException {
        Path file = dir.resolve("zip64.zip");
        Map<String, String> digests = writeMixed(file, 1000, 3);
        byte[] zip = Files.readAllBytes(file);
        assertThat(ZipInput.u16(zip, Archives.localHeaderOffset(zip, "participants/files/random.bin") + 4))
                .as("version needed").isEqualTo(Zip.VERSION_ZIP64);

        assertThat(readWithZipFile(file)).containsAllEntriesOf(digests);
        ArchiveReader reader = new ArchiveReader(new ByteArrayInputStream(zip), ArchiveLimits.DEFAULTS, ArchiveObserver.NONE);
        Map<String, Map<String, String>> read = Archives.readAll(reader);
        assertThat(read.get("files").get("random.bin")).isEqualTo(digests.get("participants/files/random.bin"));
        assertThat(reader.finish().entries()).isEqualTo(7);
    }

    @Test
    void unzip_tests_the_archive_clean() throws Exception {
        assumeTrue(onPath("unzip"), "unzip is not installed");
        Path plain = dir.resolve("plain.zip");
        writeMixed(plain, Zip.MAGIC32, Zip.MAGIC16);
        Path zip64 = dir.resolve("zip64.zip");
        writeMixed(zip64, 1000, 3);
        for (Path file : List.of(plain, zip64)) {
            Result r = run("unzip", "-t", file.toString());
            assertThat(r.exit).as(r.output).isZero();
            assertThat(r.output).contains("No errors detected");
        }
    }

    @Test
    void python_zipfile_tests_the_archive_clean() throws Exception {
        assumeTrue(onPath("python3"), "python3 is not installed");
        Path plain = dir.resolve("plain.zip");
        writeMixed(plain, Zip.MAGIC32, Zip.MAGIC16);
        Path zip64 = dir.resolve("zip64.zip");
        writeMixed(zip64, 1000, 3);
        for (Path file : List.of(plain, zip64)) {
            Result r = run("python3", "-m", "zipfile", "-t", file.toString());
            assertThat(r.exit).as(r.output).isZero();
            assertThat(r.output).contains("Done testing").doesNotContain("bad");
        }
    }

    @Test
    void more_than_65535_entries_take_zip64_end_records_and_still_read_back() throws Exception {
        int count = 70_000;
        Path file = dir.resolve("many.zip");
        try (OutputStream out = Files.newOutputStream(file)) {
            ArchiveWriter writer = new ArchiveWriter(new java.io.BufferedOutputStream(out), ArchiveObserver.NONE);
            writer.writeMetadata(metadata("many"));
            ExportSink sink = writer.participantSink("many");
            for (int i = 0; i < count; i++) {
                byte[] b = ("entry " + i).getBytes(StandardCharsets.UTF_8);
                sink.addEntry("d" + (i % 100) + "/e" + i, b.length, new ByteArrayInputStream(b));
            }
            writer.finish();
        }
        byte[] zip = Files.readAllBytes(file);
        assertThat(indexOf(zip, new byte[] {0x50, 0x4b, 6, 6})).as("ZIP64 end record").isPositive();

        ArchiveReader reader = new ArchiveReader(new ByteArrayInputStream(zip), ArchiveLimits.DEFAULTS, ArchiveObserver.NONE);
        Map<String, Map<String, String>> read = Archives.readAll(reader);
        assertThat(read.get("many")).hasSize(count);
        assertThat(reader.finish().entries()).isEqualTo(count);
        try (ZipFile z = new ZipFile(file.toFile())) {
            assertThat(z.size()).isEqualTo(count + 2);
        }
        if (onPath("unzip")) {
            Result r = run("unzip", "-tq", file.toString());
            assertThat(r.exit).as(r.output).isZero();
        }
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static Map<String, String> readWithZipFile(Path file) throws IOException {
        Map<String, String> digests = new HashMap<>();
        try (ZipFile z = new ZipFile(file.toFile())) {
            Enumeration<? extends ZipEntry> entries = z.entries();
            while (entries.hasMoreElements()) {
                ZipEntry e = entries.nextElement();
                digests.put(e.getName(), TestBytes.sha256(z.getInputStream(e)));
            }
        }
        return digests;
    }

    private static boolean onPath(String tool) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String d : path.split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(d, tool))) {
                return true;
            }
        }
        return false;
    }

    private record Result(int exit, String output) {
    }

    private static Result run(String... command) throws Exception {
        Process p = new ProcessBuilder(new ArrayList<>(List.of(command))).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("%s finished", command[0]).isTrue();
        return new Result(p.exitValue(), output);
    }
}
