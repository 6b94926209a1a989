package io.snapkeep.core.application.archive;

import io.snapkeep.core.support.Sha256;
import java.security.MessageDigest;
import java.util.zip.CRC32;

/** CRC-32 (for the zip), SHA-256 (for the manifest) and count of an entry's uncompressed bytes. */
final class EntryHashing {
    private final CRC32 crc = new CRC32();
    private final MessageDigest sha = Sha256.newDigest();
    private long count;

    void update(byte[] b, int off, int len) {
        crc.update(b, off, len);
        sha.update(b, off, len);
        count += len;
    }

    long count() {
        return count;
    }

    int crc() {
        return (int) crc.getValue();
    }

    /** The SHA-256 of every byte so far; once. */
    byte[] sha256() {
        return sha.digest();
    }
}
