package io.snapkeep.core.application.archive;

import io.snapkeep.core.domain.ArchiveInfo;
import io.snapkeep.core.error.InvalidArchiveException;
import io.snapkeep.core.support.Printable;
import io.snapkeep.core.support.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
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
    /** The compression-ratio limit applies to entries over this many expanded bytes. */
    static final long RATIO_FLOOR = 1L << 20;

    private final ZipInput input;
    private final ArchiveLimits limits;
    private final ArchiveObserver observer;
    private final Predicate<String> observed;
    private final List<EntryRecord> records = new ArrayList<>();
    private final Map<String, EntryRecord> byName = new HashMap<>();
    private EntryContent current;
    private long centralStart = -1;
    private long firstSignatureAfterEntries;
    private long expandedBytes;
    private ArchiveInfo archive;

    /** What was read of one entry, kept to compare with the central directory and the manifest. */
    static final class EntryRecord {
        final String name;
        final int method;
        final long offset;
        long crc;
        long compressed;
        long size;
        byte[] sha256;
        boolean complete;

        EntryRecord(String name, int method, long offset) {
            this.name = name;
            this.method = method;
            this.offset = offset;
        }
    }

    ZipStreamReader(InputStream in, ArchiveLimits limits, ArchiveObserver observer, Predicate<String> observed) {
        this.input = new ZipInput(in);
        this.limits = limits;
        this.observer = observer;
        this.observed = observed;
    }

    /** Stops reading the source ahead (done or given up). */
    void close() {
        input.close();
    }

    /** Every entry read so far, in archive order. */
    List<EntryRecord> records() {
        return records;
    }

    EntryRecord record(String name) {
        return byName.get(name);
    }

    private String last() {
        return records.isEmpty() ? "" : records.get(records.size() - 1).name;
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
        String where = records.isEmpty() ? "the first entry's header" : "the header after entry `" + last() + "`";
        long signature = input.u32(where);
        if (signature == Zip.CENTRAL_HEADER || (signature == Zip.END && offset == 0)
                || (signature == Zip.ZIP64_END && records.isEmpty())) {
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
        if (byName.containsKey(name)) {
            throw new InvalidArchiveException("The archive holds entry `" + Printable.of(name) + "` twice");
        }
        if (records.size() >= limits.maxEntries()) {
            throw new InvalidArchiveException("The archive holds more than " + limits.maxEntries()
                    + " entries, the configured limit");
        }
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
            if (size > limits.maxExpandedBytes() - expandedBytes) {
                throw tooLarge();
            }
        }
        EntryRecord record = new EntryRecord(name, method, offset);
        records.add(record);
        byName.put(name, record);
        current = new EntryContent(record, descriptor, zip64, crc, compressed, size);
        return new Entry(name, current);
    }

    private static String decodeName(byte[] bytes, long offset) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new InvalidArchiveException("The name of the entry at offset " + offset + " is not valid UTF-8");
        }
    }

    private InvalidArchiveException tooLarge() {
        return new InvalidArchiveException("The archive expands to more than " + limits.maxExpandedBytes()
                + " bytes, the configured limit");
    }

    /** An entry as it is read: its name and a stream of its uncompressed bytes, checked at their end. */
    record Entry(String name, EntryContent content) {
    }

    /** An entry's uncompressed bytes; at their end, checks CRC and sizes against header and descriptor. */
    final class EntryContent extends InputStream {
        private final EntryRecord record;
        private final boolean descriptor;
        private final boolean zip64;
        private final long headerCrc;
        private final long headerCompressed;
        private final long headerSize;
        private final Inflater inflater;
        private final CRC32 crc = new CRC32();
        private final MessageDigest sha;
        private final boolean reported;
        private long storedLeft;
        private long size;
        private long unreported;
        private boolean done;

        EntryContent(EntryRecord record, boolean descriptor, boolean zip64, long headerCrc, long headerCompressed,
                     long headerSize) {
            this.record = record;
            this.descriptor = descriptor;
            this.zip64 = zip64;
            this.headerCrc = headerCrc;
            this.headerCompressed = headerCompressed;
            this.headerSize = headerSize;
            this.inflater = record.method == Zip.DEFLATED ? new Inflater(true) : null;
            this.storedLeft = headerSize;
            this.reported = observed.test(record.name);
            this.sha = Sha256.newDigest();
        }

        private String shown() {
            return "Entry `" + Printable.of(record.name) + "`";
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n;
            do {
                n = read(one, 0, 1);
            } while (n == 0);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            java.util.Objects.checkFromIndexSize(off, len, b.length);
            if (done) {
                return -1;
            }
            if (len == 0) {
                return 0;
            }
            int n;
            if (inflater == null) {
                if (storedLeft == 0) {
                    complete();
                    return -1;
                }
                n = input.read(b, off, (int) Math.min(len, storedLeft));
                if (n < 0) {
                    throw ZipInput.truncated("the data of entry `" + Printable.of(record.name) + "`");
                }
                storedLeft -= n;
            } else {
                n = inflate(b, off, len);
                if (n < 0) {
                    complete();
                    return -1;
                }
            }
            account(b, off, n);
            if (inflater == null && storedLeft == 0) {
                complete();
            }
            return n;
        }

        private int inflate(byte[] b, int off, int len) throws IOException {
            while (true) {
                int n;
                try {
                    n = inflater.inflate(b, off, len);
                } catch (DataFormatException e) {
                    throw new InvalidArchiveException(shown() + " is damaged: its deflated data is invalid ("
                            + e.getMessage() + ")");
                }
                if (n > 0) {
                    return n;
                }
                if (inflater.finished()) {
                    // The inflater was handed more than this entry's data: give the rest back.
                    input.pos -= inflater.getRemaining();
                    return -1;
                }
                if (inflater.needsDictionary()) {
                    throw new InvalidArchiveException(shown() + " is damaged: its deflated data wants a dictionary");
                }
                if (inflater.needsInput()) {
                    if (!input.fill()) {
                        throw ZipInput.truncated("the data of entry `" + Printable.of(record.name) + "`");
                    }
                    inflater.setInput(input.buffer, input.pos, input.available());
                    input.pos = input.limit;
                }
            }
        }

        private void account(byte[] b, int off, int n) {
            crc.update(b, off, n);
            sha.update(b, off, n);
            size += n;
            expandedBytes += n;
            if (expandedBytes > limits.maxExpandedBytes()) {
                throw tooLarge();
            }
            if (inflater != null && size > RATIO_FLOOR
                    && (double) size / Math.max(1, inflater.getBytesRead()) > limits.maxCompressionRatio()) {
                throw new InvalidArchiveException(shown() + " expands more than " + limits.maxCompressionRatio()
                        + " times its compressed size, the configured limit (a zip bomb?)");
            }
            if (reported) {
                unreported += n;
                if (unreported >= EntryProgress.STEP) {
                    long step = unreported;
                    unreported = 0;
                    observer.copied(step);
                }
            }
        }

        private void complete() throws IOException {
            done = true;
            long compressed = size;
            if (inflater != null) {
                compressed = inflater.getBytesRead();
                inflater.end();
            }
            long actualCrc = crc.getValue();
            String what = "the data descriptor of entry `" + Printable.of(record.name) + "`";
            if (descriptor) {
                long first = input.u32(what);
                long descriptorCrc = first == Zip.DATA_DESCRIPTOR ? input.u32(what) : first;
                // 64-bit sizes when the local header has a ZIP64 extra (APPNOTE 4.3.9.2) or when the sizes
                // need them (what java.util.zip writes for entries of unknown size).
                boolean wide = zip64 || compressed >= Zip.MAGIC32 || size >= Zip.MAGIC32;
                long descriptorCompressed = wide ? input.u64(what) : input.u32(what);
                long descriptorSize = wide ? input.u64(what) : input.u32(what);
                boolean storedWithoutSizes = inflater == null && headerSize == 0;
                if (storedWithoutSizes && (descriptorSize != 0 || descriptorCompressed != 0 || descriptorCrc != 0)) {
                    throw new InvalidArchiveException(shown() + " is stored with a data descriptor and no sizes in"
                            + " its local header: such an entry cannot be read as a stream");
                }
                if (descriptorCrc != actualCrc) {
                    throw crcMismatch();
                }
                if (descriptorCompressed != compressed || descriptorSize != size) {
                    throw new InvalidArchiveException(shown() + " is damaged: its data descriptor gives sizes "
                            + descriptorCompressed + "/" + descriptorSize + ", its data has " + compressed + "/" + size);
                }
            } else if (headerCrc != actualCrc) {
                throw crcMismatch();
            }
            if ((!descriptor || inflater == null) && (headerCompressed != compressed || headerSize != size)) {
                throw new InvalidArchiveException(shown() + " is damaged: its header gives sizes "
                        + headerCompressed + "/" + headerSize + ", its data has " + compressed + "/" + size);
            }
            record.crc = actualCrc;
            record.compressed = compressed;
            record.size = size;
            record.sha256 = sha.digest();
            record.complete = true;
            if (reported) {
                if (unreported > 0) {
                    long step = unreported;
                    unreported = 0;
                    observer.copied(step);
                }
                observer.entryDone(record.name, size);
            }
        }

        private InvalidArchiveException crcMismatch() {
            return new InvalidArchiveException(shown() + " does not match its CRC-32: the archive is damaged");
        }

        /** Reads (and so checks) whatever the caller left unread. */
        void drain() throws IOException {
            byte[] scratch = new byte[16 * 1024];
            while (read(scratch, 0, scratch.length) >= 0) {
                // discard
            }
        }

        @Override
        public void close() {
            // The archive stream goes on; unread bytes are drained when the next entry is asked for.
        }
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
        String where = "its central directory";
        long signature = firstSignatureAfterEntries;
        int index = 0;
        byte[] h = new byte[42];
        while (signature == Zip.CENTRAL_HEADER) {
            input.readFully(h, 0, h.length, where);
            int method = ZipInput.u16(h, 6);
            long crc = ZipInput.u32(h, 12);
            long compressed = ZipInput.u32(h, 16);
            long size = ZipInput.u32(h, 20);
            byte[] nameBytes = new byte[ZipInput.u16(h, 24)];
            byte[] extra = new byte[ZipInput.u16(h, 26)];
            int commentLength = ZipInput.u16(h, 28);
            long offset = ZipInput.u32(h, 38);
            input.readFully(nameBytes, 0, nameBytes.length, where);
            input.readFully(extra, 0, extra.length, where);
            input.skipFully(commentLength, where);
            for (int p = 0; p + 4 <= extra.length; ) {
                int id = ZipInput.u16(extra, p);
                int len = ZipInput.u16(extra, p + 2);
                if (id == Zip.ZIP64_EXTRA) {
                    int q = p + 4;
                    int end = Math.min(extra.length, q + len);
                    if (size == Zip.MAGIC32 && q + 8 <= end) {
                        size = ZipInput.u64(extra, q);
                        q += 8;
                    }
                    if (compressed == Zip.MAGIC32 && q + 8 <= end) {
                        compressed = ZipInput.u64(extra, q);
                        q += 8;
                    }
                    if (offset == Zip.MAGIC32 && q + 8 <= end) {
                        offset = ZipInput.u64(extra, q);
                    }
                }
                p += 4 + len;
            }
            if (index >= records.size()) {
                throw centralMismatch("it lists more entries than the archive holds (" + records.size() + ")");
            }
            EntryRecord r = records.get(index);
            String name = new String(nameBytes, StandardCharsets.UTF_8);
            if (!name.equals(r.name)) {
                throw centralMismatch("its entry " + (index + 1) + " is `" + Printable.of(name)
                        + "`, the archive's is `" + Printable.of(r.name) + "`");
            }
            if (method != r.method || crc != r.crc || compressed != r.compressed || size != r.size || offset != r.offset) {
                throw centralMismatch("it gives entry `" + Printable.of(name)
                        + "` a different method, CRC, size or offset than its local header and data");
            }
            index++;
            signature = input.u32(where);
        }
        long centralEnd = input.position() - 4;
        if (index != records.size()) {
            throw centralMismatch("it lists " + index + " entries, the archive holds " + records.size());
        }
        long zip64Count = -1;
        long zip64CentralSize = -1;
        long zip64CentralStart = -1;
        if (signature == Zip.ZIP64_END) {
            long zip64EndOffset = input.position() - 4;
            String zwhere = "its ZIP64 end record";
            long recordSize = input.u64(zwhere);
            if (recordSize < 44) {
                throw new InvalidArchiveException("The archive is damaged: its ZIP64 end record is too short");
            }
            byte[] z = new byte[44];
            input.readFully(z, 0, z.length, zwhere);
            zip64Count = ZipInput.u64(z, 20);
            zip64CentralSize = ZipInput.u64(z, 28);
            zip64CentralStart = ZipInput.u64(z, 36);
            input.skipFully(recordSize - 44, zwhere);
            if (input.u32("its ZIP64 end locator") != Zip.ZIP64_LOCATOR) {
                throw new InvalidArchiveException("The archive is damaged: its ZIP64 end record has no locator after it");
            }
            byte[] l = new byte[16];
            input.readFully(l, 0, l.length, "its ZIP64 end locator");
            if (ZipInput.u64(l, 4) != zip64EndOffset) {
                throw new InvalidArchiveException("The archive is damaged: its ZIP64 end locator points to offset "
                        + ZipInput.u64(l, 4) + ", the record is at " + zip64EndOffset);
            }
            signature = input.u32("its end of central directory record");
        }
        if (signature != Zip.END) {
            throw new InvalidArchiveException("The archive is damaged: expected the end of central directory record at offset "
                    + (input.position() - 4));
        }
        byte[] e = new byte[18];
        input.readFully(e, 0, e.length, "its end of central directory record");
        input.skipFully(ZipInput.u16(e, 16), "its end of central directory record's comment");
        long count = ZipInput.u16(e, 6);
        long centralSize = ZipInput.u32(e, 8);
        long centralOffset = ZipInput.u32(e, 12);
        if (ZipInput.u16(e, 0) != 0 || ZipInput.u16(e, 2) != 0) {
            throw new InvalidArchiveException("The archive spans several disks, which is not supported");
        }
        count = count == Zip.MAGIC16 && zip64Count >= 0 ? zip64Count : count;
        centralSize = centralSize == Zip.MAGIC32 && zip64CentralSize >= 0 ? zip64CentralSize : centralSize;
        centralOffset = centralOffset == Zip.MAGIC32 && zip64CentralStart >= 0 ? zip64CentralStart : centralOffset;
        if (count != records.size() || centralSize != centralEnd - centralStart || centralOffset != centralStart) {
            throw new InvalidArchiveException("The archive is damaged: its end record (" + count + " entries, central directory of "
                    + centralSize + " bytes at " + centralOffset + ") does not match what was read (" + records.size()
                    + " entries, " + (centralEnd - centralStart) + " bytes at " + centralStart + ")");
        }
        if (!input.atEnd()) {
            throw new InvalidArchiveException("The archive has unexpected bytes after its end of central directory record");
        }
        archive = new ArchiveInfo(input.bytesFetched(), input.sha256());
        return archive;
    }

    private static InvalidArchiveException centralMismatch(String what) {
        return new InvalidArchiveException("The archive's central directory does not match its entries: " + what);
    }
}
