package io.snapkeep.storage.fs;

import io.snapkeep.core.port.out.StoreKey;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Removes the staging files of writes that died, while nodes of a cluster may be writing in the same
 * directory. A staging file stays when:
 * <ul>
 *   <li>it is a live write of the cleaning store instance itself;</li>
 *   <li>its key is in use: the core knows which keys live nodes are writing, and a node on another machine
 *       may have no lock this machine can see (network mounts). A write of another store instance in this
 *       JVM counts as another node's: the lock it holds is this process's own and tells nothing here;</li>
 *   <li>another process on this machine holds its lock.</li>
 * </ul>
 * Names of the previous releases carry no key; they come from a release that ran alone, so their key is
 * never in use, and only a lock keeps them.
 */
final class StagingCleanup {
    private StagingCleanup() {
    }

    /**
     * Lists {@code staging/}, then asks {@code keysInUse} once, then removes what the listing found and
     * nothing keeps; how many files were removed. A file gone meanwhile (its write ended) is not counted.
     */
    static int removeLeftovers(Layout layout, Object owner, Supplier<Set<StoreKey>> keysInUse) throws IOException {
        List<Listed> listed = list(layout.staging());
        // asked only now: a key that went out of use before the listing cannot keep a write begun after it
        Set<String> stemsInUse = StagingFiles.stems(keysInUse.get());
        int removed = 0;
        for (Listed entry : listed) {
            if (entry.stem() != null && stemsInUse.contains(entry.stem())) {
                continue;
            }
            if (removeUnlessOwned(entry.file(), owner)) {
                removed++;
            }
        }
        return removed;
    }

    /** The regular files with staging names, each with its key's stem; a link is never listed. */
    private static List<Listed> list(Path staging) throws IOException {
        List<Listed> listed = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(staging)) {
            for (Path entry : entries) {
                StagingFiles.Name name = StagingFiles.parse(entry.getFileName().toString());
                if (name != null && Files.isRegularFile(entry, LinkOption.NOFOLLOW_LINKS)) {
                    listed.add(new Listed(entry, name.stem()));
                }
            }
        }
        return listed;
    }

    private static boolean removeUnlessOwned(Path file, Object owner) throws IOException {
        Object writer = StagingFiles.owner(file);
        if (writer == owner) {
            return false;
        }
        if (writer != null) {
            // by name only: opening a channel and closing it would drop that write's lock (locks are per process)
            return Files.deleteIfExists(file);
        }
        return removeIfUnlocked(file);
    }

    /**
     * Deletes a staging file unless a live write in another process holds its lock. Never called for files
     * of this JVM's live writes: closing any channel on a file drops every lock this process holds on it.
     */
    private static boolean removeIfUnlocked(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                return false; // this JVM is moving or removing it right now
            } catch (IOException e) {
                // no locks on this file system: the key, which is not in use, was the only guard
                return Files.deleteIfExists(file);
            }
            if (lock == null) {
                return false; // a live write in another process
            }
            return Files.deleteIfExists(file);
        } catch (NoSuchFileException e) {
            return false; // its writer finished meanwhile
        }
    }

    private record Listed(Path file, String stem) {
    }
}
