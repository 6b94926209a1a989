package io.snapkeep.core.application.archive;

import io.snapkeep.core.error.InvalidArchiveException;
import io.snapkeep.core.support.Printable;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.HashSet;
import java.util.Set;

/**
 * Checks {@code MANIFEST.sha256} against the entries read before it: each line names an entry the archive
 * holds (not the manifest itself), once, with that entry's SHA-256 and size; and every entry is listed.
 */
final class ManifestCheck {
    private ManifestCheck() {
    }

    /** Reads the manifest's {@code content} to its end and checks it against what {@code zip} has read. */
    static void verify(InputStream content, ZipStreamReader zip) throws IOException {
        Set<String> listed = new HashSet<>();
        ManifestCodec.read(content, line -> check(line, zip, listed));
        for (ZipStreamReader.EntryRecord r : zip.records()) {
            if (!r.name.equals(ArchiveLayout.MANIFEST) && !listed.contains(r.name)) {
                throw new InvalidArchiveException("Entry `" + Printable.of(r.name) + "` is missing from MANIFEST.sha256");
            }
        }
    }

    private static void check(ManifestCodec.Line line, ZipStreamReader zip, Set<String> listed) {
        String path = line.path();
        ZipStreamReader.EntryRecord record = zip.record(path);
        if (record == null || path.equals(ArchiveLayout.MANIFEST)) {
            throw new InvalidArchiveException("MANIFEST.sha256 lists `" + Printable.of(path)
                    + "`, which the archive does not hold");
        }
        if (!listed.add(path)) {
            throw new InvalidArchiveException("MANIFEST.sha256 lists `" + Printable.of(path) + "` twice");
        }
        if (!MessageDigest.isEqual(line.sha256(), record.sha256)) {
            throw new InvalidArchiveException("Entry `" + Printable.of(path)
                    + "` does not match its checksum in MANIFEST.sha256");
        }
        if (line.size() != record.size) {
            throw new InvalidArchiveException("Entry `" + Printable.of(path) + "` has " + record.size
                    + " bytes, MANIFEST.sha256 says " + line.size());
        }
    }
}
