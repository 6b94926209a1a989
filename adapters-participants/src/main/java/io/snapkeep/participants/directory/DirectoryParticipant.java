package io.snapkeep.participants.directory;

import io.snapkeep.core.support.ExactLength;
import io.snapkeep.core.domain.ParticipantName;
import io.snapkeep.core.domain.StateCategory;
import io.snapkeep.core.port.out.StateParticipant;
import io.snapkeep.core.support.FileTrees;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A directory tree as state: regular files with their bytes, POSIX permissions (where the file system has
 * them) and modification times, directories, empty ones included, and symbolic links as links.
 *
 * <p>Archive entries: {@code tree.jsonl} first, one JSON object per line in a sorted depth-first walk
 * ({@code {"path":"a/b","type":"file","mode":"0644","mtime":"2024-05-01T10:00:00.123456789Z","size":12}};
 * the root is the {@code dir} with path {@code ""}; a link is
 * {@code {"path":"a/l","type":"link","mtime":"...","size":0,"target":"../b"}}), then every regular file as
 * {@code files/<path>}, added with its size known so that the engine can store big files without reading
 * them twice.
 *
 * <p>A symbolic link is captured as its target text and never followed, so nothing outside the directory is
 * ever read or, on restore, written through it. Only links that stay inside the directory are kept
 * ({@link LinkTargets}: a relative target whose {@code ..} never climbs above the root; no absolute target);
 * others, and special files (sockets, pipes, devices), are skipped with a warning. A file whose name holds a backslash
 * fails the export, as no archive may hold such a name. A file that changes size while being read fails the
 * export instead of storing a torn copy.
 *
 * <p>Restore stages the tree in a sibling {@code <dir>.restore-<random>} (entry paths checked again: no
 * absolute paths, {@code ..}, empty segments or backslashes, nothing outside the staging directory; every link
 * checked again by {@link LinkTargets} and made as a link inside the staging; any bad entry is an
 * {@link io.snapkeep.core.error.InvalidArchiveException}) and forces it to disk, every file and directory,
 * before {@link RestorePlan#commit()} swaps by two atomic renames (live to {@code <dir>.old-<random>},
 * staging to live) and forces the parent, so that a commit that returned survives a power loss whole;
 * {@link RestorePlan#rollback()} puts the old tree back and deletes the staging; {@link RestorePlan#release()}
 * deletes the old tree. The parent directory must be on one file system. A restore that fills the disk fails
 * with a message that names the participant and the path it was writing.
 */
public final class DirectoryParticipant implements StateParticipant {
    private final String name;
    private final StateCategory category;
    private final Path dir;
    private final TreeWalk tree;
    private final Siblings siblings;
    private final EntryRules rules;
    private final Durable durable;

    public DirectoryParticipant(String name, StateCategory category, Path dir) {
        this(name, category, dir, Durable.FSYNC);
    }

    /** With {@code durable} forcing what a restore writes: a test's, to see what is forced and when. */
    DirectoryParticipant(String name, StateCategory category, Path dir, Durable durable) {
        this.durable = Objects.requireNonNull(durable, "durable");
        this.name = ParticipantName.of(name).value();
        this.category = Objects.requireNonNull(category, "category");
        this.dir = dir.toAbsolutePath().normalize();
        String problem = DirectorySettings.problemWithPath(this.dir);
        if (problem != null) {
            throw new IllegalArgumentException("A directory participant's path " + problem);
        }
        this.tree = new TreeWalk(name, this.dir);
        this.siblings = new Siblings(name, this.dir);
        this.rules = new EntryRules(name);
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
        return tree.nodes().stream().noneMatch(n -> n.is(Node.FILE) || n.is(Node.LINK));
    }

    @Override
    public long plannedEntries() throws IOException {
        return 1 + tree.nodes().stream().filter(n -> n.type().equals(Node.FILE)).count();
    }

    /** The files' sizes from the same walk as the export's; the index entry is left out (it is small). */
    @Override
    public long plannedBytes() throws IOException {
        return tree.nodes().stream().filter(n -> n.type().equals(Node.FILE)).mapToLong(Node::size).sum();
    }

    @Override
    public void exportTo(ExportSink sink) throws IOException {
        List<Node> nodes = tree.nodes();
        TreeIndex.write(nodes, sink.newEntry(TreeIndex.ENTRY));
        for (Node node : nodes) {
            if (node.type().equals(Node.FILE)) {
                Path file = tree.pathOf(node);
                try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
                    sink.addEntry(TreeStager.FILES + node.path(), node.size(), ExactLength.refusingMore(in, node.size(),
                            read -> file + " changed size while it was being captured; try again"));
                }
            }
        }
    }

    @Override
    public RestorePlan prepareRestore(EntrySource entries) throws IOException {
        Path staging = siblings.fresh(Siblings.RESTORE);
        try {
            makeParent();
            Files.createDirectory(staging);
        } catch (IOException e) {
            throw OutOfSpace.named(e, name, staging);
        }
        try {
            TreeStager.stage(entries, staging, rules, durable);
            return new SwapPlan(name, siblings, staging, durable);
        } catch (IOException | RuntimeException e) {
            try {
                FileTrees.deleteTree(staging);
            } catch (IOException | RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            if (e instanceof IOException io) {
                throw OutOfSpace.named(io, name, staging);
            }
            throw e;
        }
    }

    /**
     * Makes the live tree's parent when it is missing, forcing each directory that gained a new one: the
     * commit forces the parent's entries, not the parent's own name in its parent.
     */
    private void makeParent() throws IOException {
        Path parent = dir.getParent();
        Path existing = parent;
        while (existing != null && !Files.isDirectory(existing)) {
            existing = existing.getParent();
        }
        if (existing == parent) {
            return;
        }
        Files.createDirectories(parent);
        for (Path p = parent.getParent(); p != null; p = p.getParent()) {
            durable.directory(p);
            if (p.equals(existing)) {
                break;
            }
        }
    }

    @Override
    public void recover(boolean restoreInterrupted) throws IOException {
        siblings.recover(restoreInterrupted);
    }
}
