package io.snapkeep.core.application.archive;

import io.snapkeep.core.error.InvalidArchiveException;

/**
 * The {@link ArchiveLimits} as one read of one archive applies them: how many entries, how many expanded
 * bytes in all (counted as entries are inflated, and checked up front for a stored entry's announced size),
 * and how much one entry may expand relative to its compressed bytes.
 */
final class ReadLimits {
    /** The compression-ratio limit applies to entries over this many expanded bytes. */
    static final long RATIO_FLOOR = 1L << 20;

    private final ArchiveLimits limits;
    private long expandedBytes;

    ReadLimits(ArchiveLimits limits) {
        this.limits = limits;
    }

    /** Before another entry, when {@code entries} have been read. */
    void checkAnotherEntry(int entries) {
        if (entries >= limits.maxEntries()) {
            throw new InvalidArchiveException("The archive holds more than " + limits.maxEntries()
                    + " entries, the configured limit");
        }
    }

    /** Before a stored entry that announces {@code size} bytes. */
    void checkAnnounced(long size) {
        if (size > limits.maxExpandedBytes() - expandedBytes) {
            throw tooLarge();
        }
    }

    /** {@code n} more bytes expanded. */
    void expanded(long n) {
        expandedBytes += n;
        if (expandedBytes > limits.maxExpandedBytes()) {
            throw tooLarge();
        }
    }

    /** An entry ({@code shown} in messages) has expanded to {@code size} bytes from {@code compressed}. */
    void checkRatio(String shown, long size, long compressed) {
        if (size > RATIO_FLOOR && (double) size / Math.max(1, compressed) > limits.maxCompressionRatio()) {
            throw new InvalidArchiveException(shown + " expands more than " + limits.maxCompressionRatio()
                    + " times its compressed size, the configured limit (a zip bomb?)");
        }
    }

    private InvalidArchiveException tooLarge() {
        return new InvalidArchiveException("The archive expands to more than " + limits.maxExpandedBytes()
                + " bytes, the configured limit");
    }
}
