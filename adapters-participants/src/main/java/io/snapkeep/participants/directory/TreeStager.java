package io.snapkeep.participants.directory;

import io.snapkeep.core.port.out.StateParticipant.Entry;
import io.snapkeep.core.port.out.StateParticipant.EntrySource;
import io.snapkeep.core.support.Printable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Future;

/**
 * Writes a restore's entries into an empty staging directory, checking them on the way: the index is read
 * whole and checked line by line, each {@code files/<path>} entry is written as a new file, and at the end
 * the files written must be exactly the files the index lists, with their sizes. Directories are made
 * when the index is read, the index's symbolic links last, and every mode and time applied. The staging
 * directory starts empty, so any name met twice there came from the entries: that, like every other bad
 * entry, is refused as an invalid archive.
 *
 * <p>Nothing is ever written through a link: files are created new ({@code CREATE_NEW}, no following) and
 * directories made before the first link exists, no index path lies under a link, and times and modes are
 * set on the path itself, never on what it points to.
 *
 * <p>Durable when it returns: every file is forced (its bytes, and its inode after its time and mode are
 * set), then every directory made (its entries, and its inode after its own time and mode), so that once
 * the commit's rename makes the staging live, a power loss cannot leave an empty or torn file or a missing
 * name in the live tree. Files written after the index (the export's order) get their time and mode and
 * their force on the pool as soon as they are written, the forces of many files in flight together; only
 * the directories wait for the end, each forced once.
 */
final class TreeStager {
    static final String FILES = "files/";
    private static final int BLOCK = 256 * 1024;
    private static final long FLUSH_EVERY = 64L << 20;

    private final EntryRules rules;
    private final Path staging;
    private final Durable durable;
    private final boolean posix;
    /** Size of every file written, by relative path. */
    private final Map<String, Long> written = new HashMap<>();
    /** Every directory that a written file lies in, so that no file is written where one is implied. */
    private final Set<String> parents = new HashSet<>();
    /** Every directory made in the staging (relative; "" the staging itself), each forced at the end. */
    private final Set<String> made = new LinkedHashSet<>();
    /** Files written before the index was read: their time, mode and force wait for the end. */
    private final List<String> unfinished = new ArrayList<>();
    private List<Node> index;
    /** The index's files by path, once it is read. */
    private Map<String, Node> indexFiles;

    private TreeStager(EntryRules rules, Path staging, Durable durable) {
        this.rules = rules;
        this.staging = staging;
        this.durable = durable;
        this.posix = staging.getFileSystem().supportedFileAttributeViews().contains("posix");
        made.add("");
    }

    /** Stages {@code entries} into {@code staging}, which exists and is empty, and forces all it wrote. */
    static void stage(EntrySource entries, Path staging, EntryRules rules, Durable durable) throws IOException {
        TreeStager stager = new TreeStager(rules, staging, durable);
        BackgroundWrites background = new BackgroundWrites(rules.participant());
        try {
            stager.writeEntries(entries, background);
            stager.applyIndex(background);
        } finally {
            background.stop();
        }
    }

    private void writeEntries(EntrySource entries, BackgroundWrites background) throws IOException {
        try {
            for (Optional<Entry> next = entries.next(); next.isPresent(); next = entries.next()) {
                Entry entry = next.get();
                if (entry.path().equals(TreeIndex.ENTRY)) {
                    if (index != null) {
                        throw rules.invalid("holds " + TreeIndex.ENTRY + " twice");
                    }
                    index = TreeIndex.read(entry.content(), rules);
                    indexFiles = new HashMap<>();
                    for (Node node : index) {
                        if (node.is(Node.FILE)) {
                            indexFiles.put(node.path(), node);
                        }
                    }
                    makeIndexDirectories();
                } else if (entry.path().startsWith(FILES)) {
                    writeFile(entry, background);
                } else {
                    throw rules.invalid("has an unexpected entry " + Printable.of(entry.path()));
                }
            }
            background.awaitAll();
        } catch (FileAlreadyExistsException e) {
            throw twice(e);
        }
    }

    private RuntimeException twice(FileAlreadyExistsException e) {
        return rules.invalid("holds " + Printable.of(staging.relativize(Path.of(e.getFile())).toString())
                + " twice (or names that this file system does not tell apart)");
    }

