package io.snapkeep.core.application.archive;

import io.snapkeep.core.domain.ArchiveInfo;
import io.snapkeep.core.error.InvalidArchiveException;
import io.snapkeep.core.support.Printable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The end of a zip read as a stream: the central directory, checked header by header against the entries
 * already read (name, method, CRC, sizes, offset, and their number), then the ZIP64 end record and locator
 * when present, then the end of central directory record, whose counts, size and offset must agree too;
 * nothing may follow it.
 */
final class CentralDirectory {
    private final ZipInput input;
    private final EntryTable records;
    private final long centralStart;

    private CentralDirectory(ZipInput input, EntryTable records, long centralStart) {
        this.input = input;
        this.records = records;
        this.centralStart = centralStart;
    }

    /**
     * Reads from just after the signature {@code signature} at {@code centralStart} (a central header, or an
     * end record when the zip has no entries) to the end of the stream; returns the archive's size and SHA-256.
     */
    static ArchiveInfo read(ZipInput input, EntryTable records, long centralStart,
                            long signature) throws IOException {
        CentralDirectory directory = new CentralDirectory(input, records, centralStart);
        long after = directory.crossCheckHeaders(signature);
        long centralEnd = input.position() - 4;
        directory.checkEndRecords(after, centralEnd);
        if (!input.atEnd()) {
            throw new InvalidArchiveException("The archive has unexpected bytes after its end of central directory record");
        }
        return new ArchiveInfo(input.bytesFetched(), input.sha256());
    }

    /** Compares each central header with the entry read at its place; returns the signature after them. */
    private long crossCheckHeaders(long signature) throws IOException {
        String where = "its central directory";
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
                    // Only the fields whose 32-bit value is the marker are there, in this order.
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
                throw mismatch("it lists more entries than the archive holds (" + records.size() + ")");
            }
            String name = new String(nameBytes, StandardCharsets.UTF_8);
            if (!records.fingerprintIs(index, records.fingerprint(nameBytes))) {
                throw mismatch("its entry " + (index + 1) + " is `" + Printable.of(name)
                        + "`, which is not the name of the archive's entry " + (index + 1));
            }
            if (method != records.method(index) || crc != records.crc(index) || compressed != records.compressed(index)
                    || size != records.size(index) || offset != records.offset(index)) {
                throw mismatch("it gives entry `" + Printable.of(name)
                        + "` a different method, CRC, size or offset than its local header and data");
            }
            index++;
            signature = input.u32(where);
        }
        if (index != records.size()) {
            throw mismatch("it lists " + index + " entries, the archive holds " + records.size());
        }
        return signature;
    }

    /** Reads the ZIP64 end record and locator (if {@code signature} starts them) and the end record. */
    private void checkEndRecords(long signature, long centralEnd) throws IOException {
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
    }

    private static InvalidArchiveException mismatch(String what) {
        return new InvalidArchiveException("The archive's central directory does not match its entries: " + what);
    }
}
