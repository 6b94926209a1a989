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

    /** Whether entry {@code name} is content (a participant's, or a foreign archive's), not the metadata or manifest. */
    static boolean isContent(String name) {
        return !name.equals(METADATA) && !name.equals(MANIFEST);
    }

    /** Whether entry {@code name} lies under {@code participants/}. */
    static boolean isParticipantEntry(String name) {
        return name.startsWith(PARTICIPANTS);
    }
}
