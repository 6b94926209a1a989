package io.snapkeep.participants.directory;

import io.snapkeep.core.support.DaemonThreads;
import io.snapkeep.core.support.FileTrees;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The trees a restore keeps next to the live directory {@code <dir>}, each {@code <dir>.<kind>-<12 hex>}:
 * {@code restore} (staging), {@code old} (the live tree moved aside by a commit), {@code absent} (an empty
 * marker saying there was no live tree), {@code trash} (an old tree being deleted). Being siblings, all are
 * on the live tree's file system, so every swap is an atomic rename.
 */
final class Siblings {
    static final String RESTORE = "restore";
    static final String OLD = "old";
    static final String ABSENT = "absent";
    static final String TRASH = "trash";
    private static final Logger LOG = LoggerFactory.getLogger(DirectoryParticipant.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Executor TRASH_COLLECTOR = Executors.newSingleThreadExecutor(
            task -> DaemonThreads.newThread("snapkeep-directory-trash", task));

    private final String participant;
    private final Path dir;

    Siblings(String participant, Path dir) {
        this.participant = participant;
        this.dir = dir;
    }

    Path live() {
        return dir;
    }

    /** A new, unused name for a sibling of {@code kind}. */
    Path fresh(String kind) {
        byte[] random = new byte[6];
        RANDOM.nextBytes(random);
        return dir.resolveSibling(dir.getFileName() + "." + kind + "-" + HexFormat.of().formatHex(random));
    }

    boolean isAbsentMarker(Path path) {
        return path.getFileName().toString().startsWith(dir.getFileName() + "." + ABSENT + "-");
    }

    static void move(Path from, Path to) throws IOException {
        Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Puts {@code kept} (an old tree or an absence marker) back as the live state; the live tree must be
     * out of the way already.
     */
    void putBack(Path kept) throws IOException {
        if (isAbsentMarker(kept)) {
            Files.delete(kept);
        } else {
            move(kept, dir);
        }
    }

    /**
     * Renames {@code old} to a trash name at once (so a crash from here on never mistakes it for state to put
     * back) and deletes it in the background: a restore of many files ends, and the next execution starts,
     * without waiting for thousands of deletions.
     */
    void discard(Path old) throws IOException {
        Path trash = fresh(TRASH);
        move(old, trash);
        TRASH_COLLECTOR.execute(() -> {
            try {
                FileTrees.deleteTree(trash);
            } catch (IOException | RuntimeException e) {
                LOG.warn("Participant {}: could not delete {}; the next start removes it", participant, trash, e);
            }
        });
    }

    /**
     * After a crash: a restore cut off between its commit and its end is undone (the tree kept aside goes
     * back, or the absence marker says there was none); then staging copies and kept old trees go. When
     * more than one old tree is found, which one was live is unknown: they are kept, and said so.
     */
    void recover(boolean restoreInterrupted) throws IOException {
        Path parent = dir.getParent();
        if (!Files.isDirectory(parent, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Pattern leftover = Pattern.compile(Pattern.quote(dir.getFileName().toString())
                + "\\.(" + OLD + "|" + ABSENT + "|" + RESTORE + "|" + TRASH + ")-[0-9a-f]{12}");
        List<Path> old = new ArrayList<>();
        List<Path> others = new ArrayList<>();
        try (DirectoryStream<Path> siblings = Files.newDirectoryStream(parent)) {
            for (Path p : siblings) {
                Matcher m = leftover.matcher(p.getFileName().toString());
                if (m.matches() && Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    (m.group(1).equals(RESTORE) || m.group(1).equals(TRASH) ? others : old).add(p);
                }
            }
        }
        if (old.size() > 1) {
            LOG.warn("Participant {}: several kept trees next to {} ({}); left in place for an operator",
                    participant, dir, old);
            old.clear();
        }
        boolean liveMissing = !Files.exists(dir, LinkOption.NOFOLLOW_LINKS);
        if (old.size() == 1 && (restoreInterrupted || liveMissing)) {
            Path kept = old.remove(0);
            if (!liveMissing) {
                Path restored = fresh(RESTORE);
                move(dir, restored);
                others.add(restored);
            }
            if (isAbsentMarker(kept)) {
                others.add(kept);
            } else {
                move(kept, dir);
            }
            LOG.warn("Participant {}: put {} back as it was before an interrupted restore", participant, dir);
        }
        others.addAll(old);
        for (Path p : others) {
            FileTrees.deleteTree(p);
        }
    }
}
