package io.snapkeep.storage.fs;

import java.nio.file.Path;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Locks by archive file, shared by every store of the JVM: writing a record, deleting and adopting one key
 * take its lock, so that a record is never renamed into place after its archive was deleted.
 */
final class KeyLocks {
    private static final ReentrantLock[] STRIPES = new ReentrantLock[64];

    static {
        for (int i = 0; i < STRIPES.length; i++) {
            STRIPES[i] = new ReentrantLock();
        }
    }

    private KeyLocks() {
    }

    static ReentrantLock of(Path archiveFile) {
        return STRIPES[Math.floorMod(archiveFile.hashCode(), STRIPES.length)];
    }
}
