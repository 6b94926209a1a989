package io.snapkeep.core.application;

import static org.assertj.core.api.Assertions.assertThat;

import io.snapkeep.core.domain.SnapshotId;
import org.junit.jupiter.api.Test;

/** Lock names fit the catalog's 256 characters whatever the snapshot id, and stay one per id. */
class LockNamesTest {
    @Test
    void shortIdsAreNamedAsTheyAreAndTheLongestStillFit() {
        assertThat(Coordination.snapshotLock(SnapshotId.of("s1"))).isEqualTo("snapshot:s1");
        assertThat(Coordination.uploadClaim(SnapshotId.of("s1"))).isEqualTo("upload:s1");
        assertThat(Coordination.downloadClaim(SnapshotId.of("s1"), "node-a")).isEqualTo("download:node-a:s1");

        SnapshotId longest = SnapshotId.of("a".repeat(SnapshotId.MAX_LENGTH));
        SnapshotId other = SnapshotId.of("a".repeat(SnapshotId.MAX_LENGTH - 1) + "b");
        for (String name : new String[] {Coordination.snapshotLock(longest), Coordination.uploadClaim(longest),
                Coordination.downloadClaim(longest, "n".repeat(100))}) {
            assertThat(name.length()).as(name).isLessThanOrEqualTo(Coordination.MAX_LOCK_NAME);
        }
        assertThat(Coordination.snapshotLock(longest)).startsWith("snapshot:sha256:")
                .isNotEqualTo(Coordination.snapshotLock(other));
    }
}
