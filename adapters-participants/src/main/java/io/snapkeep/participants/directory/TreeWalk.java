package io.snapkeep.participants.directory;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the live tree as {@link Node}s: regular files, directories and symbolic links. A link is read as a
 * link, its target text and its own time, and never followed: what it points to is not captured. A link
 * whose target {@link LinkTargets} says could lead outside the directory is skipped with a warning, since a
 * restore would refuse it; so is a special file (socket, pipe, device).
 */
final class TreeWalk {
    private static final Logger LOG = LoggerFactory.getLogger(DirectoryParticipant.class);

    private final String participant;
    private final Path dir;

    TreeWalk(String participant, Path dir) {
        this.participant = participant;
        this.dir = dir;
    }

    /** The tree in a sorted depth-first order, the root first; empty when the directory does not exist. */
    List<Node> nodes() throws IOException {
        List<Node> nodes = new ArrayList<>();
        BasicFileAttributes root;
        try {
            root = Files.readAttributes(dir, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return nodes;
        }
        if (!root.isDirectory()) {
            throw new IOException("Participant " + participant + ": " + dir + " is not a directory");
        }
        walk(dir, "", nodes);
        Set<String> links = TreeIndex.links(nodes);
        nodes.removeIf(node -> {
            String problem = node.is(Node.LINK) ? LinkTargets.problem(node.path(), node.target(), links) : null;
            if (problem != null) {
                LOG.warn("Participant {}: skipping the symbolic link {} to {}: {}; a restore could not bring it back",
                        participant, pathOf(node), node.target(), problem);
            }
            return problem != null;
        });
        return nodes;
    }

    /** The live path of a node from {@link #nodes()}. */
    Path pathOf(Node node) {
        return node.path().isEmpty() ? dir : dir.resolve(node.path());
    }

    private void walk(Path path, String relative, List<Node> nodes) throws IOException {
        nodes.add(node(path, relative, Node.DIR, 0));
        List<Path> children = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(path)) {
            stream.forEach(children::add);
        }
        children.sort(Comparator.comparing(p -> p.getFileName().toString()));
        for (Path child : children) {
            String childName = child.getFileName().toString();
            String childRelative = relative.isEmpty() ? childName : relative + "/" + childName;
            if (childName.contains("\\")) {
                throw new IOException("Participant " + participant + ": cannot capture " + child
                        + ": archive entry names must not contain a backslash");
            }
            BasicFileAttributes attrs = Files.readAttributes(child, BasicFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS);
            if (attrs.isDirectory()) {
                walk(child, childRelative, nodes);
            } else if (attrs.isRegularFile()) {
                nodes.add(node(child, childRelative, Node.FILE, attrs.size()));
            } else if (attrs.isSymbolicLink()) {
                nodes.add(new Node(childRelative, Node.LINK, null, attrs.lastModifiedTime().toInstant().toString(), 0,
                        Files.readSymbolicLink(child).toString()));
            } else {
                LOG.warn("Participant {}: skipping {}, which is a special file; only regular files, directories and"
                        + " symbolic links are captured", participant, child);
            }
        }
    }

    private static Node node(Path path, String relative, String type, long size) throws IOException {
        BasicFileAttributes attrs = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        String mode = null;
        if (path.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            mode = Modes.toOctal(Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
                    .permissions());
        }
        return new Node(relative, type, mode, attrs.lastModifiedTime().toInstant().toString(), size, null);
    }
}
