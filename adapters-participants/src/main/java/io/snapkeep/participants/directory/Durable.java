package io.snapkeep.participants.directory;

import java.io.File;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * How a restore makes what it wrote survive a power loss: a file's bytes and its inode (size, time, mode),
 * a directory's entries and its own inode. A seam, so that a test can see what is forced and when, where a
 * crash cannot be simulated.
 */
interface Durable {
    /** Forces the bytes and metadata of the open file at {@code path}. */
    void file(FileChannel channel, Path path) throws IOException;

    /** Forces the entries and metadata of {@code dir}. */
    void directory(Path dir) throws IOException;

    /** fsync(2), of files through their channel and of directories opened for reading. */
    Durable FSYNC = new Durable() {
        @Override
        public void file(FileChannel channel, Path path) throws IOException {
            channel.force(true);
        }

        @Override
        public void directory(Path dir) throws IOException {
            // Windows cannot open a directory as a channel; NTFS journals its directory changes itself.
            if (File.separatorChar == '\\') {
                return;
            }
            try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
                channel.force(true);
            }
        }
    };
}
