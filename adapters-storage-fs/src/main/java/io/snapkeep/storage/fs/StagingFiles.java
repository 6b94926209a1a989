package io.snapkeep.storage.fs;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Staging files: where a write's bytes go before its commit (an archive's, or a record's), named
 * {@code .snapkeep-staging-<uuid>.part} in the layout's {@code staging} directory, on the same file system as
 * the archives and records, so that a commit is a rename. The previous release used the same names directly
 * in the root.
 *
 * <p>Who owns a staging file: a live write in this JVM is listed in {@link #LIVE} (shared by every store in
 * the JVM, so two stores on one directory do not take each other's files for leftovers); a live write in
 * another process holds an exclusive lock on its file, which the kernel drops when that process dies.
 */
final class StagingFiles {
    static final String PREFIX = ".snapkeep-staging-";
    static final String SUFFIX = ".part";

    private static final Set<Path> LIVE = ConcurrentHashMap.newKeySet();

    private StagingFiles() {
    }

    static Path newName(Path stagingDirectory) {
        return stagingDirectory.resolve(PREFIX + UUID.randomUUID() + SUFFIX);
    }

    static boolean isStagingName(String fileName) {
        return fileName.startsWith(PREFIX) && fileName.endsWith(SUFFIX);
    }

    /** Marks {@code file} as owned by a live write of this JVM, before the file is created. */
    static void claim(Path file) {
        LIVE.add(file);
    }

    /** Ends the ownership, after the file is renamed or deleted. */
    static void release(Path file) {
        LIVE.remove(file);
    }

    static boolean ownedHere(Path file) {
        return LIVE.contains(file);
    }

    /**
     * The lock tells other processes' {@code removeStaged} that this file is live. Some file systems
     * (some network mounts) have no locks; the write still works there, only that protection is lost.
     */
    static FileLock tryLock(FileChannel channel) {
        try {
            return channel.tryLock();
        } catch (IOException e) {
            return null;
        }
    }
}
