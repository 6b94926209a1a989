package io.snapkeep.storage.fs;

import io.snapkeep.core.support.OwnerOnlyDirectories;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Every directory the store creates is owner-only (0700) and every file it writes is owner-only (0600),
 * whatever the umask: archives may hold credentials. The mode is given at creation (the umask can only
 * narrow it, so the file is never wider, not even for a moment) and then set exactly. On a file system
 * without POSIX permissions nothing is set.
 */
final class OwnerOnly {
    static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
    static final Set<PosixFilePermission> DIRECTORY = OwnerOnlyDirectories.MODE;

    private OwnerOnly() {
    }

    static boolean applies(Path path) {
        return path.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    /**
     * Creates a new file for writing, as {@link FileChannel#open} with {@code options}, owner-only. Its mode
     * is set before any lock is taken on it: setting it opens and closes a descriptor of the file, and
     * closing any descriptor releases every POSIX lock this process holds on the file.
     */
    static FileChannel createFile(Path file, OpenOption... options) throws IOException {
        boolean posix = applies(file);
        FileChannel channel = posix
                ? FileChannel.open(file, Set.of(options), PosixFilePermissions.asFileAttribute(FILE))
                : FileChannel.open(file, options);
        if (posix) {
            try {
                set(file, FILE);
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
        }
        return channel;
    }

    /** Creates {@code directory} (its parent must exist) owner-only; FileAlreadyExistsException as Files. */
    static void createDirectory(Path directory) throws IOException {
        OwnerOnlyDirectories.createDirectory(directory);
    }

    /**
     * Creates {@code directory} and each missing parent, every one of them owner-only; directories that
     * exist already (the operator's) are left as they are.
     */
    static void createDirectories(Path directory) throws IOException {
        OwnerOnlyDirectories.createDirectories(directory);
    }

    /** Makes an existing directory of the store's own owner-only; one it cannot change is left as it is. */
    static void tighten(Path directory) {
        if (!applies(directory)) {
            return;
        }
        try {
            PosixFileAttributeView view = view(directory);
            if (!view.readAttributes().permissions().equals(DIRECTORY)) {
                view.setPermissions(DIRECTORY);
            }
        } catch (IOException | UnsupportedOperationException notOurs) {
            // owned by another user, or a file system that refuses: it stays as the operator made it
        }
    }

    /**
     * Makes a file of the store's own owner-only (an archive the previous release wrote, moved into the
     * layout); one it cannot change is left as it is.
     */
    static void tightenFile(Path file) {
        if (!applies(file)) {
            return;
        }
        try {
            set(file, FILE);
        } catch (IOException | UnsupportedOperationException notOurs) {
            // owned by another user: it stays as it was
        }
    }

    private static void set(Path path, Set<PosixFilePermission> permissions) throws IOException {
        view(path).setPermissions(permissions);
    }

    private static PosixFileAttributeView view(Path path) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class,
                LinkOption.NOFOLLOW_LINKS);
        if (view == null) {
            throw new IOException("no POSIX permissions for " + path.getFileName());
        }
        return view;
    }
}
