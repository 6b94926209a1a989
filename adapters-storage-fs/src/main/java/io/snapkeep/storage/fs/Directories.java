package io.snapkeep.storage.fs;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
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

    /**
     * Makes sure the directory of {@code file} exists when it is a long key's directory inside {@code base}:
     * created on demand (and made durable), and never a link, which a rename would follow out of the store.
     */
    static void prepareParent(Path file, Path base) throws IOException {
        Path directory = file.getParent();
        if (directory.equals(base)) {
            return;
        }
        try {
            OwnerOnly.createDirectory(directory);
            sync(base);
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)) {
                throw new IOException(directory.getFileName() + " is not a directory of this store", e);
            }
        }
    }

    /**
     * Removes {@code directory} (a long key's directory in {@code base}) if nothing is left in it, durably;
     * one that still holds anything stays.
     */
    static void removeIfEmpty(Path directory, Path base) {
        if (directory.equals(base)) {
            return;
        }
        try {
            if (Files.deleteIfExists(directory)) {
                sync(base);
            }
        } catch (DirectoryNotEmptyException | NoSuchFileException stillUsedOrGone) {
            // another key shares it, something else is in it, or it is gone already
        } catch (IOException ignored) {
            // an empty directory left behind is harmless
        }
    }
}
