package io.snapkeep.core.application.archive;

/**
 * Where things are in a {@code snapkeep/1} archive: every entry at the zip's root, {@code metadata.json}
 * first, each participant's entries in a folder of its own under {@code participants/}, and
 * {@code MANIFEST.sha256} last. What the two files hold is {@link MetadataCodec}'s and {@link ManifestCodec}'s.
 */
final class ArchiveLayout {
    static final String METADATA = "metadata.json";
    static final String MANIFEST = "MANIFEST.sha256";
    static final String PARTICIPANTS = "participants/";

    private ArchiveLayout() {
    }

    /** Whether {@code name} may name a participant's folder: an allowed entry name of one segment. */
    static boolean isFolderName(String name) {
        return Zip.problemWithName(name) == null && !name.contains("/");
    }

    /** The folder, with its trailing {@code /}, that participant {@code name}'s entries are in. */
    static String folder(String participant) {
        return PARTICIPANTS + participant + "/";
    }

    /**
     * The participant whose folder entry {@code name} is in ({@code participants/<participant>/<path>}, the
     * path not empty), or null when it is in none.
     */
    static String participantOf(String name) {
        if (!isParticipantEntry(name)) {
            return null;
        }
        String rest = name.substring(PARTICIPANTS.length());
        int slash = rest.indexOf('/');
        if (slash <= 0 || slash == rest.length() - 1) {
            return null;
        }
        return rest.substring(0, slash);
    }

    /** Whether entry {@code name} is content (a participant's, or a foreign archive's), not the metadata or manifest. */
    static boolean isContent(String name) {
        return !name.equals(METADATA) && !name.equals(MANIFEST);
    }

    /** Whether entry {@code name} lies under {@code participants/}. */
    static boolean isParticipantEntry(String name) {
        return name.startsWith(PARTICIPANTS);
    }
}
