package io.snapkeep.core.application.archive;

import io.snapkeep.core.domain.StateCategory;
import io.snapkeep.core.port.out.StateParticipant.Entry;
import io.snapkeep.core.port.out.StateParticipant.EntrySource;
import io.snapkeep.core.testing.TestBytes;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Helpers for the archive tests: metadata, reading archives back, finding local headers in bytes. */
final class Archives {
    static final Instant CREATED = Instant.parse("2026-03-04T05:06:07.089Z");

    private Archives() {
    }

    static ArchiveMetadata metadata(String... participants) {
        return metadata(ArchiveMetadata.CURRENT_VERSION, participants);
    }

    static ArchiveMetadata metadata(int version, String... participants) {
        List<ArchiveMetadata.ParticipantInfo> infos = java.util.Arrays.stream(participants)
                .map(p -> new ArchiveMetadata.ParticipantInfo(p, StateCategory.STATE)).toList();
        return new ArchiveMetadata(ArchiveMetadata.FORMAT, version, "snap-1", "exec-1", CREATED,
                Map.of("include_credentials", true, "tag", "nightly"), infos);
    }

    /** An archive with one participant {@code p} holding the given entries (path to bytes). */
    static byte[] archive(Map<String, byte[]> entries) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ArchiveWriter writer = new ArchiveWriter(out, ArchiveObserver.NONE);
        writer.writeMetadata(metadata("p"));
        var sink = writer.participantSink("p");
        for (var e : entries.entrySet()) {
            sink.addEntry(e.getKey(), e.getValue().length, new ByteArrayInputStream(e.getValue()));
        }
        writer.finish();
        return out.toByteArray();
    }

    static byte[] text(int size) {
        StringBuilder s = new StringBuilder();
        int line = 0;
        while (s.length() < size) {
            s.append("line ").append(line++).append(": the quick brown fox jumps over the lazy dog\n");
        }
        return s.substring(0, size).getBytes(StandardCharsets.US_ASCII);
    }

    /** Every participant's entries as path to SHA-256, read through {@code reader}, then finished. */
    static Map<String, Map<String, String>> readAll(ArchiveReader reader) throws IOException {
        Map<String, Map<String, String>> all = new LinkedHashMap<>();
        reader.metadata();
        Optional<ArchiveReader.ParticipantEntries> p;
        while ((p = reader.nextParticipant()).isPresent()) {
            Map<String, String> digests = new LinkedHashMap<>();
            EntrySource source = p.get().entries();
            Optional<Entry> e;
            while ((e = source.next()).isPresent()) {
                digests.put(e.get().path(), TestBytes.sha256(e.get().content()));
            }
            all.put(p.get().name(), digests);
        }
        return all;
    }

    /** Offset of the local header of entry {@code name} in {@code zip}, found by scanning. */
    static int localHeaderOffset(byte[] zip, String name) {
        byte[] wanted = name.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i + 30 <= zip.length; i++) {
            if (zip[i] == 0x50 && zip[i + 1] == 0x4b && zip[i + 2] == 3 && zip[i + 3] == 4) {
                int nameLength = ZipInput.u16(zip, i + 26);
                if (nameLength == wanted.length && i + 30 + nameLength <= zip.length
                        && java.util.Arrays.equals(zip, i + 30, i + 30 + nameLength, wanted, 0, wanted.length)) {
                    return i;
                }
            }
        }
        throw new AssertionError("no local header for " + name);
    }

    /** The compression method the local header of {@code name} gives. */
    static int localMethod(byte[] zip, String name) {
        return ZipInput.u16(zip, localHeaderOffset(zip, name) + 8);
    }

    /** {@code zip} with every occurrence of {@code from} replaced by {@code to} (same length). */
    static byte[] replaceAll(byte[] zip, String from, String to) {
        byte[] a = from.getBytes(StandardCharsets.UTF_8);
        byte[] b = to.getBytes(StandardCharsets.UTF_8);
        if (a.length != b.length) {
            throw new IllegalArgumentException("same length only");
        }
        byte[] out = zip.clone();
        int count = 0;
        for (int i = 0; i + a.length <= out.length; i++) {
            if (java.util.Arrays.equals(out, i, i + a.length, a, 0, a.length)) {
                System.arraycopy(b, 0, out, i, b.length);
                count++;
            }
        }
        if (count == 0) {
            throw new AssertionError(from + " not found");
        }
        return out;
    }

    /**
     * A zip written by java.util.zip: entry names and contents (text, or bytes as they are), alternating,
     * in archive order.
     */
    static byte[] foreignZip(Object... nameThenContent) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            for (int i = 0; i < nameThenContent.length; i += 2) {
                zip.putNextEntry(new ZipEntry((String) nameThenContent[i]));
                Object content = nameThenContent[i + 1];
                zip.write(content instanceof byte[] bytes ? bytes : ((String) content).getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        }
        return out.toByteArray();
    }
}
