package io.snapkeep.storage.fs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * Records: small files in the layout's {@code records} directory, written like archives (a staging file,
 * synced, renamed into place, the directory synced) so that a reader sees the old record or the new one
 * whole, and a written record survives a crash.
 */
final class RecordFiles {
    private RecordFiles() {
    }

    /** Writes {@code bytes} as {@code target}, the record of {@code key}, atomically and durably. */
    static void write(Layout layout, String key, Path target, byte[] bytes, Object owner) throws IOException {
        Path staging = StagingFiles.claimNew(layout.staging(), key, owner);
        try {
            try (FileChannel channel = OwnerOnly.createFile(staging, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
                FileLock lock = StagingFiles.tryLock(channel);
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
                Directories.prepareParent(target, layout.records());
                // renamed while still locked, as archives are: never taken for a leftover meanwhile
                Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                if (lock != null) {
                    lock.release();
                }
            } catch (IOException e) {
                try {
                    Files.deleteIfExists(staging);
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e;
            }
        } finally {
            StagingFiles.release(staging);
        }
        Directories.sync(target.getParent());
    }

    /** The bytes of the record file, or empty when there is no regular file (a link is never followed). */
    static Optional<byte[]> read(Path file, Path base) throws IOException {
        if (!isRegularFile(file, base)) {
            return Optional.empty();
        }
        // NOFOLLOW_LINKS (O_NOFOLLOW): a link swapped in after the check above is refused, not read
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            long size = channel.size();
            if (size > Integer.MAX_VALUE - 8) {
                throw new IOException("the record file " + file.getFileName() + " is " + size
                        + " bytes, more than a record can be");
            }
            ByteBuffer buffer = ByteBuffer.allocate((int) size);
            while (buffer.hasRemaining() && channel.read(buffer) >= 0) {
                // read on until full or at the end
            }
            if (buffer.hasRemaining()) {
                throw new IOException("the record file " + file.getFileName() + " ended before its size");
            }
            return Optional.of(buffer.array());
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    /**
     * Whether {@code file} (in {@code base}, or in a long key's directory in it) is a regular file, without
     * following a link: not the file, and not its directory.
     */
    static boolean isRegularFile(Path file, Path base) {
        Path parent = file.getParent();
        return (parent.equals(base) || Files.isDirectory(parent, LinkOption.NOFOLLOW_LINKS))
                && Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS);
    }
}
