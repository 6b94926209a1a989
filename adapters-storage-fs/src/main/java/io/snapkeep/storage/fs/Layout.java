package io.snapkeep.storage.fs;

import io.snapkeep.core.error.StorageUnavailableException;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * Everything the store writes under its root, in three directories:
 * <pre>
 *   archives/&lt;key&gt;.zip                 committed archives ({@link ArchiveKeys}: long keys one level down)
 *   records/&lt;key&gt;.json                 the record of each committed archive (same scheme)
 *   staging/&lt;key&gt;.&lt;random&gt;.part        bytes of writes not committed yet ({@link StagingFiles}: long keys by digest)
 * </pre>
 * Nothing else under the root is read, changed or removed, except the previous release's exact names,
 * which {@link LegacyLayout} moves into these directories.
 *
 * @param shown    the root as configured, for messages
 * @param root     the root with every link resolved once, at start
 * @param archives {@code root/archives}
 * @param records  {@code root/records}
 * @param staging  {@code root/staging}
 */
record Layout(Path shown, Path root, Path archives, Path records, Path staging) {
    static final String ARCHIVES = "archives";
    static final String RECORDS = "records";
    static final String STAGING = "staging";

    /**
     * The layout under {@code configured}, creating the root (with its parents) and the three directories
     * as needed, each owner-only ({@link OwnerOnly}); a root that exists already stays as it is, the three
     * directories, the store's own, are made owner-only if they are not. A directory of the layout that is a link, or not a directory, is refused: it could lead
     * out of the root.
     */
    static Layout open(Path configured) {
        Path shown = configured.toAbsolutePath().normalize();
        Path root;
        try {
            OwnerOnly.createDirectories(shown);
            root = shown.toRealPath();
        } catch (FileAlreadyExistsException e) {
            throw new StorageUnavailableException("The archive directory " + shown + " exists but is not a directory", e);
        } catch (IOException e) {
            throw StorageFailures.unavailable("Cannot create the archive directory", shown, e);
        }
        if (!Files.isDirectory(root)) {
            throw new StorageUnavailableException("The archive directory " + shown + " exists but is not a directory");
        }
        if (!Files.isReadable(root) || !Files.isWritable(root)) {
            throw new StorageUnavailableException("The archive directory " + shown
                    + " is not readable and writable (permission denied or a read-only file system)");
        }
        Layout layout = new Layout(shown, root, root.resolve(ARCHIVES), root.resolve(RECORDS), root.resolve(STAGING));
        boolean created = false;
        for (Path directory : new Path[] {layout.archives, layout.records, layout.staging}) {
            created |= layout.ensureDirectory(directory);
        }
        if (created) {
            try {
                Directories.sync(root);
            } catch (IOException e) {
                throw StorageFailures.unavailable("Cannot create the store's directories", shown, e);
            }
        }
        return layout;
    }

    /** Creates {@code directory} unless it is there; true when it was created now. */
    private boolean ensureDirectory(Path directory) {
        try {
            OwnerOnly.createDirectory(directory);
            return true;
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)) {
                throw new StorageUnavailableException("The archive directory " + shown + " holds "
                        + directory.getFileName() + " which is not a directory (or is a link): this store keeps its "
                        + directory.getFileName() + " there; move it away", e);
            }
            // the store's own directory, perhaps made by a release that left it readable by everyone
            OwnerOnly.tighten(directory);
            return false;
        } catch (IOException e) {
            throw StorageFailures.unavailable("Cannot create the directory " + directory.getFileName(), shown, e);
        }
    }

    Path archiveFile(String key) {
        return ArchiveKeys.fileFor(archives, key, ArchiveKeys.ARCHIVE);
    }

    Path recordFile(String key) {
        return ArchiveKeys.fileFor(records, key, ArchiveKeys.RECORD);
    }

    /** Where the previous release kept the archive of {@code key}: the same scheme, in the root itself. */
    Path legacyFile(String key) {
        return ArchiveKeys.fileFor(root, key, ArchiveKeys.ARCHIVE);
    }
}
