package io.snapkeep.core.application.archive;

import io.snapkeep.core.port.out.StateParticipant.ExportSink;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes a {@code snapkeep/1} archive in one pass to a stream: {@code metadata.json} first, then each
 * participant's entries under {@code participants/<name>/}, then {@code MANIFEST.sha256} and the zip's
 * central directory. Never buffers the archive; ZIP64 where sizes or counts need it.
 *
 * <p>Use: {@link #writeMetadata}, then {@link #participantSink} for each participant in the order the
 * metadata lists them, then {@link #finish}. Does not close {@code out}.
 */
public final class ArchiveWriter {

    public ArchiveWriter(OutputStream out, ArchiveObserver observer) {
        throw new UnsupportedOperationException("not yet");
    }

    public void writeMetadata(ArchiveMetadata metadata) throws IOException {
        throw new UnsupportedOperationException("not yet");
    }

    /** Where participant {@code name} writes its entries; paths it gives are relative to its folder. */
    public ExportSink participantSink(String name) {
        throw new UnsupportedOperationException("not yet");
    }

    /** Writes manifest and central directory, flushes; returns counts, size and SHA-256 of what was written. */
    public ArchiveSummary finish() throws IOException {
        throw new UnsupportedOperationException("not yet");
    }
}
