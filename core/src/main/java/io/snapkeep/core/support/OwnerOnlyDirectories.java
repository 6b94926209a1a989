package io.snapkeep.core.support;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;

/**
 * Directories that only their owner may enter (0700), whatever the umask: the mode is given at creation (the
 * umask can only narrow it) and then set exactly. Directories that exist already (an operator's) are left as
 * they are. On a file system without POSIX permissions they are created plainly.
 */
public final class OwnerOnlyDirectories {
    public static final Set<PosixFilePermission> MODE = PosixFilePermissions.fromString("rwx------");

    private OwnerOnlyDirectories() {
    }

    /** Creates {@code directory} (its parent must exist); FileAlreadyExistsException as {@link Files}. */
    public static void createDirectory(Path directory) throws IOException {
        if (!directory.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.createDirectory(directory);
            return;
        }
        Files.createDirectory(directory, PosixFilePermissions.asFileAttribute(MODE));
        PosixFileAttributeView view = Files.getFileAttributeView(directory, PosixFileAttributeView.class,
                LinkOption.NOFOLLOW_LINKS);
        if (view == null) {
            throw new IOException("no POSIX permissions for " + directory.getFileName());
        }
        view.setPermissions(MODE);
    }

    /**
     * Creates {@code directory} and each missing parent, every one of them owner-only; one that another
     * process makes meanwhile is taken as it is.
     *
     * @throws FileAlreadyExistsException {@code directory} exists and is not a directory
     */
    public static void createDirectories(Path directory) throws IOException {
        Path absolute = directory.toAbsolutePath();
        Deque<Path> missing = new ArrayDeque<>();
        for (Path p = absolute; p != null && !Files.exists(p); p = p.getParent()) {
            missing.push(p);
        }
        while (!missing.isEmpty()) {
            Path next = missing.pop();
            try {
                createDirectory(next);
            } catch (FileAlreadyExistsException raced) {
                if (!Files.isDirectory(next)) {
                    throw raced;
                }
            }
        }
        if (!Files.isDirectory(absolute)) {
            throw new FileAlreadyExistsException(absolute + " exists but is not a directory");
        }
    }
}