    /**
     * The index's directories, parents first (the walk's order), one call each: files then need no
     * directory made or looked for. Only what the index lists as a directory is made, and nothing the
     * index lists lies under a file or a link, so no file is ever met here but one written before the index.
     */
    private void makeIndexDirectories() throws IOException {
        for (Node node : index) {
            if (node.is(Node.DIR) && !node.path().isEmpty()) {
                Path dir = rules.resolve(staging, node.path());
                try {
                    Files.createDirectory(dir);
                } catch (NoSuchFileException e) {
                    createDirectories(dir); // an index not in walk order
                } catch (FileAlreadyExistsException e) {
                    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                        throw rules.invalid("holds " + Printable.of(node.path()) + " both as a file and as a directory");
                    }
                } catch (IOException e) {
                    throw OutOfSpace.named(e, rules.participant(), dir);
                }
                addMade(node.path());
            }
        }
    }

    private void writeFile(Entry entry, BackgroundWrites background) throws IOException {
        String relative = rules.checkedPath(entry.path().substring(FILES.length()));
        if (written.containsKey(relative)) {
            throw rules.invalid("holds " + Printable.of(entry.path()) + " twice");
        }
        Node node = null;
        if (indexFiles != null) {
            node = indexFiles.get(relative);
            if (node == null) {
                throw notListed(Set.of(relative));
            }
        }
        claim(relative);
        Path target = rules.resolve(staging, relative);
        int slash = relative.lastIndexOf('/');
        String parent = slash < 0 ? "" : relative.substring(0, slash);
        if (!made.contains(parent)) {
            createDirectories(target.getParent());
            addMade(parent);
        }
        // Reading the entry inflates and checks it here; small files are then written in the
        // background, so the file system's work overlaps the archive's.
        InputStream content = entry.content();
        byte[] head = readHead(content, node);
        if (head.length <= BackgroundWrites.SMALL_FILE) {
            checkSize(relative, node, head.length);
            written.put(relative, (long) head.length);
            Node known = node;
            background.submit(target, head.length, () -> {
                try (FileChannel out = newFile(target, known)) {
                    writeFully(out, ByteBuffer.wrap(head));
                    finish(out, target, known);
                }
            });
            if (known == null) {
                unfinished.add(relative);
            }
        } else {
            writeLarge(relative, target, node, head, content, background);
        }
    }

    /**
     * The whole of a small file, or the first {@code SMALL_FILE + 1} bytes of a bigger one. With the index
     * line known, a small file is read into an array of its listed size at once; one that holds more than
     * that is read on the general way, to be refused with its true size (or streamed, when big).
     */
    private static byte[] readHead(InputStream content, Node node) throws IOException {
        if (node != null && node.size() <= BackgroundWrites.SMALL_FILE) {
            byte[] bytes = new byte[(int) node.size()];
            int n = content.readNBytes(bytes, 0, bytes.length);
            if (n == bytes.length) {
                int next = content.read();
                if (next < 0) {
                    return bytes;
                }
                byte[] more = content.readNBytes(BackgroundWrites.SMALL_FILE - bytes.length);
                byte[] head = new byte[bytes.length + 1 + more.length];
                System.arraycopy(bytes, 0, head, 0, bytes.length);
                head[bytes.length] = (byte) next;
                System.arraycopy(more, 0, head, bytes.length + 1, more.length);
                return head;
            }
            return java.util.Arrays.copyOf(bytes, n);
        }
        return content.readNBytes(BackgroundWrites.SMALL_FILE + 1);
    }

    /**
     * Streams a big file on this thread; its time, mode, force and close go to the pool, so that reading the
     * next entries goes on while the disk takes the file's bytes.
     */
    private void writeLarge(String relative, Path target, Node node, byte[] head, InputStream content,
                            BackgroundWrites background) throws IOException {
        FileChannel out = null;
        try {
            out = newFile(target, node);
            writeFully(out, ByteBuffer.wrap(head));
            long size = head.length;
            byte[] block = new byte[BLOCK];
            ByteBuffer buffer = ByteBuffer.wrap(block);
            Future<?> flushing = null;
            long flushed = 0;
            for (int n = content.read(block); n >= 0; n = content.read(block)) {
                buffer.clear().limit(n);
                writeFully(out, buffer);
                size += n;
                // The disk takes the file's bytes while the rest is written, not all at the end: the
                // file system only starts on its own once far more is waiting. Not the force the
                // guarantee rests on (that one follows the last byte and the attributes), so one at a time.
                if (size - flushed >= FLUSH_EVERY && (flushing == null || flushing.isDone())) {
                    if (flushing != null) {
                        BackgroundWrites.await(flushing);
                    }
                    FileChannel channel = out;
                    flushing = background.submit(target, 0, () -> channel.force(false));
                    flushed = size;
                }
            }
            if (flushing != null) {
                BackgroundWrites.await(flushing); // before the channel is handed on, to be closed
            }
            checkSize(relative, node, size);
            written.put(relative, size);
            FileChannel file = out;
            out = null;
            if (node == null) {
                unfinished.add(relative);
            }
            background.submit(target, 0, () -> {
                try (file) {
                    finish(file, target, node);
                }
            });
        } catch (IOException e) {
            throw OutOfSpace.named(e, rules.participant(), target);
        } finally {
            if (out != null) {
                out.close();
            }
        }
    }

    /** A new file, refused when anything is already at {@code target}; never follows a link. */
    private FileChannel newFile(Path target, Node node) throws IOException {
        Set<OpenOption> options = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                LinkOption.NOFOLLOW_LINKS);
        if (posix && node != null && node.mode() != null) {
            // Created no wider than its mode for anyone but its owner (the umask may narrow it; the mode is
            // set exactly once it is written), so that no one can open it in between who could not once it
            // is restored. The owner may read and write it meanwhile: setting its time opens it.
            Set<PosixFilePermission> mode = EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
            mode.addAll(Modes.fromOctal(node.mode()));
            return FileChannel.open(target, options, PosixFilePermissions.asFileAttribute(mode));
        }
        return FileChannel.open(target, options);
    }

    private static void writeFully(FileChannel out, ByteBuffer bytes) throws IOException {
        while (bytes.hasRemaining()) {
            out.write(bytes);
        }
    }

    /**
     * A written file's time and mode, then its force: after the force, its bytes and its inode as restored
     * are on the disk, whatever happens to the process or the machine.
     */
    private void finish(FileChannel file, Path target, Node node) throws IOException {
        if (node == null) {
            return; // written before the index: finished at the end, once its line is known
        }
        applyAttributes(target, node);
        durable.file(file, target);
    }

    private void checkSize(String relative, Node node, long size) {
        if (node != null && node.size() != size) {
            throw sizeDiffers(node, size);
        }
    }

    private RuntimeException sizeDiffers(Node node, Long size) {
        return rules.invalid("lists " + Printable.of(node.path()) + " (" + node.size() + " bytes) in "
                + TreeIndex.ENTRY + " but holds " + (size == null ? "no such file" : size + " bytes"));
    }

    private RuntimeException notListed(Set<String> files) {
        return rules.invalid("holds files missing from " + TreeIndex.ENTRY + ": " + Printable.of(files.toString()));
    }

    private void createDirectories(Path dir) throws IOException {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw OutOfSpace.named(e, rules.participant(), dir);
        }
    }

    /** Notes {@code relative} and every directory above it as made. */
    private void addMade(String relative) {
        for (String dir = relative; made.add(dir) && !dir.isEmpty(); ) {
            int slash = dir.lastIndexOf('/');
            dir = slash < 0 ? "" : dir.substring(0, slash);
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

    private void applyIndex(BackgroundWrites background) throws IOException {
        if (index == null) {
            throw rules.invalid("has no " + TreeIndex.ENTRY);
        }
        for (Node node : index) {
            if (node.type().equals(Node.FILE)) {
                Long size = written.remove(node.path());
                if (size == null || size != node.size()) {
                    throw sizeDiffers(node, size);
                }
            }
        }
        if (!written.isEmpty()) {
            throw notListed(written.keySet());
        }
        // Files written before the index was known: their time and mode, and their force.
        for (String relative : unfinished) {
            Path file = rules.resolve(staging, relative);
            Node node = indexFiles.get(relative);
            background.submit(file, 0, () -> {
                try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
                    finish(channel, file, node);
                }
            });
        }
        // Links last, once nothing more is written: no later write can pass through one.
        for (Node node : index) {
            if (node.is(Node.LINK)) {
                createLink(node);
            }
        }
        for (Node node : index) {
            if (node.is(Node.LINK)) {
                applyAttributes(rules.resolve(staging, node.path()), node);
            }
        }
        background.awaitAll();
        // Directories deepest first, once every child is made and has its attributes: creating or chmod-ing
        // a child changes its parent.
        List<Node> dirs = new ArrayList<>(index.stream().filter(n -> n.type().equals(Node.DIR)).toList());
        dirs.sort(Comparator.comparing(Node::path).reversed());
        for (Node node : dirs) {
            applyAttributes(rules.resolve(staging, node.path()), node);
        }
        // Each directory once, after its last change: its names (files, links, subdirectories) and its own
        // time and mode. A link has no inode of its own to force; its directory's force carries it.
        for (String relative : made) {
            Path dir = rules.resolve(staging, relative);
            background.submit(dir, 0, () -> durable.directory(dir));
        }
        background.awaitAll();
    }

    /** The link of {@code node}, holding its target text; its target was checked when the index was read. */
    private void createLink(Node node) throws IOException {
        Path link = rules.resolve(staging, node.path());
        int slash = node.path().lastIndexOf('/');
        String parent = slash < 0 ? "" : node.path().substring(0, slash);
        if (!made.contains(parent)) {
            createDirectories(link.getParent());
            addMade(parent);
        }
        try {
            Files.createSymbolicLink(link, link.getFileSystem().getPath(node.target()));
        } catch (FileAlreadyExistsException e) {
            throw rules.invalid("holds " + Printable.of(node.path())
                    + " twice (or names that this file system does not tell apart)");
        } catch (IOException e) {
            throw OutOfSpace.named(e, rules.participant(), link);
        }
    }

    private void applyAttributes(Path path, Node node) throws IOException {
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
