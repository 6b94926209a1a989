package io.snapkeep.storage.fs;

import io.snapkeep.core.error.InvalidParameterException;
import io.snapkeep.core.support.Printable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * How keys map to file names in one directory of the layout: {@code <key><suffix>} ({@code .zip} for
 * archives, {@code .json} for records). A key too long for one file name (snapshot ids reach 256
 * characters, names stop at 255 bytes) is split: {@code <head>.long/<tail><suffix>}, one level down; no short
 * key's file can collide with such a directory, since every file of the scheme ends in its suffix. The
 * previous release used the same scheme, with {@code .zip}, directly in the archive directory.
 *
 * <p>Keys are checked here even though the core validates snapshot ids, because this store must stay safe
 * on its own: a key never names a path outside its directory, and never collides with a staging file.
 */
final class ArchiveKeys {
    static final String ARCHIVE = ".zip";
    static final String RECORD = ".json";
    static final String LONG_SUFFIX = ".long";
    /** Characters of a long key that name its directory; the rest names the file. */
    static final int HEAD = 200;

    /** Most file systems limit one name to 255 bytes. */
    static final int MAX_FILE_NAME_BYTES = 255;

    private ArchiveKeys() {
    }

    /**
     * The file that holds {@code key} with {@code suffix} in {@code directory}, re-checked to be a child of
     * {@code directory} or of one long-key directory in it.
     */
    static Path fileFor(Path directory, String key, String suffix) {
        String problem = problemWith(key);
        if (problem != null) {
            throw new InvalidParameterException(problem);
        }
        Path file = fits(key, suffix) ? directory.resolve(key + suffix).normalize()
                : directory.resolve(head(key) + LONG_SUFFIX).resolve(tail(key) + suffix).normalize();
        Path parent = file.getParent();
        if (!directory.equals(parent) && !(parent != null && directory.equals(parent.getParent()))) {
            throw new InvalidParameterException("The archive key `" + Printable.of(key) + "` names a path outside the archive directory");
        }
        return file;
    }

    /** The key stored in a file of this name, or null when the name is not one of the scheme. */
    static String keyOf(String fileName, String suffix) {
        if (!fileName.endsWith(suffix)) {
            return null;
        }
        String key = fileName.substring(0, fileName.length() - suffix.length());
        return problemWith(key) == null && fits(key, suffix) ? key : null;
    }

    /** The long key stored as {@code fileName} in the long-key directory {@code directoryName}, or null. */
    static String keyOf(String directoryName, String fileName, String suffix) {
        if (!directoryName.endsWith(LONG_SUFFIX) || !fileName.endsWith(suffix)) {
            return null;
        }
        String key = directoryName.substring(0, directoryName.length() - LONG_SUFFIX.length())
                + fileName.substring(0, fileName.length() - suffix.length());
        return problemWith(key) == null && !fits(key, suffix) && head(key).length() + LONG_SUFFIX.length()
                == directoryName.length() ? key : null;
    }

    /** Whether {@code name} could be a long-key directory of the scheme. */
    static boolean isLongKeyDirectoryName(String name) {
        return name.endsWith(LONG_SUFFIX) && name.length() > LONG_SUFFIX.length();
    }

    private static boolean fits(String key, String suffix) {
        return bytes(key + suffix) <= MAX_FILE_NAME_BYTES;
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

    /** The rule {@code key} breaks, or null when it is usable as a file name for an archive and a record. */
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
            // the previous releases' staging names start with a dot; staging names of keys never do
            return "The archive key must not start with `.`, got `" + Printable.of(key) + "`";
        }
        if (!storable(key, ARCHIVE) || !storable(key, RECORD)) {
            return "The archive key is too long to store: its file names would pass " + MAX_FILE_NAME_BYTES
                    + " bytes, even split in two (the first " + HEAD + " characters, then the rest); got "
                    + bytes(key) + " bytes";
        }
        return null;
    }

    /** Whether {@code key} has a file name with {@code suffix}: one name, or a long key's two. */
    private static boolean storable(String key, String suffix) {
        return fits(key, suffix) || key.length() > HEAD && bytes(head(key) + LONG_SUFFIX) <= MAX_FILE_NAME_BYTES
                && bytes(tail(key) + suffix) <= MAX_FILE_NAME_BYTES;
    }
}
