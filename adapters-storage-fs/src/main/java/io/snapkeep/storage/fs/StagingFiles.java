package io.snapkeep.storage.fs;

import io.snapkeep.core.port.out.StoreKey;
import io.snapkeep.core.support.Sha256;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Staging files: where a write's bytes go before its commit (an archive's, or a record's), in the layout's
 * {@code staging} directory, on the same file system as the archives and records, so that a commit is a
 * rename.
 *
 * <p>Names carry the key, because in a cluster a node that cleans up must tell a dead node's leftover from a
 * live node's write, and only the key says which (the core knows which keys live nodes are writing):
 * <pre>
 *   &lt;key&gt;.&lt;random&gt;.part                   a write of {@code key}
 *   &lt;head&gt;..&lt;sha-256 of key&gt;.&lt;random&gt;.part   a write of a key too long for the name above
 * </pre>
 * {@code random} is 32 lower-case hex digits. The part before it, the <em>stem</em>, stands for the key: no key
 * contains {@code ..}, so the two forms never meet, and a key too long for the first form is named by its
 * first characters (for people) and its digest (to match it). No name of this scheme starts with a dot, as no
 * key does: the names of the previous releases, {@code .snapkeep-staging-<uuid>.part}, which carry no key, are
 * told apart by that. No name ends in an archive's or a record's suffix.
 *
 * <p>Who owns a staging file: a live write in this JVM is listed in {@link #LIVE} with the store instance
 * that writes it (so that an instance never removes its own, and a second instance on the same directory
 * stands for another node); a live write in another process holds an exclusive lock on its file, which the
 * kernel drops when that process dies.
 */
final class StagingFiles {
    /** The previous releases' names: {@code PREVIOUS_PREFIX + <uuid> + SUFFIX}. */
    static final String PREVIOUS_PREFIX = ".snapkeep-staging-";
    static final String SUFFIX = ".part";
    /** Between a long key's head and its digest; never inside a key. */
    static final String DIGEST_MARK = "..";

    private static final int RANDOM_LENGTH = 32;
    private static final int DIGEST_LENGTH = 64;
    /** Bytes of a long key's first characters in its stem: enough to recognise, short enough to fit. */
    static final int HEAD_BYTES = 100;

    private static final Map<Path, Object> LIVE = new ConcurrentHashMap<>();

    private StagingFiles() {
    }

    /**
     * A new staging name for a write of {@code key}, owned by {@code owner} from now on: registered before
     * the file exists, so that no listing in this JVM ever sees it unowned.
     */
    static Path claimNew(Path stagingDirectory, String key, Object owner) {
        UUID random = UUID.randomUUID();
        HexFormat hex = HexFormat.of();
        Path file = stagingDirectory.resolve(stem(key) + "." + hex.toHexDigits(random.getMostSignificantBits())
                + hex.toHexDigits(random.getLeastSignificantBits()) + SUFFIX);
        LIVE.put(file, owner);
        return file;
    }

    /** Ends the ownership, after the file is renamed or deleted. */
    static void release(Path file) {
        LIVE.remove(file);
    }

    /** The store instance of this JVM whose live write {@code file} is, or null. */
    static Object owner(Path file) {
        return LIVE.get(file);
    }

    /** What stands for {@code key} in its staging names; {@code key} must be valid (see {@link ArchiveKeys}). */
    static String stem(String key) {
        if (bytes(key) + 1 + RANDOM_LENGTH + SUFFIX.length() <= ArchiveKeys.MAX_FILE_NAME_BYTES) {
            return key;
        }
        return head(key) + DIGEST_MARK + Sha256.hexOf(key.getBytes(StandardCharsets.UTF_8));
    }

    /** The stems of those of {@code keys} that this store could have staged; the others have no files. */
    static Set<String> stems(Set<StoreKey> keys) {
        Set<String> stems = new HashSet<>();
        for (StoreKey key : keys) {
            if (key != null && ArchiveKeys.problemWith(key.value()) == null) {
                stems.add(stem(key.value()));
            }
        }
        return stems;
    }

    /**
     * A name of {@code staging/} as this store reads it: not a staging name ({@code null}), a name of the
     * previous releases ({@link Name#stem()} null: no key), or a name with its key's stem.
     */
    static Name parse(String fileName) {
        if (isPreviousName(fileName)) {
            return new Name(null);
        }
        int end = fileName.length() - SUFFIX.length() - RANDOM_LENGTH - 1;
        if (!fileName.endsWith(SUFFIX) || end < 1 || fileName.charAt(end) != '.'
                || !isHex(fileName, end + 1, RANDOM_LENGTH)) {
            return null;
        }
        String stem = fileName.substring(0, end);
        return isStem(stem) ? new Name(stem) : null;
    }

    /** Whether {@code fileName} is a staging name of the previous releases, which carry no key. */
    static boolean isPreviousName(String fileName) {
        return fileName.startsWith(PREVIOUS_PREFIX) && fileName.endsWith(SUFFIX);
    }

    /** Whether {@code stem} is what {@link #stem} gives for some key. */
    private static boolean isStem(String stem) {
        if (ArchiveKeys.problemWith(stem) == null) {
            return stem.equals(stem(stem));
        }
        int head = stem.length() - DIGEST_MARK.length() - DIGEST_LENGTH;
        if (head < 1 || !stem.startsWith(DIGEST_MARK, head) || !isHex(stem, head + DIGEST_MARK.length(), DIGEST_LENGTH)) {
            return false;
        }
        String first = stem.substring(0, head);
        return ArchiveKeys.problemWith(first) == null && bytes(first) <= HEAD_BYTES;
    }

    /** A long key's first characters, at most {@link #HEAD_BYTES} bytes, never half a character. */
    private static String head(String key) {
        int end = 0;
        int bytes = 0;
        while (end < key.length()) {
            int next = key.offsetByCodePoints(end, 1);
            bytes += bytes(key.substring(end, next));
            if (bytes > HEAD_BYTES) {
                break;
            }
            end = next;
        }
        return key.substring(0, end);
    }

    private static boolean isHex(String s, int from, int length) {
        if (from < 0 || from + length > s.length()) {
            return false;
        }
        for (int i = from; i < from + length; i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }

    private static int bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
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

    /**
     * A staging name, read.
     *
     * @param stem what stands for the key of the write ({@link #stem}), or null for a name of the previous
     *             releases, which carry none
     */
    record Name(String stem) {
    }
}
