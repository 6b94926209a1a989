package io.snapkeep.app.config;

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
 * The data directory holds the admin password, the catalog and, by default, the archives: when Snapkeep
 * creates it (and each missing parent) it is owner-only, 0700, whatever the umask. A directory that exists
 * already is the operator's and keeps its mode. On a file system without POSIX permissions it is created
 * as the file system does.
 */
public final class DataDirectory {
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

    private DataDirectory() {
    }

    /** Creates {@code directory} and its missing parents, each 0700; the directory, as given. */
    public static Path create(Path directory) throws IOException {
        Path absolute = directory.toAbsolutePath();
        if (!absolute.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return Files.createDirectories(directory);
        }
        Deque<Path> missing = new ArrayDeque<>();
        for (Path p = absolute; p != null && !Files.exists(p); p = p.getParent()) {
            missing.push(p);
        }
        while (!missing.isEmpty()) {
            Path next = missing.pop();
            try {
                // the umask can only narrow the mode given here; it is then set exactly
                Files.createDirectory(next, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
                Files.getFileAttributeView(next, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                        .setPermissions(OWNER_ONLY);
            } catch (FileAlreadyExistsException raced) {
                // made meanwhile by someone else: theirs
            }
        }
        if (!Files.isDirectory(absolute)) {
            throw new FileAlreadyExistsException(absolute + " exists but is not a directory");
        }
        return directory;
    }
}
