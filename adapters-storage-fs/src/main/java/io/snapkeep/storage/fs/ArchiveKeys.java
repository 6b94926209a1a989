package io.snapkeep.storage.fs;

import io.snapkeep.core.error.InvalidParameterException;
import io.snapkeep.core.support.Printable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * How keys map to file names: {@code <key>.zip}, directly in the archive directory. A key too long for one
 * file name (snapshot ids reach 256 characters, names stop at 255 bytes) is split:
 * {@code <head>.long/<tail>.zip}, one level down; no short key's file can collide with such a directory,
 * since every archive file ends in {@code .zip}. Keys are checked here even though the core validates
 * snapshot ids, because this store must stay safe on its own: a key never names a path outside the
 * directory, and never collides with a staging file.
 */
final class ArchiveKeys {
    static final String SUFFIX = ".zip";
    static final String LONG_SUFFIX = ".long";
    /** Characters of a long key that name its directory; the rest names the file. */
    static final int HEAD = 200;

    /** Most file systems limit one name to 255 bytes. */
    static final int MAX_FILE_NAME_BYTES = 255;

    private ArchiveKeys() {
    }

    /** The file that holds the archive under {@code key}, re-checked to be a direct child of {@code root}. */
    static Path fileFor(Path root, String key) {
        String problem = problemWith(key);
        if (problem != null) {
            throw new InvalidParameterException(problem);
        }
        Path file = fits(key) ? root.resolve(key + SUFFIX).normalize()
                : root.resolve(head(key) + LONG_SUFFIX).resolve(tail(key) + SUFFIX).normalize();
        Path parent = file.getParent();
        if (!root.equals(parent) && !(parent != null && root.equals(parent.getParent()))) {
            throw new InvalidParameterException("The archive key `" + Printable.of(key) + "` names a path outside the archive directory");
        }
        return file;
    }

    /** The key stored in a file of this name, or null when the file is not an archive of this store. */
    static String keyOf(String fileName) {
        if (!fileName.endsWith(SUFFIX)) {
            return null;
        }
        String key = fileName.substring(0, fileName.length() - SUFFIX.length());
        return problemWith(key) == null && fits(key) ? key : null;
    }

    /** The long key stored as {@code fileName} in directory {@code directoryName}, or null. */
    static String keyOf(String directoryName, String fileName) {
        if (!directoryName.endsWith(LONG_SUFFIX) || !fileName.endsWith(SUFFIX)) {
            return null;
        }
        String key = directoryName.substring(0, directoryName.length() - LONG_SUFFIX.length())
                + fileName.substring(0, fileName.length() - SUFFIX.length());
        return problemWith(key) == null && !fits(key) && head(key).length() + LONG_SUFFIX.length()
                == directoryName.length() ? key : null;
    }


    private static boolean fits(String key) {
        return bytes(key + SUFFIX) <= MAX_FILE_NAME_BYTES;
    }

    private static String head(String key) {
        int cut = Character.isHighSurrogate(key.charAt(HEAD - 1)) ? HEAD - 1 : HEAD;
        return key.substring(0, cut);
    }

    private static String tail(String key) {
        return key.substring(head(key).length());
    }

    private static int bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    /** The rule {@code key} breaks, or null when it is usable as a file name. */
    static String problemWith(String key) {
        if (key == null || key.isEmpty()) {
            return "The archive key must not be empty";
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c == '/' || c == '\\') {
                return "The archive key must not contain `/` or `\\`, got `" + Printable.of(key) + "`";
            }
            if (c == ':') {
                // a drive letter or an alternate data stream on Windows
                return "The archive key must not contain `:`, got `" + Printable.of(key) + "`";
            }
            if (Character.isISOControl(c)) {
                return "The archive key must not contain control characters, got `" + Printable.of(key) + "`";
            }
        }
        if (key.contains("..")) {
            return "The archive key must not contain `..`, got `" + Printable.of(key) + "`";
        }
        if (key.startsWith(".")) {
            // names starting with a dot are reserved for staging files
            return "The archive key must not start with `.`, got `" + Printable.of(key) + "`";
        }
        if (!fits(key) && (key.length() <= HEAD || bytes(head(key) + LONG_SUFFIX) > MAX_FILE_NAME_BYTES
                || bytes(tail(key) + SUFFIX) > MAX_FILE_NAME_BYTES)) {
            return "The archive key is too long to store: at most " + (MAX_FILE_NAME_BYTES - SUFFIX.length())
                    + " bytes in one file name, or a longer key in two names; got " + bytes(key) + " bytes";
        }
        return null;
    }
}
