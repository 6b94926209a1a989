package io.snapkeep.core.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** The POSIX modes of what a test finds on disk, links never followed. */
public final class FileModes {
    private FileModes() {
    }

    /** Every path under {@code base}, relative, directories with a trailing slash, with its mode. */
    public static Map<String, String> modesUnder(Path base) throws IOException {
        Map<String, String> modes = new TreeMap<>();
        try (Stream<Path> all = Files.walk(base)) {
            for (Path p : all.filter(p -> !p.equals(base)).toList()) {
                boolean directory = Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS);
                modes.put(base.relativize(p) + (directory ? "/" : ""), mode(p));
            }
        }
        return modes;
    }

    /** The mode of {@code path} as {@code ls} shows it, e.g. {@code rw-------}. */
    public static String mode(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS));
    }
}
