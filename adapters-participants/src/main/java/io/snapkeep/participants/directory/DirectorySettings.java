package io.snapkeep.participants.directory;

import io.snapkeep.core.domain.ParticipantName;
import io.snapkeep.core.domain.StateCategory;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * What a {@link DirectoryParticipant} is made from, checked by the participant's own rules. Each check
 * says what is wrong with one setting, or returns null, so that a configuration can name every bad setting
 * at once; the constructor refuses the first.
 *
 * @param name     the participant's name (the participant name rules)
 * @param category what kind of state it holds
 * @param path     the directory it captures and restores; absolute and normalized, not a file system root
 */
public record DirectorySettings(String name, StateCategory category, Path path) {

    public DirectorySettings {
        refuse("name", problemWithName(name));
        Objects.requireNonNull(category, "category");
        refuse("path", problemWithPath(path));
        path = path.toAbsolutePath().normalize();
    }

    /** What is wrong with {@code name} as a participant name, or null. */
    public static String problemWithName(String name) {
        return ParticipantName.problemWith(name);
    }

    /**
     * What is wrong with {@code path} as the captured directory, or null: it is required and may not be a
     * file system root, since restore swaps the directory by renames inside its parent.
     */
    public static String problemWithPath(Path path) {
        if (path == null) {
            return "required for a directory participant";
        }
        try {
            if (path.toAbsolutePath().normalize().getParent() == null) {
                return "must not be a file system root (restore swaps the directory inside its parent), got "
                        + path;
            }
        } catch (InvalidPathException | java.io.IOError e) {
            return "must be a file system path, got " + path;
        }
        return null;
    }

    /** The participant these settings describe. */
    public DirectoryParticipant open() {
        return new DirectoryParticipant(name, category, path);
    }

    private static void refuse(String setting, String problem) {
        if (problem != null) {
            throw new IllegalArgumentException("Directory participant " + setting + ": " + problem);
        }
    }
}
