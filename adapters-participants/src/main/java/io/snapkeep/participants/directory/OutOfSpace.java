package io.snapkeep.participants.directory;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A restore that ran out of room on the file system, said so that an operator can act: which participant,
 * which path, and that the disk is full. The JDK's own message is only "No space left on device".
 */
final class OutOfSpace {
    private OutOfSpace() {
    }

    /** The failure of a restore that ran out of space, naming its participant and path. */
    static final class RestoreOutOfSpaceException extends IOException {
        private static final long serialVersionUID = 1L;

        RestoreOutOfSpaceException(String message, IOException cause) {
            super(message, cause);
        }
    }

    /** Whether {@code e} is the file system saying it is full (or the user's quota is). */
    static boolean is(IOException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String text = (t instanceof FileSystemException fse && fse.getReason() != null ? fse.getReason() + " " : "")
                    + t.getMessage();
            text = text.toLowerCase(Locale.ROOT);
            if (text.contains("no space left on device") || text.contains("disk quota exceeded")) {
                return true;
            }
        }
        return false;
    }

    /**
     * {@code e} itself, unless it says the disk is full while {@code participant} restored into {@code path}:
     * then a {@link RestoreOutOfSpaceException} that says so, with {@code e} as its cause.
     */
    static IOException named(IOException e, String participant, Path path) {
        if (e instanceof RestoreOutOfSpaceException || !is(e)) {
            return e;
        }
        Path where = e instanceof FileSystemException fse && fse.getFile() != null ? Path.of(fse.getFile()) : path;
        return new RestoreOutOfSpaceException("Participant `" + participant + "` ran out of disk space restoring "
                + where + ": no space left on device", e);
    }
}
