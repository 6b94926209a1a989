package io.snapkeep.participants.directory;

import io.snapkeep.core.support.Printable;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;

/** POSIX permission sets as octal text ({@code 0755}), the form people read and {@code chmod} takes. */
final class Modes {
    // In the order of the bits, from 0400 down to 0001.
    private static final PosixFilePermission[] BITS = {
        PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE,
        PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
        PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE,
    };

    private Modes() {
    }

    static String toOctal(Set<PosixFilePermission> permissions) {
        int mode = 0;
        for (int i = 0; i < BITS.length; i++) {
            if (permissions.contains(BITS[i])) {
                mode |= 1 << (BITS.length - 1 - i);
            }
        }
        return String.format("%04o", mode);
    }

    /** The permissions of {@code text}; throws IllegalArgumentException saying what is wrong with it. */
    static Set<PosixFilePermission> fromOctal(String text) {
        int mode;
        try {
            mode = Integer.parseInt(text, 8);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid file mode \"" + Printable.of(text)
                    + "\": expected octal digits such as 0644");
        }
        if (mode < 0 || mode > 0777) {
            throw new IllegalArgumentException("invalid file mode \"" + Printable.of(text)
                    + "\": only the permission bits 0000-0777 are kept");
        }
        Set<PosixFilePermission> permissions = EnumSet.noneOf(PosixFilePermission.class);
        for (int i = 0; i < BITS.length; i++) {
            if ((mode & (1 << (BITS.length - 1 - i))) != 0) {
                permissions.add(BITS[i]);
            }
        }
        return permissions;
    }
}
