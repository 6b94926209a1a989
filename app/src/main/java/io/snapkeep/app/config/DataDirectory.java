package io.snapkeep.app.config;

import io.snapkeep.core.support.OwnerOnlyDirectories;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The data directory holds the admin password, the catalog and, by default, the archives: when Snapkeep
 * creates it (and each missing parent) it is owner-only, 0700, whatever the umask. A directory that exists
 * already is the operator's and keeps its mode. On a file system without POSIX permissions it is created
 * as the file system does.
 */
public final class DataDirectory {
    private DataDirectory() {
    }

    /** Creates {@code directory} and its missing parents, each 0700; the directory, as given. */
    public static Path create(Path directory) throws IOException {
        OwnerOnlyDirectories.createDirectories(directory);
        return directory;
    }
}
