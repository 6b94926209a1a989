package io.snapkeep.core.application.archive;

import io.snapkeep.core.domain.ArchiveInfo;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes the zip container itself, in one pass, to a stream: local headers, entry data, data descriptors,
 * the central directory and the end records, with ZIP64 fields where sizes, offsets or counts need them.
 * Counts and digests every byte it writes. Knows nothing of what the entries mean.
 *
 * <p>{@code java.util.zip.ZipOutputStream} is not used because it wants size and CRC before a STORED
 * entry, which would mean reading every incompressible file twice; here a STORED entry of known size
 * carries its sizes in the local header and its CRC in a data descriptor.
 */
final class ZipStreamWriter {
    /** Sizes and offsets at or over this take ZIP64 fields; lowered by tests to cover those paths cheaply. */
    private final long zip64Size;
    /** Entry counts at or over this take the ZIP64 end records. */
    private final long zip64Count;
    private final DigestingPipe out;
    private final int dosDateTime;
    private final List<CentralRecord> central = new ArrayList<>();
    private OpenEntry open;

    private record CentralRecord(byte[] name, int method, int flags, int crc, long compressed, long size,
                                 long offset, boolean directory) {
    }

    private record OpenEntry(byte[] name, int method, int flags, long offset, long dataStart, long knownSize,
                             boolean zip64) {
    }

    ZipStreamWriter(OutputStream out, int dosDateTime, long zip64Size, long zip64Count) {
        this.out = new DigestingPipe(out);
        this.dosDateTime = dosDateTime;
        this.zip64Size = zip64Size;
        this.zip64Count = zip64Count;
    }

    /** Gives the archive up: the thread that writes it out stops, and what is queued is dropped. */
    void abandon() {
        out.abandon();
    }


    /** Writes a whole entry whose bytes ({@code data}, already compressed by {@code method}) are at hand. */
    void writeComplete(String name, int method, int crc, long size, byte[] data, int off, int len)
            throws IOException {
        requireNoOpenEntry();
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        long offset = out.count();
        boolean zip64 = size >= zip64Size || len >= zip64Size;
        int flags = Zip.FLAG_UTF8;
        writeLocalHeader(nameBytes, method, flags, crc, len, size, zip64);
        out.write(data, off, len);
        central.add(new CentralRecord(nameBytes, method, flags, crc, len, size, offset, name.endsWith("/")));
    }

    /**
     * Starts an entry whose data follows through {@link #data}, then {@link #endEntry}. A STORED entry must
     * have a {@code knownSize}, which its local header carries; a DEFLATED one may pass -1.
     */
    void beginEntry(String name, int method, long knownSize) throws IOException {
        requireNoOpenEntry();
        if (method == Zip.STORED && knownSize < 0) {
            throw new IllegalArgumentException("a stored entry needs its size up front");
        }
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        long offset = out.count();
        boolean zip64;
        int flags = Zip.FLAG_UTF8 | Zip.FLAG_DESCRIPTOR;
        if (method == Zip.STORED) {
            zip64 = knownSize >= zip64Size;
            writeLocalHeader(nameBytes, method, flags, 0, knownSize, knownSize, zip64);
        } else {
            // Deflate may expand incompressible input a little (5 bytes per stored block). An unknown size
            // gets no ZIP64 extra: its descriptor takes 64-bit sizes only if they turn out to need them, the
            // rule java.util.zip.ZipInputStream reads by (and which our reader follows too).
            zip64 = knownSize >= 0 && knownSize + knownSize / 8 + 1024 >= zip64Size;
            writeLocalHeader(nameBytes, method, flags, 0, 0, 0, zip64);
        }
        open = new OpenEntry(nameBytes, method, flags, offset, out.count(), knownSize, zip64);
    }

    /** The stream an open entry's (compressed) data goes to. */
    OutputStream data() {
        return out;
    }

    /** Ends the open entry with a data descriptor; {@code size} is its uncompressed size. */
    void endEntry(int crc, long size) throws IOException {
        OpenEntry e = open;
        if (e == null) {
            throw new IllegalStateException("no entry is open");
        }
        long compressed = out.count() - e.dataStart;
        if (e.method == Zip.STORED && (compressed != e.knownSize || size != e.knownSize)) {
            throw new IllegalStateException("stored entry wrote " + compressed + " bytes, announced " + e.knownSize);
        }
        byte[] d = new byte[24];
        int p = putInt(d, 0, Zip.DATA_DESCRIPTOR);
        p = putInt(d, p, crc);
        if (e.zip64 || compressed >= Zip.MAGIC32 || size >= Zip.MAGIC32) {
            p = putLong(d, p, compressed);
            p = putLong(d, p, size);
        } else {
            p = putInt(d, p, (int) compressed);
            p = putInt(d, p, (int) size);
        }
        out.write(d, 0, p);
        String name = new String(e.name, StandardCharsets.UTF_8);
        central.add(new CentralRecord(e.name, e.method, e.flags, crc, compressed, size, e.offset, name.endsWith("/")));
        open = null;
    }

    private void requireNoOpenEntry() {
        if (open != null) {
            throw new IllegalStateException("entry `" + new String(open.name, StandardCharsets.UTF_8) + "` is still open");
        }
    }

