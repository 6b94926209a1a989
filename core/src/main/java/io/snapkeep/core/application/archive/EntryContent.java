package io.snapkeep.core.application.archive;

import io.snapkeep.core.support.BlockReadStream;
import io.snapkeep.core.error.InvalidArchiveException;
import io.snapkeep.core.support.Printable;
import io.snapkeep.core.support.Sha256;
import java.io.IOException;
import java.security.MessageDigest;
import java.util.Objects;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * One entry's uncompressed bytes as {@link ZipStreamReader} reads them: inflated or stored, counted against
 * the limits, hashed, told to the observer; at their end, CRC and sizes are checked against the local
 * header and the data descriptor, and the entry's record is completed.
 */
final class EntryContent extends BlockReadStream {
    /** How an entry's local header describes it. */
    record Header(boolean descriptor, boolean zip64, long crc, long compressed, long size) {
    }

    private final ZipInput input;
    private final ReadLimits limits;
    private final EntryProgress progress;
    private final ZipStreamReader.EntryRecord record;
    private final Header header;
    private final Inflater inflater;
    private final CRC32 crc = new CRC32();
    /** Null when the reader does without entry digests. */
    private final MessageDigest sha;
    private long storedLeft;
    private long size;
    private boolean done;

    /**
     * {@code progress} is null for an entry the observer is not told of; {@code inflater} (reset, in nowrap
     * mode) is null for a stored entry, and is the reader's, used by one entry after the other.
     */
    EntryContent(ZipInput input, ReadLimits limits, EntryProgress progress, ZipStreamReader.EntryRecord record,
                 Header header, boolean digest, Inflater inflater) {
        this.input = input;
        this.limits = limits;
        this.progress = progress;
        this.record = record;
        this.header = header;
        this.inflater = inflater;
        this.storedLeft = header.size();
        this.sha = digest ? Sha256.newDigest() : null;
    }

    private String shown() {
        return "Entry `" + Printable.of(record.name) + "`";
    }


    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
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
        if (sha != null) {
            sha.update(b, off, n);
        }
        size += n;
        limits.expanded(n);
        if (inflater != null) {
            limits.checkRatio(shown(), size, inflater.getBytesRead());
        }
        if (progress != null) {
            progress.copied(n);
        }
    }

    private void complete() throws IOException {
        done = true;
        long compressed = size;
        if (inflater != null) {
            compressed = inflater.getBytesRead();
        }
        long actualCrc = crc.getValue();
        if (header.descriptor()) {
            checkDescriptor(actualCrc, compressed);
        } else if (header.crc() != actualCrc) {
            throw crcMismatch();
        }
        if ((!header.descriptor() || inflater == null)
                && (header.compressed() != compressed || header.size() != size)) {
            throw new InvalidArchiveException(shown() + " is damaged: its header gives sizes "
                    + header.compressed() + "/" + header.size() + ", its data has " + compressed + "/" + size);
        }
        record.complete(actualCrc, compressed, size, sha == null ? null : sha.digest());
        if (progress != null) {
            progress.done(record.name, size);
        }
    }

    private void checkDescriptor(long actualCrc, long compressed) throws IOException {
        String what = "the data descriptor of entry `" + Printable.of(record.name) + "`";
        long first = input.u32(what);
        long descriptorCrc = first == Zip.DATA_DESCRIPTOR ? input.u32(what) : first;
        // 64-bit sizes when the local header has a ZIP64 extra (APPNOTE 4.3.9.2) or when the sizes
        // need them (what java.util.zip writes for entries of unknown size).
        boolean wide = header.zip64() || compressed >= Zip.MAGIC32 || size >= Zip.MAGIC32;
        long descriptorCompressed = wide ? input.u64(what) : input.u32(what);
        long descriptorSize = wide ? input.u64(what) : input.u32(what);
        boolean storedWithoutSizes = inflater == null && header.size() == 0;
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
    }

    private InvalidArchiveException crcMismatch() {
        return new InvalidArchiveException(shown() + " does not match its CRC-32: the archive is damaged");
    }

    /** Reads (and so checks) whatever the caller left unread. */
    void drain() throws IOException {
        if (done) {
            return;
        }
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
