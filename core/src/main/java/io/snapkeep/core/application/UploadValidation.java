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

    /**
     * A snapkeep archive is checked whole (manifest, digests, limits); a foreign one (Cloudify's own
     * snapshots carry a {@code metadata.json} but no manifest) must be a well-formed zip with that entry.
     */
    static ArchiveSummary validate(InputStream in, ArchiveLimits limits) throws IOException {
        return ArchiveReader.validateUpload(in, limits, ArchiveObserver.NONE);
    }
}
