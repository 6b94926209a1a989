package io.snapkeep.core.application.archive;

import io.snapkeep.core.domain.ArchiveInfo;
import io.snapkeep.core.error.InvalidArchiveException;
import io.snapkeep.core.support.Printable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.util.function.Predicate;
import java.util.zip.Inflater;

/**
 * Reads a zip in one pass from a stream, by its local headers, checking as it goes: names, duplicates,
 * limits, each entry's CRC and sizes; then checks that the central directory and end records agree with
 * what was read and that nothing follows them. Knows nothing of what the entries mean.
 *
 * <p>Handles deflated entries with or without a data descriptor, and stored entries whose sizes are in
 * the local header (with or without a descriptor). A stored entry with a descriptor and no sizes cannot
 * be read as a stream (its end cannot be found) and is refused.
 */
final class ZipStreamReader {
    private final ZipInput input;
    private final ReadLimits limits;
    private final ArchiveObserver observer;
    private final Predicate<String> observed;
    private final boolean entryDigests;
    private final EntryTable table = new EntryTable();
    /** The last entry's name, for messages; no other name is kept. */
    private String lastName = "";
    private EntryContent current;
    /** One for all deflated entries, which are read one after the other: no native state made per entry. */
    private Inflater inflater;
    private long centralStart = -1;
    private long firstSignatureAfterEntries;
    private ArchiveInfo archive;

    /**
     * The entry being read: its name while it is read, and its number in the table, which keeps (without the
     * name) what the central directory and the manifest are compared with.
     */
    static final class EntryRecord {
        final String name;
        final int method;
        private final EntryTable table;
        private final int index;

        EntryRecord(String name, int method, EntryTable table, int index) {
            this.name = name;
            this.method = method;
            this.table = table;
            this.index = index;
        }

        /** Its data has been read to its end and checked; {@code sha256} is null when not computed. */
        void complete(long crc, long compressed, long size, byte[] sha256) {
            table.complete(index, crc, compressed, size, sha256);
        }
    }

    ZipStreamReader(InputStream in, ArchiveLimits limits, ArchiveObserver observer, Predicate<String> observed) {
        this(in, limits, observer, observed, true);
    }

    /**
     * @param entryDigests whether each entry's SHA-256 is computed, for {@link ManifestCheck} to compare; a
     *                     reader without them still checks every CRC, size and name
     */
    ZipStreamReader(InputStream in, ArchiveLimits limits, ArchiveObserver observer, Predicate<String> observed,
                    boolean entryDigests) {
        this.input = new ZipInput(in);
        this.limits = new ReadLimits(limits);
        this.observer = observer;
        this.observed = observed;
        this.entryDigests = entryDigests;
    }

    /** Whether entries' SHA-256 digests are computed (and so can be compared with a manifest). */
    boolean entryDigests() {
        return entryDigests;
    }

    /** Stops reading the source ahead (done or given up). */
    void close() {
        input.close();
        if (inflater != null) {
            inflater.end();
            inflater = null;
        }
    }

    /** Every entry read so far, in archive order, by fingerprint of its name. */
    EntryTable entries() {
        return table;
    }

    private String last() {
        return lastName;
    }

    /**
     * The next entry (the previous one is read to its end and checked first), or null when the central
     * directory starts.
     */
    Entry next() throws IOException {
        if (current != null) {
            current.drain();
            current = null;
        }
        if (centralStart >= 0) {
            return null;
        }
        long offset = input.position();
        if (input.atEnd()) {
            if (offset == 0) {
                throw new InvalidArchiveException("The archive is empty");
            }
            throw new InvalidArchiveException("The archive is truncated: it ends after entry `" + last()
                    + "`, before its central directory");
        }
        String where = table.size() == 0 ? "the first entry's header" : "the header after entry `" + last() + "`";
        long signature = input.u32(where);
        if (signature == Zip.CENTRAL_HEADER || (signature == Zip.END && offset == 0)
                || (signature == Zip.ZIP64_END && table.size() == 0)) {
            centralStart = offset;
            firstSignatureAfterEntries = signature;
            return null;
        }
        if (signature != Zip.LOCAL_HEADER) {
            if (offset == 0) {
                throw new InvalidArchiveException("The archive is not a zip file: it does not start with a zip entry header");
            }
            throw new InvalidArchiveException("The archive is damaged: expected an entry header or the central directory at offset "
                    + offset + ", after entry `" + last() + "`");
        }
        return readLocalEntry(offset);
    }