    private void writeLocalHeader(byte[] name, int method, int flags, int crc, long compressed, long size,
                                  boolean zip64) throws IOException {
        if (name.length > 0xFFFF) {
            throw new IllegalArgumentException("entry name longer than 65535 bytes");
        }
        byte[] h = new byte[30 + 20];
        int p = putInt(h, 0, Zip.LOCAL_HEADER);
        p = putShort(h, p, zip64 ? Zip.VERSION_ZIP64 : Zip.VERSION_PLAIN);
        p = putShort(h, p, flags);
        p = putShort(h, p, method);
        p = putInt(h, p, dosDateTime);
        p = putInt(h, p, crc);
        p = putInt(h, p, zip64 ? (int) Zip.MAGIC32 : (int) compressed);
        p = putInt(h, p, zip64 ? (int) Zip.MAGIC32 : (int) size);
        p = putShort(h, p, name.length);
        p = putShort(h, p, zip64 ? 20 : 0);
        out.write(h, 0, p);
        out.write(name, 0, name.length);
        if (zip64) {
            // In a local header the ZIP64 extra holds both sizes, uncompressed first.
            p = putShort(h, 0, Zip.ZIP64_EXTRA);
            p = putShort(h, p, 16);
            p = putLong(h, p, size);
            p = putLong(h, p, compressed);
            out.write(h, 0, p);
        }
    }

    /** Writes the central directory and end records and flushes; returns the archive's size and SHA-256. */
    ArchiveInfo finish() throws IOException {
        requireNoOpenEntry();
        long cdStart = out.count();
        byte[] h = new byte[46 + 28];
        for (CentralRecord r : central) {
            boolean bigSize = r.size >= zip64Size;
            boolean bigCompressed = r.compressed >= zip64Size;
            boolean bigOffset = r.offset >= zip64Size;
            int extra = (bigSize ? 8 : 0) + (bigCompressed ? 8 : 0) + (bigOffset ? 8 : 0);
            boolean zip64 = extra > 0;
            int p = putInt(h, 0, Zip.CENTRAL_HEADER);
            p = putShort(h, p, (3 << 8) | Zip.VERSION_ZIP64); // made by: Unix, spec 4.5
            p = putShort(h, p, zip64 ? Zip.VERSION_ZIP64 : Zip.VERSION_PLAIN);
            p = putShort(h, p, r.flags);
            p = putShort(h, p, r.method);
            p = putInt(h, p, dosDateTime);
            p = putInt(h, p, r.crc);
            p = putInt(h, p, bigCompressed ? (int) Zip.MAGIC32 : (int) r.compressed);
            p = putInt(h, p, bigSize ? (int) Zip.MAGIC32 : (int) r.size);
            p = putShort(h, p, r.name.length);
            p = putShort(h, p, zip64 ? extra + 4 : 0);
            p = putShort(h, p, 0); // comment
            p = putShort(h, p, 0); // disk
            p = putShort(h, p, 0); // internal attributes
            // Unix mode in the high half: a plain rw-r--r-- file or rwxr-xr-x directory.
            p = putInt(h, p, r.directory ? (0040755 << 16) | 0x10 : 0100644 << 16);
            p = putInt(h, p, bigOffset ? (int) Zip.MAGIC32 : (int) r.offset);
            out.write(h, 0, p);
            out.write(r.name, 0, r.name.length);
            if (zip64) {
                p = putShort(h, 0, Zip.ZIP64_EXTRA);
                p = putShort(h, p, extra);
                if (bigSize) {
                    p = putLong(h, p, r.size);
                }
                if (bigCompressed) {
                    p = putLong(h, p, r.compressed);
                }
                if (bigOffset) {
                    p = putLong(h, p, r.offset);
                }
                out.write(h, 0, p);
            }
        }
        long cdSize = out.count() - cdStart;
        long count = central.size();
        boolean bigCount = count >= zip64Count || count >= Zip.MAGIC16;
        boolean bigCdSize = cdSize >= zip64Size;
        boolean bigCdStart = cdStart >= zip64Size;
        if (bigCount || bigCdSize || bigCdStart) {
            long zip64EndOffset = out.count();
            byte[] z = new byte[56 + 20];
            int p = putInt(z, 0, Zip.ZIP64_END);
            p = putLong(z, p, 44);
            p = putShort(z, p, (3 << 8) | Zip.VERSION_ZIP64);
            p = putShort(z, p, Zip.VERSION_ZIP64);
            p = putInt(z, p, 0);
            p = putInt(z, p, 0);
            p = putLong(z, p, count);
            p = putLong(z, p, count);
            p = putLong(z, p, cdSize);
            p = putLong(z, p, cdStart);
            p = putInt(z, p, Zip.ZIP64_LOCATOR);
            p = putInt(z, p, 0);
            p = putLong(z, p, zip64EndOffset);
            p = putInt(z, p, 1);
            out.write(z, 0, p);
        }
        byte[] e = new byte[22];
        int p = putInt(e, 0, Zip.END);
        p = putShort(e, p, 0);
        p = putShort(e, p, 0);
        p = putShort(e, p, bigCount ? Zip.MAGIC16 : (int) count);
        p = putShort(e, p, bigCount ? Zip.MAGIC16 : (int) count);
        p = putInt(e, p, bigCdSize ? (int) Zip.MAGIC32 : (int) cdSize);
        p = putInt(e, p, bigCdStart ? (int) Zip.MAGIC32 : (int) cdStart);
        p = putShort(e, p, 0);
        out.write(e, 0, p);
        out.finish();
        return new ArchiveInfo(out.count(), out.sha256());
    }

    static int putShort(byte[] b, int p, int v) {
        b[p] = (byte) v;
        b[p + 1] = (byte) (v >>> 8);
        return p + 2;
    }

    static int putInt(byte[] b, int p, int v) {
        b[p] = (byte) v;
        b[p + 1] = (byte) (v >>> 8);
        b[p + 2] = (byte) (v >>> 16);
        b[p + 3] = (byte) (v >>> 24);
        return p + 4;
    }

    static int putLong(byte[] b, int p, long v) {
        putInt(b, p, (int) v);
        putInt(b, p + 4, (int) (v >>> 32));
        return p + 8;
    }
}
