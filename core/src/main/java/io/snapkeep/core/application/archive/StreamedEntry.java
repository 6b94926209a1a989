package io.snapkeep.core.application.archive;

import java.io.IOException;
import java.io.OutputStream;

/**
 * One entry written into the zip as its bytes come, never held whole: STORED (its size given up front, which
 * its local header carries) or deflated at a chosen level (its size known or not). Hashes what passes and
 * tells the observer of it; the zip's data descriptor ends it. Does not close the zip's stream.
 */
final class StreamedEntry extends OutputStream {
    /** In place of a deflate level: no deflater at all. */
    private static final int STORE = Integer.MIN_VALUE;

    private final ZipStreamWriter zip;
    private final String name;
    private final EntryHashing hashing = new EntryHashing();
    private final EntryProgress progress;
    private final DeflatingOut deflating;
    private final OutputStream target;

    private StreamedEntry(ZipStreamWriter zip, String name, int level, ArchiveObserver observer) {
        this.zip = zip;
        this.name = name;
        this.progress = new EntryProgress(observer);
        this.deflating = level == STORE ? null : new DeflatingOut(zip.data(), level);
        this.target = deflating == null ? zip.data() : deflating;
    }

    /** Starts a STORED entry of exactly {@code size} bytes. */
    static StreamedEntry stored(ZipStreamWriter zip, String name, long size, ArchiveObserver observer)
            throws IOException {
        zip.beginEntry(name, Zip.STORED, size);
        return new StreamedEntry(zip, name, STORE, observer);
    }

    /** Starts a DEFLATED entry; {@code knownSize} is -1 when the size is not known yet. */
    static StreamedEntry deflated(ZipStreamWriter zip, String name, long knownSize, int level,
                                  ArchiveObserver observer) throws IOException {
        zip.beginEntry(name, Zip.DEFLATED, knownSize);
        return new StreamedEntry(zip, name, level, observer);
    }

    /** Uncompressed bytes written so far. */
    long count() {
        return hashing.count();
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        hashing.update(b, off, len);
        target.write(b, off, len);
        progress.copied(len);
    }

    /**
     * Ends the entry (the deflater's last bytes, the data descriptor) and tells the observer it is done;
     * returns its SHA-256.
     */
    byte[] finish() throws IOException {
        if (deflating != null) {
            try {
                deflating.finish();
            } finally {
                deflating.close();
            }
        }
        zip.endEntry(hashing.crc(), hashing.count());
        progress.done(name, hashing.count());
        return hashing.sha256();
    }

    /** Frees the deflater of an entry that will not be finished. */
    @Override
    public void close() {
        if (deflating != null) {
            deflating.close();
        }
    }
}
