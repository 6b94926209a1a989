package io.snapkeep.participants.directory;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import io.snapkeep.core.domain.SnapshotId;
import io.snapkeep.core.domain.StateCategory;
import io.snapkeep.core.port.out.StateParticipant;
import java.io.BufferedWriter;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A directory tree as state: regular files with their bytes, POSIX permissions (where the file system has
 * them) and modification times, and directories, empty ones included.
 *
 * <p>Archive entries: {@code tree.jsonl} first, one JSON object per line in a sorted depth-first walk
 * ({@code {"path":"a/b","type":"file","mode":"0644","mtime":"2024-05-01T10:00:00.123456789Z","size":12}};
 * the root is the {@code dir} with path {@code ""}), then every regular file as {@code files/<path>}, added
 * with its size known so that the engine can store big files without reading them twice.
 *
 * <p>Symbolic links and special files (sockets, pipes, devices) are skipped with a warning: following a
 * link could capture (and later overwrite) state outside the directory. A file whose name holds a backslash
 * fails the export, as no archive may hold such a name. A file that changes size while being read fails the
 * export instead of storing a torn copy.
 *
 * <p>Restore stages the tree in a sibling {@code <dir>.restore-<random>} (entry paths checked again: no
 * absolute paths, {@code ..}, empty segments or backslashes, nothing outside the staging directory), then
 * {@link RestorePlan#commit()} swaps by two atomic renames (live to {@code <dir>.old-<random>}, staging to
 * live); {@link RestorePlan#rollback()} puts the old tree back and deletes the staging;
 * {@link RestorePlan#release()} deletes the old tree. The parent directory must be on one file system.
 */
public final class DirectoryParticipant implements StateParticipant {
    static final String INDEX = "tree.jsonl";
    static final String FILES = "files/";
    private static final Logger LOG = LoggerFactory.getLogger(DirectoryParticipant.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectReader NODE_READER = JSON.readerFor(Node.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String name;
    private final StateCategory category;
    private final Path dir;

    public DirectoryParticipant(String name, StateCategory category, Path dir) {
        String problem = SnapshotId.problemWith(name);
        if (problem != null) {
            throw new IllegalArgumentException("Participant name: " + problem.replace("snapshot id", "name"));
        }
        this.name = name;
        this.category = Objects.requireNonNull(category, "category");
        this.dir = dir.toAbsolutePath().normalize();
        if (this.dir.getParent() == null) {
            throw new IllegalArgumentException("A directory participant cannot be a file system root: " + dir);
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public StateCategory category() {
        return category;
    }

    /** The live directory this participant captures. */
    public Path directory() {
        return dir;
    }

    @Override
    public boolean isEmpty() throws IOException {
        return walk().stream().noneMatch(n -> n.type().equals(Node.FILE));
    }

    @Override
    public long plannedEntries() throws IOException {
        return 1 + walk().stream().filter(n -> n.type().equals(Node.FILE)).count();
    }

    @Override
    public void exportTo(ExportSink sink) throws IOException {
        List<Node> nodes = walk();
        OutputStream index = sink.newEntry(INDEX);
        try (BufferedWriter w = new BufferedWriter(new OutputStreamWriter(index, StandardCharsets.UTF_8))) {
            for (Node node : nodes) {
                w.write(JSON.writeValueAsString(node));
                w.write('\n');
            }
        }
        for (Node node : nodes) {
            if (node.type().equals(Node.FILE)) {
                Path file = resolve(dir, node.path());
                try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
                    sink.addEntry(FILES + node.path(), node.size(), new ExactLength(in, node.size(), file));
                }
            }
        }
    }

    /** The tree in a sorted depth-first order, the root first; empty when the directory does not exist. */
    private List<Node> walk() throws IOException {
        List<Node> nodes = new ArrayList<>();
        BasicFileAttributes root;
        try {
            root = Files.readAttributes(dir, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return nodes;
        }
        if (!root.isDirectory()) {
            throw new IOException("Participant " + name + ": " + dir + " is not a directory");
        }
        walk(dir, "", nodes);
        return nodes;
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
                throw new IOException("Participant " + name + ": cannot capture " + child
                        + ": archive entry names must not contain a backslash");
            }
            BasicFileAttributes attrs = Files.readAttributes(child, BasicFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS);
            if (attrs.isDirectory()) {
                walk(child, childRelative, nodes);
            } else if (attrs.isRegularFile()) {
                nodes.add(node(child, childRelative, Node.FILE, attrs.size()));
            } else {
                LOG.warn("Participant {}: skipping {}, which is {}; only regular files and directories are captured",
                        name, child, attrs.isSymbolicLink() ? "a symbolic link" : "a special file");
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
        return new Node(relative, type, mode, attrs.lastModifiedTime().toInstant().toString(), size);
    }

    @Override
    public RestorePlan prepareRestore(EntrySource entries) throws IOException {
        Files.createDirectories(dir.getParent());
        Path staging = sibling(RESTORE);
        Files.createDirectory(staging);
        try {
            stage(entries, staging);
            return new Plan(staging);
        } catch (IOException | RuntimeException e) {
            deleteTree(staging);
            throw e;
        }
    }

    private void stage(EntrySource entries, Path staging) throws IOException {
        List<Node> index = null;
        Map<String, Long> written = new HashMap<>();
        Path madeParent = null;
        BackgroundWrites background = new BackgroundWrites();
        try {
            for (Optional<Entry> next = entries.next(); next.isPresent(); next = entries.next()) {
                Entry entry = next.get();
                if (entry.path().equals(INDEX)) {
                    if (index != null) {
                        throw invalid("holds " + INDEX + " twice");
                    }
                    index = readIndex(entry.content());
                } else if (entry.path().startsWith(FILES)) {
                    String relative = checkedPath(entry.path().substring(FILES.length()));
                    if (written.containsKey(relative)) {
                        throw invalid("holds " + entry.path() + " twice");
                    }
                    Path target = resolve(staging, relative);
                    // Files come in walk order, so siblings share the parent made for the first of them.
                    if (!target.getParent().equals(madeParent)) {
                        Files.createDirectories(target.getParent());
                        madeParent = target.getParent();
                    }
                    // Reading the entry inflates and checks it here; small files are then written in the
                    // background, so the file system's work overlaps the archive's.
                    byte[] head = entry.content().readNBytes(BackgroundWrites.SMALL_FILE + 1);
                    if (head.length <= BackgroundWrites.SMALL_FILE) {
                        background.write(target, head);
                        written.put(relative, (long) head.length);
                    } else {
                        try (OutputStream out = newFile(target)) {
                            out.write(head);
                            written.put(relative, head.length + entry.content().transferTo(out));
                        }
                    }
                } else {
                    throw invalid("has an unexpected entry " + entry.path());
                }
            }
            background.awaitAll();
        } finally {
            background.stop();
        }
        if (index == null) {
            throw invalid("has no " + INDEX);
        }
        for (Node node : index) {
            if (node.type().equals(Node.FILE)) {
                Long size = written.remove(node.path());
                if (size == null || size != node.size()) {
                    throw invalid("lists " + node.path() + " (" + node.size() + " bytes) in " + INDEX + " but holds "
                            + (size == null ? "no such file" : size + " bytes"));
                }
            } else {
                Files.createDirectories(resolve(staging, node.path()));
            }
        }
        if (!written.isEmpty()) {
            throw invalid("holds files missing from " + INDEX + ": " + written.keySet());
        }
        // Files first, then directories deepest first: creating or chmod-ing a child changes its parent.
        boolean posix = staging.getFileSystem().supportedFileAttributeViews().contains("posix");
        for (Node node : index) {
            if (node.type().equals(Node.FILE)) {
                applyAttributes(resolve(staging, node.path()), node, posix);
            }
        }
        List<Node> dirs = new ArrayList<>(index.stream().filter(n -> n.type().equals(Node.DIR)).toList());
        dirs.sort(Comparator.comparing(Node::path).reversed());
        for (Node node : dirs) {
            applyAttributes(resolve(staging, node.path()), node, posix);
        }
    }

    private List<Node> readIndex(InputStream content) throws IOException {
        List<Node> nodes = new ArrayList<>();
        Map<String, String> seen = new HashMap<>();
        // One parser over the whole index (a value per line), not one per line.
        MappingIterator<Node> lines;
        try {
            lines = NODE_READER.readValues(new InputStreamReader(content, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw invalid("has an unreadable " + INDEX + ": " + e.getMessage());
        }
        while (true) {
            Node node;
            try {
                if (!lines.hasNextValue()) {
                    break;
                }
                node = lines.nextValue();
            } catch (IOException | RuntimeException e) {
                throw invalid("has an unreadable line in " + INDEX + ": " + e.getMessage());
            }
            if (node.path() == null || !(Node.FILE.equals(node.type()) || Node.DIR.equals(node.type()))) {
                throw invalid("has a line without path or with an unknown type in " + INDEX);
            }
            if (!(node.path().isEmpty() && node.type().equals(Node.DIR))) {
                checkedPath(node.path());
            }
            if (node.mode() != null) {
                Modes.fromOctal(node.mode());
            }
            if (node.mtime() != null) {
                parseTime(node.mtime());
            }
            if (node.size() < 0 || seen.put(node.path(), node.type()) != null) {
                throw invalid("lists " + node.path() + " twice or with a negative size in " + INDEX);
            }
            nodes.add(node);
        }
        return nodes;
    }

    private static OutputStream newFile(Path target) throws IOException {
        return Files.newOutputStream(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                LinkOption.NOFOLLOW_LINKS);
    }

    /**
     * Small files of a restore, written on a little pool while the restoring thread reads on. Bounded in
     * count and bytes; any failure surfaces at the next call. {@link #stop()} waits for what is under way,
     * so nothing is written into a staging directory after it is deleted.
     */
    private static final class BackgroundWrites {
        static final int SMALL_FILE = 1 << 20;
        private static final int MAX_PENDING = 256;
        private static final long MAX_PENDING_BYTES = 32L << 20;
        private static final ExecutorService WRITERS = writers();

        private final java.util.ArrayDeque<Future<?>> pending = new java.util.ArrayDeque<>();
        private final java.util.ArrayDeque<Integer> sizes = new java.util.ArrayDeque<>();
        private long pendingBytes;

        void write(Path target, byte[] bytes) throws IOException {
            while (pending.size() >= MAX_PENDING || pendingBytes + bytes.length > MAX_PENDING_BYTES) {
                awaitOldest();
            }
            pending.add(WRITERS.submit(() -> {
                try (OutputStream out = newFile(target)) {
                    out.write(bytes);
                }
                return null;
            }));
            sizes.add(bytes.length);
            pendingBytes += bytes.length;
        }

        void awaitAll() throws IOException {
            while (!pending.isEmpty()) {
                awaitOldest();
            }
        }

        private void awaitOldest() throws IOException {
            Future<?> oldest = pending.poll();
            pendingBytes -= sizes.poll();
            try {
                oldest.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while restoring files");
            } catch (java.util.concurrent.ExecutionException e) {
                if (e.getCause() instanceof FileAlreadyExistsException) {
                    throw new IOException("The archive holds a file twice: " + e.getCause().getMessage(), e.getCause());
                }
                if (e.getCause() instanceof IOException io) {
                    throw io;
                }
                throw new IOException("Restoring a file failed", e.getCause());
            }
        }

        /**
         * Waits for every write handed over (a cancelled task may still be running, so none is cancelled:
         * each is a small file and ends soon).
         */
        void stop() {
            for (Future<?> f : pending) {
                try {
                    f.get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (java.util.concurrent.ExecutionException ignored) {
                    // it failed: it no longer writes either
                }
            }
            pending.clear();
            sizes.clear();
            pendingBytes = 0;
        }

        private static ExecutorService writers() {
            java.util.concurrent.atomic.AtomicInteger number = new java.util.concurrent.atomic.AtomicInteger();
            java.util.concurrent.ThreadPoolExecutor pool = new java.util.concurrent.ThreadPoolExecutor(2, 2, 5,
                    java.util.concurrent.TimeUnit.SECONDS, new java.util.concurrent.LinkedBlockingQueue<>(), task -> {
                        Thread t = new Thread(task, "snapkeep-restore-writer-" + number.incrementAndGet());
                        t.setDaemon(true);
                        return t;
                    });
            pool.allowCoreThreadTimeOut(true);
            return pool;
        }
    }

    private static void applyAttributes(Path path, Node node, boolean posix) throws IOException {
        if (node.mtime() != null) {
            Files.setLastModifiedTime(path, FileTime.from(parseTime(node.mtime())));
        }
        if (posix && node.mode() != null) {
            Files.getFileAttributeView(path, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                    .setPermissions(Modes.fromOctal(node.mode()));
        }
    }

    private static Instant parseTime(String text) throws IOException {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new IOException("Invalid modification time in " + INDEX + ": " + text);
        }
    }

    /**
     * Checks an entry path from an archive: relative, {@code /}-separated, no empty, {@code .} or {@code ..}
     * segment, no backslash, no NUL.
     */
    static String checkedPath(String path) throws IOException {
        if (path.isEmpty() || path.startsWith("/") || path.contains("\\") || path.indexOf('\0') >= 0) {
            throw new IOException("Refusing archive path \"" + path + "\": it must be relative, with / separators");
        }
        for (String segment : path.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                throw new IOException("Refusing archive path \"" + path + "\": empty, . or .. segment");
            }
        }
        return path;
    }

    /** {@code base} joined with a checked relative path; refuses anything that would land outside it. */
    private static Path resolve(Path base, String relative) throws IOException {
        if (relative.isEmpty()) {
            return base;
        }
        Path target = base.resolve(relative).normalize();
        if (!target.startsWith(base) || target.equals(base)) {
            throw new IOException("Refusing archive path \"" + relative + "\": it leaves the directory");
        }
        return target;
    }

    private IOException invalid(String what) {
        return new IOException("The archive's entries for participant " + name + " " + what);
    }

    private static final String OLD = "old";
    private static final String ABSENT = "absent";
    private static final String RESTORE = "restore";
    private static final String TRASH = "trash";
    private static final java.util.concurrent.Executor TRASH_COLLECTOR = java.util.concurrent.Executors
            .newSingleThreadExecutor(task -> {
                Thread t = new Thread(task, "snapkeep-directory-trash");
                t.setDaemon(true);
                return t;
            });

    private boolean isAbsentMarker(Path path) {
        return path.getFileName().toString().startsWith(dir.getFileName() + "." + ABSENT + "-");
    }

    /**
     * After a crash: a restore cut off between its commit and its end is undone (the tree kept aside goes
     * back, or the absence marker says there was none); then staging copies and kept old trees go. When
     * more than one old tree is found, which one was live is unknown: they are kept, and said so.
     */
    @Override
    public void recover(boolean restoreInterrupted) throws IOException {
        Path parent = dir.getParent();
        if (!Files.isDirectory(parent, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        java.util.regex.Pattern leftover = java.util.regex.Pattern.compile(
                java.util.regex.Pattern.quote(dir.getFileName().toString()) + "\\.(" + OLD + "|" + ABSENT + "|"
                        + RESTORE + "|" + TRASH + ")-[0-9a-f]{12}");
        List<Path> old = new ArrayList<>();
        List<Path> others = new ArrayList<>();
        try (DirectoryStream<Path> siblings = Files.newDirectoryStream(parent)) {
            for (Path p : siblings) {
                java.util.regex.Matcher m = leftover.matcher(p.getFileName().toString());
                if (m.matches() && Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    (m.group(1).equals(RESTORE) || m.group(1).equals(TRASH) ? others : old).add(p);
                }
            }
        }
        if (old.size() > 1) {
            LOG.warn("Participant {}: several kept trees next to {} ({}); left in place for an operator", name, dir, old);
            old.clear();
        }
        boolean liveMissing = !Files.exists(dir, LinkOption.NOFOLLOW_LINKS);
        if (old.size() == 1 && (restoreInterrupted || liveMissing)) {
            Path kept = old.remove(0);
            if (!liveMissing) {
                Path restored = sibling(RESTORE);
                Files.move(dir, restored, StandardCopyOption.ATOMIC_MOVE);
                others.add(restored);
            }
            if (isAbsentMarker(kept)) {
                others.add(kept);
            } else {
                Files.move(kept, dir, StandardCopyOption.ATOMIC_MOVE);
            }
            LOG.warn("Participant {}: put {} back as it was before an interrupted restore", name, dir);
        }
        others.addAll(old);
        for (Path p : others) {
            deleteTree(p);
        }
    }

    private Path sibling(String kind) {
        byte[] random = new byte[6];
        RANDOM.nextBytes(random);
        return dir.resolveSibling(dir.getFileName() + "." + kind + "-" + HexFormat.of().formatHex(random));
    }

    /** Deletes a tree without following links, first making its directories writable by the owner. */
    static void deleteTree(Path path) throws IOException {
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return;
        }
        if (attrs.isDirectory()) {
            if (path.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                Set<PosixFilePermission> perms = Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS);
                if (perms.addAll(EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
                        PosixFilePermission.OWNER_EXECUTE))) {
                    Files.setPosixFilePermissions(path, perms);
                }
            }
            List<Path> children = new ArrayList<>();
            try (DirectoryStream<Path> stream = Files.newDirectoryStream(path)) {
                stream.forEach(children::add);
            }
            for (Path child : children) {
                deleteTree(child);
            }
        }
        Files.deleteIfExists(path);
    }

    /** The staged tree and, once committed, the live tree it replaced. */
    private final class Plan implements RestorePlan {
        private final Path staging;
        private Path old;
        private boolean committed;
        private boolean finished;

        Plan(Path staging) {
            this.staging = staging;
        }

        @Override
        public void commit() throws IOException {
            if (finished || committed) {
                throw new IllegalStateException("Restore of " + name + " was already committed or rolled back");
            }
            if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
                Path aside = sibling(OLD);
                Files.move(dir, aside, StandardCopyOption.ATOMIC_MOVE);
                old = aside;
            } else {
                // Marks that there was no tree, so recovery after a crash knows what "as before" means.
                old = Files.createDirectory(sibling(ABSENT));
            }
            try {
                Files.move(staging, dir, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException | RuntimeException e) {
                if (old != null && isAbsentMarker(old)) {
                    Files.delete(old);
                    old = null;
                } else if (old != null) {
                    Files.move(old, dir, StandardCopyOption.ATOMIC_MOVE);
                    old = null;
                }
                throw e;
            }
            committed = true;
            LOG.info("Participant {}: restored {}", name, dir);
        }

        @Override
        public void rollback() throws IOException {
            if (finished) {
                return;
            }
            if (committed) {
                // The live tree is the restored one: move it back to the staging name, then the old one in.
                Files.move(dir, staging, StandardCopyOption.ATOMIC_MOVE);
                if (old != null && isAbsentMarker(old)) {
                    Files.delete(old);
                    old = null;
                } else if (old != null) {
                    Files.move(old, dir, StandardCopyOption.ATOMIC_MOVE);
                    old = null;
                }
                committed = false;
            }
            finished = true;
            deleteTree(staging);
        }

        /**
         * The old tree is renamed to a trash name at once (so a crash from here on never mistakes it for
         * state to put back) and deleted in the background: a restore of many files ends, and the next
         * execution starts, without waiting for thousands of deletions.
         */
        @Override
        public void release() throws IOException {
            finished = true;
            if (old != null) {
                Path trash = sibling(TRASH);
                Files.move(old, trash, StandardCopyOption.ATOMIC_MOVE);
                old = null;
                TRASH_COLLECTOR.execute(() -> {
                    try {
                        deleteTree(trash);
                    } catch (IOException | RuntimeException e) {
                        LOG.warn("Participant {}: could not delete {}; the next start removes it", name, trash, e);
                    }
                });
            }
        }
    }

    /** A stream that yields exactly {@code size} bytes or fails: a file changing under the export is refused. */
    private static final class ExactLength extends FilterInputStream {
        private final Path file;
        private long remaining;

        ExactLength(InputStream in, long size, Path file) {
            super(in);
            this.remaining = size;
            this.file = file;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (remaining == 0) {
                if (in.read() >= 0) {
                    throw changed();
                }
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, remaining));
            if (n < 0) {
                throw changed();
            }
            remaining -= n;
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            throw new IOException("skip is not supported");
        }

        private IOException changed() {
            return new IOException(file + " changed size while it was being captured; try again");
        }
    }
}
