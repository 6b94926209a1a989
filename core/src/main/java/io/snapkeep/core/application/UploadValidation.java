package io.snapkeep.core.application;

import io.snapkeep.core.application.archive.ArchiveLimits;
import io.snapkeep.core.application.archive.ArchiveObserver;
import io.snapkeep.core.application.archive.ArchiveReader;
import io.snapkeep.core.application.archive.ArchiveSummary;
import java.io.IOException;
import java.io.InputStream;

/** What an uploaded archive must be: a readable zip holding {@code metadata.json}, intact where checkable. */
final class UploadValidation {
    private UploadValidation() {
    }

    static ArchiveSummary validate(InputStream in, ArchiveLimits limits) throws IOException {
        ArchiveReader reader = new ArchiveReader(in, limits, ArchiveObserver.NONE);
        reader.metadata();
        while (reader.nextParticipant().isPresent()) {
            // each participant's entries are drained and checked as the reader moves on
        }
        return reader.finish();
    }
}
