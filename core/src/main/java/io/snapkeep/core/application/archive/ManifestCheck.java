package io.snapkeep.core.application.archive;

import io.snapkeep.core.error.InvalidArchiveException;
import io.snapkeep.core.support.Printable;
import java.io.IOException;
import java.io.InputStream;

/**
 * Checks {@code MANIFEST.sha256} against the entries read before it: each line names an entry the archive
 * holds (not the manifest itself), once, with that entry's SHA-256 and size; and every entry is listed.
 * Lines are checked as they are read and not kept: what is listed is one bit per entry. A reader without
 * entry digests checks everything but the digests themselves (see {@link ArchiveReader#ofRecorded}).
 */
final class ManifestCheck {
    private ManifestCheck() {
    }

    /** Reads the manifest's {@code content} to its end and checks it against what {@code zip} has read. */
    static void verify(InputStream content, ZipStreamReader zip) throws IOException {
        EntryTable entries = zip.entries();
        int manifest = entries.find(entries.fingerprint(ArchiveLayout.MANIFEST));
        long[] listed = new long[(entries.size() + 63) / 64];
        boolean digests = zip.entryDigests();
        ManifestCodec.read(content, line -> check(line, entries, manifest, listed, digests));
        for (int e = 0; e < entries.size(); e++) {
            if (e != manifest && (listed[e >>> 6] & (1L << e)) == 0) {
                throw new InvalidArchiveException("Entry " + (e + 1) + " of the archive (at offset " + entries.offset(e)
                        + ") is missing from MANIFEST.sha256");
            }
        }
    }

    private static void check(ManifestCodec.Line line, EntryTable entries, int manifest, long[] listed,
                              boolean digests) {
        String path = line.path();
        int e = entries.find(entries.fingerprint(path));
        if (e < 0 || e == manifest) {
            throw new InvalidArchiveException("MANIFEST.sha256 lists `" + Printable.of(path)
                    + "`, which the archive does not hold");
        }
        if ((listed[e >>> 6] & (1L << e)) != 0) {
            throw new InvalidArchiveException("MANIFEST.sha256 lists `" + Printable.of(path) + "` twice");
        }
        listed[e >>> 6] |= 1L << e;
        if (digests && !entries.sha256Is(e, line.sha256())) {
            throw new InvalidArchiveException("Entry `" + Printable.of(path)
                    + "` does not match its checksum in MANIFEST.sha256");
        }
        if (line.size() != entries.size(e)) {
            throw new InvalidArchiveException("Entry `" + Printable.of(path) + "` has " + entries.size(e)
                    + " bytes, MANIFEST.sha256 says " + line.size());
        }
    }
}
