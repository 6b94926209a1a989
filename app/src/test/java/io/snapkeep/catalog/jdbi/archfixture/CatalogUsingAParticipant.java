package io.snapkeep.catalog.jdbi.archfixture;

import io.snapkeep.participants.directory.DirectoryParticipant;

/** Deliberately bad: the catalog borrowing a participant. Only the rules test imports it. */
public final class CatalogUsingAParticipant {
    public String name(DirectoryParticipant participant) {
        return participant.name();
    }
}
