package io.snapkeep.participants.jdbc;

import io.snapkeep.core.port.out.StateParticipant.RestorePlan;
import io.snapkeep.core.support.FileTrees;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The staged rows in a private temporary directory, and after a commit the rows they replaced, saved in the
 * same directory as the way back.
 */
final class TablesPlan implements RestorePlan {
    /** Replaces the rows of every table with those of the files, saving the current rows first when asked. */
    @FunctionalInterface
    interface Replace {
        void rows(Map<String, Path> files, Map<String, Path> backup) throws IOException;
    }

    private final String participant;
    private final List<String> tables;
    private final Replace replace;
    private final Path temp;
    private final Map<String, Path> staged;
    private Map<String, Path> saved;
    private boolean finished;

    TablesPlan(String participant, List<String> tables, Replace replace, Path temp, Map<String, Path> staged) {
        this.participant = participant;
        this.tables = tables;
        this.replace = replace;
        this.temp = temp;
        this.staged = staged;
    }

    @Override
    public void commit() throws IOException {
        if (finished || saved != null) {
            throw new IllegalStateException("Restore of " + participant + " was already committed or rolled back");
        }
        Map<String, Path> backup = new LinkedHashMap<>();
        for (int i = 0; i < tables.size(); i++) {
            backup.put(tables.get(i), temp.resolve("old-" + i + RowsCodec.SUFFIX));
        }
        replace.rows(staged, backup);
        saved = backup;
    }

    @Override
    public void rollback() throws IOException {
        if (finished) {
            return;
        }
        if (saved != null) {
            replace.rows(saved, null);
            saved = null;
        }
        finished = true;
        FileTrees.deleteTree(temp);
    }

    @Override
    public void release() throws IOException {
        finished = true;
        FileTrees.deleteTree(temp);
    }
}
