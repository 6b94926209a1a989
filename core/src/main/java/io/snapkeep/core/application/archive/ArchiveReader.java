package io.snapkeep.core.application.archive;

import io.snapkeep.core.port.out.StateParticipant.EntrySource;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/**
 * Reads and validates a {@code snapkeep/1} archive in one pass from a stream. Every problem throws
 * {@code InvalidArchiveException} with a message that says what is wrong.
 *
 * <p>Use: {@link #metadata()}, then {@link #nextParticipant()} until empty (reading, or skipping, each
 * participant's entries), then {@link #finish()}, which reads to the end and checks the manifest, every
 * CRC and digest, and the central directory. Only after {@link #finish()} returns is the archive known to
 * be valid. Does not close {@code in}.
 */
public final class ArchiveReader {

    public ArchiveReader(InputStream in, ArchiveLimits limits, ArchiveObserver observer) {
        throw new UnsupportedOperationException("not yet");
    }

    /** The archive's metadata (read on first call); refuses a format or version this reader does not know. */
    public ArchiveMetadata metadata() throws IOException {
        throw new UnsupportedOperationException("not yet");
    }

    /**
     * The next participant's entries, in archive order; entry paths are relative to its folder. Entries
     * a caller does not read are drained (and checked) when it moves on.
     */
    public Optional<ParticipantEntries> nextParticipant() throws IOException {
        throw new UnsupportedOperationException("not yet");
    }

    /** Reads the rest and checks manifest, digests and central directory. */
    public ArchiveSummary finish() throws IOException {
        throw new UnsupportedOperationException("not yet");
    }

    /** One participant's name and its entries. */
    public record ParticipantEntries(String name, EntrySource entries) {
    }
}
