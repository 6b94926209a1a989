package io.snapkeep.participants.directory;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;

/**
 * Which symbolic links a directory participant keeps: those whose target, read as text, stays inside the
 * participant's directory. A target is refused when it is empty, holds a NUL or a backslash, or is absolute
 * (every absolute target, even one that names a path inside the directory: where the directory lives may
 * change, and an absolute target is the simplest way out of it). A relative target is resolved lexically,
 * segment by segment, from the link's parent directory: it is refused when a {@code ..} would climb above the
 * directory's root, or when a {@code ..} follows a segment that is itself a link of the tree (the file system
 * resolves {@code ..} from where that link leads, not from where it stands, so the text alone cannot show
 * where it ends). With every link so checked, following any chain of them never leaves the directory.
 */
final class LinkTargets {
    private LinkTargets() {
    }

    /**
     * Why {@code target}, held by a link at the relative {@code path}, may lead outside the directory, or null
     * when it stays inside; {@code links} are the paths of every link of the tree.
     */
    static String problem(String path, String target, Set<String> links) {
        if (target == null || target.isEmpty()) {
            return "it has no target";
        }
        if (target.indexOf('\0') >= 0 || target.contains("\\")) {
            return "its target holds a NUL or a backslash";
        }
        if (target.startsWith("/") || (target.length() > 1 && target.charAt(1) == ':') || absolute(target)) {
            return "its target is absolute (only relative targets inside the directory are kept)";
        }
        Deque<String> at = new ArrayDeque<>();
        int slash = path.lastIndexOf('/');
        if (slash > 0) {
            for (String segment : path.substring(0, slash).split("/")) {
                at.addLast(segment);
            }
        }
        for (String segment : target.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".")) {
                continue;
            }
            if (segment.equals("..")) {
                if (at.isEmpty()) {
                    return "its target leads outside the directory";
                }
                if (throughLink(at, links)) {
                    return "its target climbs with .. out of another link, which could lead outside the directory";
                }
                at.removeLast();
            } else {
                at.addLast(segment);
            }
        }
        return null;
    }

    private static boolean absolute(String target) {
        try {
            return Path.of(target).isAbsolute();
        } catch (InvalidPathException e) {
            return true;
        }
    }

    private static boolean throughLink(Deque<String> at, Set<String> links) {
        StringBuilder prefix = new StringBuilder();
        for (String segment : at) {
            if (prefix.length() > 0) {
                prefix.append('/');
            }
            prefix.append(segment);
            if (links.contains(prefix.toString())) {
                return true;
            }
        }
        return false;
    }
}
