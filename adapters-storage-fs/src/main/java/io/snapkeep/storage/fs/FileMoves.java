package io.snapkeep.storage.fs;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;

/** Moving a file to a new name in the same file system without ever replacing what is there. */
final class FileMoves {
    enum Moved {
        /** The file is under its new name only, durably. */
        MOVED,
        /** Another file has the new name: nothing was changed. */
        TAKEN,
        /** The file was gone before it could be moved. */
        GONE
    }

    private FileMoves() {
    }

    /**
     * Moves {@code from} to {@code to}, refusing to replace another file. A hard link to the new name
     * first (the kernel refuses it when the name is taken), made durable, then the old name removed, made
     * durable: each name always shows the whole file, and a crash in between leaves two names of one file,
     * which the next move of the same name completes. Where the file system has no hard links, a rename
     * once the new name is seen free.
     */
    static Moved moveNoReplace(Path from, Path to) throws IOException {
        try {
            Files.createLink(to, from);
        } catch (FileAlreadyExistsException e) {
            if (!sameFile(from, to)) {
                return Files.exists(from, LinkOption.NOFOLLOW_LINKS) ? Moved.TAKEN : Moved.GONE;
            }
            // an earlier move stopped between its two steps: the new name is already the file
        } catch (NoSuchFileException e) {
            return Moved.GONE;
        } catch (UnsupportedOperationException | FileSystemException e) {
            return renameIfFree(from, to);
        }
        Directories.sync(to.getParent());
        try {
            Files.delete(from);
        } catch (NoSuchFileException e) {
            // removed meanwhile: the new name is all there is
        }
        Directories.sync(from.getParent());
        return Moved.MOVED;
    }

    private static Moved renameIfFree(Path from, Path to) throws IOException {
        if (Files.exists(to, LinkOption.NOFOLLOW_LINKS)) {
            return Moved.TAKEN;
        }
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (NoSuchFileException e) {
            return Moved.GONE;
        }
        Directories.sync(to.getParent());
        Directories.sync(from.getParent());
        return Moved.MOVED;
    }

    /** Whether both names are one regular file (never following a link). */
    static boolean sameFile(Path a, Path b) throws IOException {
        try {
            BasicFileAttributes first = Files.readAttributes(a, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            BasicFileAttributes second = Files.readAttributes(b, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            return first.isRegularFile() && second.isRegularFile() && first.fileKey() != null
                    && Objects.equals(first.fileKey(), second.fileKey());
        } catch (NoSuchFileException e) {
            return false;
        }
    }
}
