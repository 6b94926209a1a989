package io.snapkeep.core.application;

import io.snapkeep.core.application.archive.ArchiveLimits;
import io.snapkeep.core.application.archive.ArchiveReader;
import io.snapkeep.core.application.archive.RecordCodec;
import io.snapkeep.core.application.archive.SnapshotRecord;
import io.snapkeep.core.domain.Snapshot;
import io.snapkeep.core.domain.SnapshotStatus;
import io.snapkeep.core.port.out.ArchiveStore;
import io.snapkeep.core.port.out.StoreKey;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/** The records the archive store keeps beside complete archives, read and written in {@link RecordCodec}'s format. */
final class SnapshotRecords {
    private final ArchiveStore store;
    private final ArchiveLimits limits;

    SnapshotRecords(ArchiveStore store, ArchiveLimits limits) {
        this.store = store;
        this.limits = limits;
    }

    /** Writes the record of {@code complete}, whose archive (of {@code format}) is committed. */
    void write(Snapshot complete, String format) {
        store.writeRecord(StoreKey.of(complete.id()), RecordCodec.encode(SnapshotRecord.of(complete, format)));
    }

    /**
     * The archive format of a complete snapshot the catalog knows, for a record written from its row: a
     * {@code created} snapshot's archive is one this engine wrote; an uploaded one's format is read from its
     * first entry (a small read, never the whole archive).
     *
     * @throws IOException when the uploaded archive's first entry cannot be read
     */
    String formatOf(Snapshot complete) throws IOException {
        if (complete.status() != SnapshotStatus.UPLOADED) {
            return SnapshotRecord.SNAPKEEP_FORMAT;
        }
        try (InputStream in = store.open(StoreKey.of(complete.id()))) {
            return ArchiveReader.peekFormat(in, limits);
        }
    }

    /**
     * The record under {@code key}, or empty.
     *
     * @throws RecordCodec.UnreadableRecordException when there is one that cannot be read
     */
    Optional<SnapshotRecord> read(StoreKey key) {
        return store.readRecord(key).map(RecordCodec::decode);
    }
}
