package io.snapkeep.participants.directory;

import io.snapkeep.core.error.InvalidArchiveException;
import io.snapkeep.core.support.Printable;
import java.nio.file.Path;

/**
 * What a directory participant refuses in an archive's entries. Every refusal is an
 * {@link InvalidArchiveException} naming the participant: bad content is the archive's fault, never an I/O
 * error.
 */
final class EntryRules {
    private final String participant;

    EntryRules(String participant) {
        this.participant = participant;
    }

    /** The participant whose entries these rules check. */
    String participant() {
        return participant;
    }

    /** A refusal of the participant's entries; {@code what} continues "The archive's entries for ... ". */
    InvalidArchiveException invalid(String what) {
        return new InvalidArchiveException("The archive's entries for participant " + participant + " " + what);
    }

    /**
     * Checks a path from an archive: relative, {@code /}-separated, no empty, {@code .} or {@code ..}
     * segment, no backslash, no NUL.
     */
    String checkedPath(String path) {
        if (path.isEmpty() || path.startsWith("/") || path.contains("\\") || path.indexOf('\0') >= 0) {
            throw refused(path, "it must be relative, with / separators");
        }
        for (String segment : path.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                throw refused(path, "empty, . or .. segment");
            }
        }
        return path;
    }

    /** {@code base} joined with a checked relative path; refuses anything that would land outside it. */
    Path resolve(Path base, String relative) {
        if (relative.isEmpty()) {
            return base;
        }
        Path target = base.resolve(relative).normalize();
        if (!target.startsWith(base) || target.equals(base)) {
            throw refused(relative, "it leaves the directory");
        }
        return target;
    }

    private InvalidArchiveException refused(String path, String why) {
        return new InvalidArchiveException("Refusing archive path \"" + Printable.of(path) + "\" of participant "
                + participant + ": " + why);
    }
}
