package io.snapkeep.participants.directory;

import io.snapkeep.core.port.out.StateParticipant.RestorePlan;
import io.snapkeep.core.support.FileTrees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A staged tree and, once committed, the live tree it replaced. Commit swaps by two atomic renames (live to
 * {@code old}, staging to live); rollback puts the old tree back and deletes the staging; release discards
 * the old tree.
 */
final class SwapPlan implements RestorePlan {
    private static final Logger LOG = LoggerFactory.getLogger(DirectoryParticipant.class);

    private final String participant;
    private final Siblings siblings;
    private final Path staging;
    private final Durable durable;
    /** The live tree moved aside, or the absence marker, while committed. */
    private Path old;
    private boolean committed;
    private boolean finished;

    /** {@code staging} is forced already, every file and directory in it. */
    SwapPlan(String participant, Siblings siblings, Path staging, Durable durable) {
        this.participant = participant;
        this.siblings = siblings;
        this.staging = staging;
        this.durable = durable;
    }

    @Override
    public void commit() throws IOException {
        if (finished || committed) {
            throw new IllegalStateException("Restore of " + participant + " was already committed or rolled back");
        }
        Path dir = siblings.live();
        if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            Path aside = siblings.fresh(Siblings.OLD);
            Siblings.move(dir, aside);
            old = aside;
        } else {
            // Marks that there was no tree, so recovery after a crash knows what "as before" means.
            old = Files.createDirectory(siblings.fresh(Siblings.ABSENT));
        }
        try {
            Siblings.move(staging, dir);
        } catch (IOException | RuntimeException e) {
            siblings.putBack(old);
            old = null;
            throw e;
        }
        // The renames are entries of the parent: forced once both are done, so that a commit that returned
        // (after which the execution is recorded as succeeded) is not undone by a power loss. Should the
        // machine fail before this, either rename may be lost, never the staged tree's content: it was
        // forced before the first rename, and recovery puts back whatever tree was aside.
        committed = true; // from here a rollback undoes the renames, should the force fail
        durable.directory(dir.getParent());
        LOG.info("Participant {}: restored {}", participant, dir);
    }

    @Override
    public void rollback() throws IOException {
        if (finished) {
            return;
        }
        if (committed) {
            // The live tree is the restored one: move it back to the staging name, then the old one in.
            Siblings.move(siblings.live(), staging);
            siblings.putBack(old);
            old = null;
            committed = false;
            durable.directory(siblings.live().getParent());
        }
        finished = true;
        FileTrees.deleteTree(staging);
    }

    @Override
    public void release() throws IOException {
        // Not forced: should the rename to trash be lost, recovery after a finished restore finds the old
        // tree beside the live one and deletes it.
        finished = true;
        if (old != null) {
            siblings.discard(old);
            old = null;
        }
    }
}