    private Entry readLocalEntry(long offset) throws IOException {
        String where = "the header of the entry at offset " + offset;
        byte[] h = new byte[26];
        input.readFully(h, 0, h.length, where);
        int flags = ZipInput.u16(h, 2);
        int method = ZipInput.u16(h, 4);
        long crc = ZipInput.u32(h, 10);
        long compressed = ZipInput.u32(h, 14);
        long size = ZipInput.u32(h, 18);
        byte[] nameBytes = new byte[ZipInput.u16(h, 22)];
        byte[] extra = new byte[ZipInput.u16(h, 24)];
        input.readFully(nameBytes, 0, nameBytes.length, where);
        input.readFully(extra, 0, extra.length, where);
        String name = decodeName(nameBytes, offset);
        String problem = Zip.problemWithName(name);
        if (problem != null) {
            throw new InvalidArchiveException(problem);
        }
        long[] fingerprint = table.fingerprint(nameBytes);
        if (table.find(fingerprint) >= 0) {
            throw new InvalidArchiveException("The archive holds entry `" + Printable.of(name) + "` twice");
        }
        limits.checkAnotherEntry(table.size());
        String shown = "Entry `" + Printable.of(name) + "`";
        if ((flags & Zip.FLAG_ENCRYPTED) != 0) {
            throw new InvalidArchiveException(shown + " is encrypted, which is not supported");
        }
        if (method != Zip.STORED && method != Zip.DEFLATED) {
            throw new InvalidArchiveException(shown + " uses compression method " + method
                    + "; only stored (0) and deflated (8) are supported");
        }
        boolean zip64 = false;
        for (int p = 0; p + 4 <= extra.length; ) {
            int id = ZipInput.u16(extra, p);
            int len = ZipInput.u16(extra, p + 2);
            if (p + 4 + len > extra.length) {
                throw new InvalidArchiveException(shown + " has a malformed extra field");
            }
            if (id == Zip.ZIP64_EXTRA) {
                zip64 = true;
                int q = p + 4;
                if (size == Zip.MAGIC32 || len >= 16) {
                    if (q + 8 > p + 4 + len) {
                        throw new InvalidArchiveException(shown + " has a malformed ZIP64 extra field");
                    }
                    size = size == Zip.MAGIC32 || size == 0 ? ZipInput.u64(extra, q) : size;
                    q += 8;
                }
                if (compressed == Zip.MAGIC32 || len >= 16) {
                    if (q + 8 > p + 4 + len) {
                        throw new InvalidArchiveException(shown + " has a malformed ZIP64 extra field");
                    }
                    compressed = compressed == Zip.MAGIC32 || compressed == 0 ? ZipInput.u64(extra, q) : compressed;
                }
            }
            p += 4 + len;
        }
        boolean descriptor = (flags & Zip.FLAG_DESCRIPTOR) != 0;
        if (method == Zip.STORED) {
            if (compressed != size) {
                throw new InvalidArchiveException(shown + " is stored, yet its header gives different sizes ("
                        + compressed + " and " + size + ")");
            }
            limits.checkAnnounced(size);
        }
        EntryRecord record = new EntryRecord(name, method, table, table.add(fingerprint, method, offset));
        lastName = name;
        current = new EntryContent(input, limits, observed.test(name) ? new EntryProgress(observer) : null, record,
                new EntryContent.Header(descriptor, zip64, crc, compressed, size), entryDigests,
                method == Zip.DEFLATED ? resetInflater() : null);
        return new Entry(name, current);
    }

    private Inflater resetInflater() {
        if (inflater == null) {
            inflater = new Inflater(true);
        } else {
            inflater.reset();
        }
        return inflater;
    }

    private static String decodeName(byte[] bytes, long offset) {
        try {
            return Zip.decodeUtf8(bytes);
        } catch (CharacterCodingException e) {
            throw new InvalidArchiveException("The name of the entry at offset " + offset + " is not valid UTF-8");
        }
    }

    /** An entry as it is read: its name and a stream of its uncompressed bytes, checked at their end. */
    record Entry(String name, EntryContent content) {
    }

    /**
     * Reads the central directory and end records (after {@link #next} returned null), checks they agree
     * with the entries read and that the stream ends with them; returns the archive's size and SHA-256.
     */
    ArchiveInfo finish() throws IOException {
        if (archive != null) {
            return archive;
        }
        if (centralStart < 0) {
            throw new IllegalStateException("entries remain before the central directory");
        }
        archive = CentralDirectory.read(input, table, centralStart, firstSignatureAfterEntries);
        return archive;
    }
}
