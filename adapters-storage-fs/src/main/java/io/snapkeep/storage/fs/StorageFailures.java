package io.snapkeep.storage.fs;

import io.snapkeep.core.error.StorageUnavailableException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;

/** Turns an I/O failure of the archive directory into a message an operator can act on. */
final class StorageFailures {
    private StorageFailures() {
    }

    static StorageUnavailableException unavailable(String action, Path root, IOException cause) {
        return new StorageUnavailableException(message(action, root, cause), cause);
    }

    /** "Cannot commit archive `k` in archive directory /data: no space left on device". */
    static String message(String action, Path root, IOException cause) {
        return action + " in archive directory " + root + ": " + reason(cause);
    }

    /** The cause in plain words; the JDK's messages are kept after the plain words when they add detail. */
    static String reason(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String text = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
            if (text.contains("no space left on device")) {
                return "no space left on device";
            }
            if (text.contains("disk quota exceeded")) {
                return "no space left on device (disk quota exceeded)";
            }
            if (text.contains("read-only file system")) {
                return "read-only file system";
            }
            if (t instanceof NoSuchFileException) {
                return "no such file or directory: " + t.getMessage();
            }
            if (t instanceof AccessDeniedException || text.contains("permission denied")) {
                return "permission denied (" + failure.getMessage() + ")";
            }
        }
        return failure.getClass().getSimpleName() + ": " + failure.getMessage();
    }
}
