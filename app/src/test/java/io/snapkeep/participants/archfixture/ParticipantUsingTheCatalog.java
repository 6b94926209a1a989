package io.snapkeep.participants.archfixture;

import io.snapkeep.catalog.jdbi.JdbiCatalog;

/** Deliberately bad: a participant that reaches into Snapkeep's own catalog. Only the rules test imports it. */
public final class ParticipantUsingTheCatalog {
    public Object catalog(JdbiCatalog catalog) {
        return catalog.snapshots();
    }
}
