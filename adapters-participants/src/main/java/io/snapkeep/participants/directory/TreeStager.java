package io.snapkeep.participants.directory;

import io.snapkeep.core.port.out.StateParticipant.Entry;
import io.snapkeep.core.port.out.StateParticipant.EntrySource;
import io.snapkeep.core.support.Printable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributeView;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Writes a restore's entries into an empty staging directory, checking them on the way: the index is read
 * whole and checked line by line, each {@code files/<path>} entry is written as a new file, and at the end
 * the files written must be exactly the files the index lists, with their sizes. Then directories are
 * made, then the index's symbolic links, and every mode and time applied. The staging directory starts
 * empty, so any name met twice there came from the entries: that, like every other bad entry, is refused as
 * an invalid archive.
 *
 * <p>Nothing is ever written through a link: files are created new ({@code CREATE_NEW}, no following) and
 * directories made before the first link exists, no index path lies under a link, and times and modes are
 * set on the path itself, never on what it points to.
 */
final class TreeStager {
    static final String FILES = "files/";

    private final EntryRules rules;
    private final Path staging;
    /** Size of every file written, by relative path. */
    private final Map<String, Long> written = new HashMap<>();
    /** Every directory that a written file lies in, so that no file is written where one is implied. */
    private final Set<String> parents = new HashSet<>();
    private List<Node> index;
    private Path madeParent;

    private TreeStager(EntryRules rules, Path staging) {
        this.rules = rules;
        this.staging = staging;
    }

    /** Stages {@code entries} into {@code staging}, which exists and is empty. */
    static void stage(EntrySource entries, Path staging, EntryRules rules) throws IOException {
        TreeStager stager = new TreeStager(rules, staging);
        stager.writeEntries(entries);
        stager.applyIndex();
    }

    private void writeEntries(EntrySource entries) throws IOException {
        BackgroundWrites background = new BackgroundWrites(rules.participant());
        try {
            for (Optional<Entry> next = entries.next(); next.isPresent(); next = entries.next()) {
                Entry entry = next.get();
                if (entry.path().equals(TreeIndex.ENTRY)) {
                    if (index != null) {
                        throw rules.invalid("holds " + TreeIndex.ENTRY + " twice");
                    }
                    index = TreeIndex.read(entry.content(), rules);
                } else if (entry.path().startsWith(FILES)) {
                    writeFile(entry, background);
                } else {
                    throw rules.invalid("has an unexpected entry " + Printable.of(entry.path()));
                }
            }
            background.awaitAll();
        } catch (FileAlreadyExistsException e) {
            throw rules.invalid("holds " + Printable.of(staging.relativize(Path.of(e.getFile())).toString())
                    + " twice (or names that this file system does not tell apart)");
        } finally {
            background.stop();
        }
    }

    private void writeFile(Entry entry, BackgroundWrites background) throws IOException {
        String relative = rules.checkedPath(entry.path().substring(FILES.length()));
        if (written.containsKey(relative)) {
            throw rules.invalid("holds " + Printable.of(entry.path()) + " twice");
        }
        claim(relative);
        Path target = rules.resolve(staging, relative);
        // Files come in walk order, so siblings share the parent made for the first of them.
        if (!target.getParent().equals(madeParent)) {
            createDirectories(target.getParent());
            madeParent = target.getParent();
        }
        // Reading the entry inflates and checks it here; small files are then written in the
        // background, so the file system's work overlaps the archive's.
        byte[] head = entry.content().readNBytes(BackgroundWrites.SMALL_FILE + 1);
        if (head.length <= BackgroundWrites.SMALL_FILE) {
            background.write(target, head);
            written.put(relative, (long) head.length);
        } else {
            try (OutputStream out = BackgroundWrites.newFile(target)) {
                out.write(head);
                written.put(relative, head.length + entry.content().transferTo(out));
            } catch (IOException e) {
                throw OutOfSpace.named(e, rules.participant(), target);
            }
        }
    }

    private void createDirectories(Path dir) throws IOException {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw OutOfSpace.named(e, rules.participant(), dir);
        }
    }

    /** Refuses a file where a directory is implied by an earlier file, or under an earlier file. */
    private void claim(String relative) {
        if (parents.contains(relative)) {
            throw rules.invalid("holds " + Printable.of(relative) + " both as a file and as a directory");
        }
        for (int slash = relative.lastIndexOf('/'); slash > 0; slash = relative.lastIndexOf('/', slash - 1)) {
            String parent = relative.substring(0, slash);
            if (written.containsKey(parent)) {
                throw rules.invalid("holds " + Printable.of(parent) + " both as a file and as a directory");
            }
            if (!parents.add(parent)) {
                break; // its own parents were added with it
            }
        }
    }

    private void applyIndex() throws IOException {
        if (index == null) {
            throw rules.invalid("has no " + TreeIndex.ENTRY);
        }
        for (Node node : index) {
            if (node.type().equals(Node.FILE)) {
                Long size = written.remove(node.path());
                if (size == null || size != node.size()) {
                    throw rules.invalid("lists " + Printable.of(node.path()) + " (" + node.size() + " bytes) in "
                            + TreeIndex.ENTRY + " but holds " + (size == null ? "no such file" : size + " bytes"));
                }
            }
        }
        if (!written.isEmpty()) {
            throw rules.invalid("holds files missing from " + TreeIndex.ENTRY + ": "
                    + Printable.of(written.keySet().toString()));
        }
        // Every written file is a file of the index, and no index path lies under a file: the directories
        // of the index can be made without meeting a file.
        for (Node node : index) {
            if (node.type().equals(Node.DIR)) {
                createDirectories(rules.resolve(staging, node.path()));
            }
        }
        // Links last, once nothing more is written: no later write can pass through one.
        for (Node node : index) {
            if (node.is(Node.LINK)) {
                createLink(node);
            }
        }
        // Files and links first, then directories deepest first: creating or chmod-ing a child changes its
        // parent.
        boolean posix = staging.getFileSystem().supportedFileAttributeViews().contains("posix");
        for (Node node : index) {
            if (node.is(Node.FILE) || node.is(Node.LINK)) {
                applyAttributes(rules.resolve(staging, node.path()), node, posix);
            }
        }
        List<Node> dirs = new ArrayList<>(index.stream().filter(n -> n.type().equals(Node.DIR)).toList());
        dirs.sort(Comparator.comparing(Node::path).reversed());
        for (Node node : dirs) {
            applyAttributes(rules.resolve(staging, node.path()), node, posix);
        }
    }

    /** The link of {@code node}, holding its target text; its target was checked when the index was read. */
    private void createLink(Node node) throws IOException {
        Path link = rules.resolve(staging, node.path());
        createDirectories(link.getParent());
        try {
            Files.createSymbolicLink(link, link.getFileSystem().getPath(node.target()));
        } catch (FileAlreadyExistsException e) {
            throw rules.invalid("holds " + Printable.of(node.path())
                    + " twice (or names that this file system does not tell apart)");
        } catch (IOException e) {
            throw OutOfSpace.named(e, rules.participant(), link);
        }
    }

    private void applyAttributes(Path path, Node node, boolean posix) throws IOException {
        if (node.mtime() != null) {
            Files.getFileAttributeView(path, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                    .setTimes(FileTime.from(TreeIndex.time(node, rules)), null, null);
        }
        if (posix && node.mode() != null) {
            Files.getFileAttributeView(path, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                    .setPermissions(Modes.fromOctal(node.mode()));
        }
    }
}
