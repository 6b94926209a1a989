package io.snapkeep.core.port.in;

import io.snapkeep.core.domain.SnapshotId;

/** Reads a stored archive back in full and says whether it is whole. */
public interface VerifySnapshot {

    /**
     * Reads the archive of snapshot {@code id} end to end: every entry's CRC, the manifest, and the archive's
     * size and SHA-256 against what was recorded when it was made. A damaged archive also turns its snapshot
     * {@code failed} with a reason that starts with "archive damaged".
     *
     * @throws io.snapkeep.core.error.NotFoundException       no such snapshot
     * @throws io.snapkeep.core.error.SnapshotActionException the snapshot has no archive to verify
     */
    VerifyResult verify(SnapshotId id);

    /**
     * What a verification found.
     *
     * @param error why the archive is not whole; empty when it is
     */
    record VerifyResult(SnapshotId id, boolean valid, String error) {
        public VerifyResult {
            error = error == null ? "" : error;
        }
    }
}
