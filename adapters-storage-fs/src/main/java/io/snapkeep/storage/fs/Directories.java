package io.snapkeep.storage.fs;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;

/** Directory operations the JDK has no name for. */
final class Directories {
    /** Windows cannot open a directory as a channel; its renames are durable through the file system. */
    private static final boolean CAN_SYNC = !System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");

    private Directories() {
    }

    /** Makes a rename or delete in {@code dir} durable: fsync of the directory itself. */
    static void sync(Path dir) throws IOException {
        if (CAN_SYNC) {
            try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
                channel.force(true);
            }
        }
    }
}
