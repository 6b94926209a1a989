package io.snapkeep.core.application.archive;

/**
 * Bounds a reader enforces, so that a hostile archive (a zip bomb, a million tiny entries) is refused
 * before it exhausts memory or disk.
 *
 * @param maxEntries          most entries an archive may hold
 * @param maxExpandedBytes    most bytes all entries may expand to, together
 * @param maxCompressionRatio most an entry may expand relative to its compressed size (for entries over
 *                            1 MiB expanded; small entries of repeated text legitimately exceed it)
 */
public record ArchiveLimits(long maxEntries, long maxExpandedBytes, long maxCompressionRatio) {
    public static final ArchiveLimits DEFAULTS = new ArchiveLimits(1_000_000, 1L << 40, 1000);

    public ArchiveLimits {
        if (maxEntries < 1 || maxExpandedBytes < 1 || maxCompressionRatio < 1) {
            throw new IllegalArgumentException("archive limits must be positive");
        }
    }
}
