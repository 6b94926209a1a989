package io.snapkeep.catalog.jdbi;

import io.snapkeep.core.support.OwnerOnlyDirectories;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The files of an embedded H2 database, kept owner-only whatever the umask: the catalog names every
 * snapshot and holds the token digests. Its directory, when this creates it, is 0700 (so is each parent
 * it creates; a directory that exists is left as it is), and the database's files are 0600.
 *
 * <p>H2 creates its files with the umask's mode. So the database file is created here first, empty and
 * 0600 (H2 takes an empty file for a new database), and after H2 has opened, written or rewritten its files
 * ({@code SHUTDOWN COMPACT} writes the database anew under a new file), {@link #tighten} sets them to 0600
 * again. Only for a file database ({@code jdbc:h2:file:} or a plain path); in-memory and server URLs, and
 * file systems without POSIX permissions, are left alone.
 */
final class H2Files {
    private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
    /** What H2 may write beside the database: the file itself, its trace, its lock (AUTO_SERVER). */
    private static final List<String> SUFFIXES = List.of(".mv.db", ".trace.db", ".lock.db");

    /** The database's path without H2's suffix, e.g. {@code /var/lib/snapkeep/catalog/snapkeep}. */
    private final Path base;

    private H2Files(Path base) {
        this.base = base;
    }

    /** The files of {@code jdbcUrl}'s database, when it is an H2 file on a POSIX file system. */
    static Optional<H2Files> of(String jdbcUrl) {
        String lower = jdbcUrl.toLowerCase(Locale.ROOT);
        if (!lower.startsWith("jdbc:h2:")) {
            return Optional.empty();
        }
        String name = jdbcUrl.substring("jdbc:h2:".length());
        int settings = name.indexOf(';');
        if (settings >= 0) {
            name = name.substring(0, settings);
        }
        if (name.toLowerCase(Locale.ROOT).startsWith("file:")) {
            name = name.substring("file:".length());
        } else if (name.matches("(?s)[A-Za-z][A-Za-z0-9]+:.*")) {
            return Optional.empty(); // mem:, tcp:, ssl:, zip:, split:, nio: ... (a drive letter is one character)
        }
        if (name.isEmpty()) {
            return Optional.empty();
        }
        if (name.equals("~") || name.startsWith("~/")) {
            name = System.getProperty("user.home") + name.substring(1);
        }
        Path base;
        try {
            base = Path.of(name).toAbsolutePath().normalize();
        } catch (RuntimeException notAPath) {
            return Optional.empty(); // H2 says what is wrong with it
        }
        if (base.getParent() == null || !base.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return Optional.empty();
        }
        return Optional.of(new H2Files(base));
    }

    /**
     * Before H2 opens the database: creates its directory (0700, with each missing parent) and, unless the
     * URL wants only an existing database, the database file, empty and 0600.
     */
    void prepare(boolean mayCreate) throws IOException {
        if (!mayCreate) {
            return; // H2 refuses a database that is not there; nothing to create
        }
        OwnerOnlyDirectories.createDirectories(base.getParent());
        Path database = file(".mv.db");
        try {
            Files.createFile(database, PosixFilePermissions.asFileAttribute(FILE));
            set(database, FILE);
        } catch (FileAlreadyExistsException existing) {
            // an existing database: tighten() sets its mode once H2 has it open
        }
    }

    /** Sets each of the database's files that exists to 0600; a file this process cannot change is left. */
    void tighten() {
        for (String suffix : SUFFIXES) {
            Path file = file(suffix);
            if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                try {
                    set(file, FILE);
                } catch (IOException | UnsupportedOperationException notOurs) {
                    // another user's file (a shared AUTO_SERVER database): H2 already opened it as it is
                }
            }
        }
    }

    Path file(String suffix) {
        return base.resolveSibling(base.getFileName() + suffix);
    }

    /**
     * A chmod by name, never through a descriptor: closing any descriptor of a file releases every POSIX
     * lock this process holds on it, and H2 locks its open database file so that no other process opens it.
     */
    private static void set(Path path, Set<PosixFilePermission> permissions) throws IOException {
        Files.setPosixFilePermissions(path, permissions);
    }
}
