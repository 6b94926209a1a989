package io.snapkeep.core.application.archive;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * What a read keeps of every entry, in archive order, at a small fixed cost per entry whatever its name:
 * a 128-bit fingerprint of the name, its method, offset, CRC, sizes and SHA-256 (about 85 bytes in all,
 * in primitive arrays), never the name itself. Names are found again through their fingerprint, in an
 * open-addressing table of entry numbers.
 *
 * <p>The fingerprint is the first 16 bytes of the SHA-256 of a key drawn at random for each table, then
 * the name's UTF-8 bytes. Because the key is secret, an archive cannot choose names whose fingerprints
 * collide or crowd one part of the table. By chance, two of even a million names share a fingerprint with a
 * probability below 2<sup>-88</sup>; should it ever happen, the second name is taken for the first, and
 * the archive is refused (a duplicate, or a mismatch), never wrongly accepted as holding both.
 */
final class EntryTable {
    static final int SHA256_BYTES = 32;
    private static final int INITIAL = 64;

    private final MessageDigest digest;
    private final byte[] key = new byte[16];
    private long[] fingerprintHigh = new long[INITIAL];
    private long[] fingerprintLow = new long[INITIAL];
    private long[] offsets = new long[INITIAL];
    private long[] compressedSizes = new long[INITIAL];
    private long[] sizes = new long[INITIAL];
    private int[] crcs = new int[INITIAL];
    private byte[] methods = new byte[INITIAL];
    private byte[] digests = new byte[INITIAL * SHA256_BYTES];
    /** Entry number + 1 at each slot, 0 where free; never more than half full. */
    private int[] slots = new int[2 * INITIAL];
    private int count;
    private long expandedBytes;

    EntryTable() {
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
        new SecureRandom().nextBytes(key);
    }

    /** The fingerprint of a name given by its UTF-8 bytes: {high, low}. */
    long[] fingerprint(byte[] name) {
        digest.update(key);
        byte[] d = digest.digest(name);
        return new long[] {ZipInput.u64(d, 0), ZipInput.u64(d, 8)};
    }

    long[] fingerprint(String name) {
        return fingerprint(name.getBytes(StandardCharsets.UTF_8));
    }

    int size() {
        return count;
    }

    /** The uncompressed bytes of every completed entry, together. */
    long expandedBytes() {
        return expandedBytes;
    }

    /** The number of the entry whose name has {@code fingerprint}, or -1. */
    int find(long[] fingerprint) {
        int mask = slots.length - 1;
        int s = (int) fingerprint[1] & mask;
        // The table is at most half full, so a free slot ends every probe well before this bound.
        for (int probe = 0; probe < slots.length; probe++, s = (s + 1) & mask) {
            int e = slots[s] - 1;
            if (e < 0) {
                return -1;
            }
            if (fingerprintHigh[e] == fingerprint[0] && fingerprintLow[e] == fingerprint[1]) {
                return e;
            }
        }
        return -1;
    }

    /** Adds an entry after the others; returns its number, or -1 (adding nothing) if its name is held. */
    int add(long[] fingerprint, int method, long offset) {
        if (find(fingerprint) >= 0) {
            return -1;
        }
        if (count == methods.length) {
            grow();
        }
        int e = count++;
        fingerprintHigh[e] = fingerprint[0];
        fingerprintLow[e] = fingerprint[1];
        methods[e] = (byte) method;
        offsets[e] = offset;
        if (2L * count > slots.length) {
            rehash(slots.length * 2);
        } else {
            place(e);
        }
        return e;
    }

    /** Records what entry {@code e}'s data turned out to be; {@code sha256} null when it was not computed. */
    void complete(int e, long crc, long compressed, long size, byte[] sha256) {
        crcs[e] = (int) crc;
        compressedSizes[e] = compressed;
        sizes[e] = size;
        if (sha256 != null) {
            System.arraycopy(sha256, 0, digests, e * SHA256_BYTES, SHA256_BYTES);
        }
        expandedBytes += size;
    }

    boolean fingerprintIs(int e, long[] fingerprint) {
        return fingerprintHigh[e] == fingerprint[0] && fingerprintLow[e] == fingerprint[1];
    }

    int method(int e) {
        return methods[e];
    }

    long offset(int e) {
        return offsets[e];
    }

    long crc(int e) {
        return crcs[e] & 0xFFFFFFFFL;
    }

    long compressed(int e) {
        return compressedSizes[e];
    }

    long size(int e) {
        return sizes[e];
    }

    /** Whether entry {@code e}'s SHA-256 is {@code sha256}, compared in constant time. */
    boolean sha256Is(int e, byte[] sha256) {
        return MessageDigest.isEqual(Arrays.copyOfRange(digests, e * SHA256_BYTES, (e + 1) * SHA256_BYTES), sha256);
    }

    private void place(int e) {
        int mask = slots.length - 1;
        int s = (int) fingerprintLow[e] & mask;
        for (int probe = 0; probe < slots.length && slots[s] != 0; probe++) {
            s = (s + 1) & mask;
        }
        slots[s] = e + 1;
    }

    private void rehash(int length) {
        slots = new int[length];
        for (int e = 0; e < count; e++) {
            place(e);
        }
    }

    /** Grows the columns by half: the reader's limit on entries bounds how far. */
    private void grow() {
        int length = methods.length + (methods.length >> 1);
        fingerprintHigh = Arrays.copyOf(fingerprintHigh, length);
        fingerprintLow = Arrays.copyOf(fingerprintLow, length);
        offsets = Arrays.copyOf(offsets, length);
        compressedSizes = Arrays.copyOf(compressedSizes, length);
        sizes = Arrays.copyOf(sizes, length);
        crcs = Arrays.copyOf(crcs, length);
        methods = Arrays.copyOf(methods, length);
        digests = Arrays.copyOf(digests, length * SHA256_BYTES);
    }
}
