package io.snapkeep.core.application.archive;

import io.snapkeep.core.domain.ArchiveInfo;

/**
 * What a finished writer (or a fully read archive) amounts to.
 *
 * @param entries participant entries (metadata and manifest not counted)
 * @param archive size and SHA-256 of the archive bytes themselves
 */
public record ArchiveSummary(long entries, long expandedBytes, ArchiveInfo archive) {
}
