package io.snapkeep.storage.s3;

import io.snapkeep.core.port.out.StoreKey;
import io.snapkeep.core.support.Printable;

/**
 * The object names the store writes, all under its key prefix:
 * <pre>
 *   &lt;prefix&gt;archives/&lt;key&gt;.zip    a committed archive; while it is written, a multipart upload to this name
 *   &lt;prefix&gt;records/&lt;key&gt;.json    the record of the committed archive, written with one PUT
 * </pre>
 * and the one name of the previous release it reads: {@code <legacyPrefix><key>}, only for a key it is asked
 * about. Names are parsed strictly: anything else under the prefix, the archives or the records is not the
 * store's, and is never listed, changed or removed.
 */
final class S3Layout {
    static final String ARCHIVES = "archives/";
    static final String RECORDS = "records/";
    static final String ARCHIVE_SUFFIX = ".zip";
    static final String RECORD_SUFFIX = ".json";

    private final String prefix;
    private final String legacyPrefix;

    S3Layout(S3Settings settings) {
        this.prefix = settings.keyPrefix();
        this.legacyPrefix = settings.legacyPrefix();
    }

    String archivesPrefix() {
        return prefix + ARCHIVES;
    }

    String recordsPrefix() {
        return prefix + RECORDS;
    }

    String archive(StoreKey key) {
        return archivesPrefix() + checked(key) + ARCHIVE_SUFFIX;
    }

    String record(StoreKey key) {
        return recordsPrefix() + checked(key) + RECORD_SUFFIX;
    }

    /** Where the previous release kept the archive of {@code key}. */
    String legacy(StoreKey key) {
        return legacyPrefix + checked(key);
    }

    /** The key whose archive is {@code objectName}, or null when the name is not a layout archive name. */
    StoreKey archiveKey(String objectName) {
        return keyIn(objectName, archivesPrefix(), ARCHIVE_SUFFIX);
    }

    /** The key whose record is {@code objectName}, or null when the name is not a layout record name. */
    StoreKey recordKey(String objectName) {
        return keyIn(objectName, recordsPrefix(), RECORD_SUFFIX);
    }

    private static StoreKey keyIn(String objectName, String directory, String suffix) {
        if (objectName == null || !objectName.startsWith(directory) || !objectName.endsWith(suffix)
                || objectName.length() < directory.length() + suffix.length()) {
            return null;
        }
        String key = objectName.substring(directory.length(), objectName.length() - suffix.length());
        return problemWith(key) == null ? new StoreKey(key) : null;
    }

    private static String checked(StoreKey key) {
        String value = key == null ? null : key.value();
        String problem = problemWith(value);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        return value;
    }

    /** The rule {@code key} breaks, or null: a non-blank name without '/', '\' or control characters. */
    static String problemWith(String key) {
        if (key == null || key.isBlank() || key.contains("/") || key.contains("\\")
                || key.chars().anyMatch(Character::isISOControl)) {
            return "Archive key must be a non-blank name without '/', '\\' or control characters, but was '"
                    + Printable.of(key) + "'";
        }
        return null;
    }
}
