package io.snapkeep.core.application.archive;

import io.snapkeep.core.domain.ArchiveInfo;
import io.snapkeep.core.error.InvalidArchiveException;
import io.snapkeep.core.port.out.StateParticipant.Entry;
import io.snapkeep.core.port.out.StateParticipant.EntrySource;
import io.snapkeep.core.support.Printable;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads and validates a {@code snapkeep/1} archive in one pass from a stream. Every problem throws
 * {@code InvalidArchiveException} with a message that says what is wrong.
 *
 * <p>Use: {@link #metadata()}, then {@link #nextParticipant()} until empty (reading, or skipping, each
 * participant's entries), then {@link #finish()}, which reads to the end and checks the manifest, every
 * CRC and digest, and the central directory. Only after {@link #finish()} returns is the archive known to
 * be valid. Does not close {@code in}.
 *
 * <p>{@link #nextParticipant()} hands out every participant metadata.json lists, in its order, including
 * those without entries (their source is empty), so a restore can empty them. Each entry's CRC and size are
 * checked when its stream reaches its end (a damaged entry throws from {@code read}); SHA-256 digests
 * against the manifest only in {@link #finish()}, since the manifest comes last.
 *
 * <p>The observer hears of participant entries only ({@code copied}: every uncompressed byte, at least
 * every 4 MiB; {@code entryDone}: full archive path, e.g. {@code participants/files/a.txt}). Whatever it
 * throws propagates unchanged.
 *
 * <p>For an upload, where the archive may also be a foreign snapshot (Cloudify's own hold a
 * {@code metadata.json} and no manifest), use {@link #validateUpload}.
 */
public final class ArchiveReader implements AutoCloseable {
    private final ZipStreamReader zip;
    private ArchiveMetadata metadata;
    private Map<String, Integer> participantIndex;
    private int nextParticipant;
    private int currentParticipant = -1;
    private Source currentSource;
    private ZipStreamReader.Entry lookahead;
    private boolean entriesOver;
    private ArchiveSummary summary;

    public ArchiveReader(InputStream in, ArchiveLimits limits, ArchiveObserver observer) {
        this(in, limits, observer, true);
    }

    private ArchiveReader(InputStream in, ArchiveLimits limits, ArchiveObserver observer, boolean entryDigests) {
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(observer, "observer");
        this.zip = new ZipStreamReader(in, limits, observer, ArchiveLayout::isContent, entryDigests);
    }

    /**
     * A reader of an archive whose size and SHA-256 were recorded when it was written or validated in full,
     * and which the caller compares with {@link #finish()}'s before it trusts anything read. It checks all
     * that {@link #ArchiveReader} checks (structure, names, limits, every CRC and size, the manifest's
     * names and sizes, the central directory) but for the entries' SHA-256 against the manifest: the bytes
     * that hash to the recorded SHA-256 are the bytes whose digests were checked (or computed) when it was
     * recorded, so a second SHA-256 pass over every entry's content would find nothing the archive's does not.
     */
    public static ArchiveReader ofRecorded(InputStream in, ArchiveLimits limits, ArchiveObserver observer) {
        return new ArchiveReader(in, limits, observer, false);
    }

    /** Continues reading {@code zip}, whose metadata.json (already read) is {@code metadataDocument}. */
    private ArchiveReader(ZipStreamReader zip, Object metadataDocument) {
        this.zip = zip;
        accept(MetadataCodec.read(metadataDocument));
    }

    /**
     * Reads a whole uploaded archive and validates it, without restoring anything. A {@code snapkeep/1}
     * archive (its first entry a metadata.json with a {@code snapkeep/...} format) is validated fully, as
     * {@link #finish()} does (a newer {@code snapshot_version} is refused, a missing manifest too). Any other
     * zip must be a readable, well-formed zip (every CRC, the central directory and end records, names,
     * duplicates and limits checked) holding a {@code metadata.json} at its root that is a JSON object:
     * what Cloudify's own snapshots are. Does not close {@code in}.
     *
     * @return the entries (participant entries, or for a foreign zip every entry but metadata.json),
     *         their expanded bytes, and the size and SHA-256 of the bytes read
     */
    public static ArchiveSummary validateUpload(InputStream in, ArchiveLimits limits, ArchiveObserver observer)
            throws IOException {
        return inspectUpload(in, limits, observer).summary();
    }

    /**
     * {@link #validateUpload}, also saying whose archive it is: the metadata of a snapkeep archive, or none
     * for a foreign one.
     */
    public static Inspection inspectUpload(InputStream in, ArchiveLimits limits, ArchiveObserver observer)
            throws IOException {
        ZipStreamReader zip = new ZipStreamReader(in, limits, observer, ArchiveLayout::isContent);
        try {
            return validate(zip);
        } finally {
            zip.close();
        }
    }

    /**
     * What {@link #inspectUpload} found in a valid archive.
     *
     * @param metadata the metadata of a snapkeep archive; null for a foreign one
     */
    public record Inspection(ArchiveSummary summary, ArchiveMetadata metadata) {
        /** {@code snapkeep/1}, or {@code foreign}: what a snapshot record calls the archive's format. */
        public String format() {
            return SnapshotRecord.formatOf(metadata);
        }
    }

    private static Inspection validate(ZipStreamReader zip) throws IOException {
        ZipStreamReader.Entry first = zip.next();
        if (first == null) {
            throw new InvalidArchiveException("The archive holds no entries, so no metadata.json");
        }
        boolean sawMetadata = false;
        ZipStreamReader.Entry entry = first;
        if (first.name().equals(ArchiveLayout.METADATA)) {
            Object document = MetadataCodec.readDocument(first.content());
            if (MetadataCodec.origin(document) == MetadataCodec.Origin.SNAPKEEP) {
                ArchiveReader reader = new ArchiveReader(zip, document);
                return new Inspection(reader.finish(), reader.metadata);
            }
            sawMetadata = true;
            entry = zip.next();
        }
        for (; entry != null; entry = zip.next()) {
            if (entry.name().equals(ArchiveLayout.METADATA)) {
                Object document = MetadataCodec.readDocument(entry.content());
                if (MetadataCodec.origin(document) == MetadataCodec.Origin.SNAPKEEP) {
                    throw new InvalidArchiveException("metadata.json must be the first entry of a snapkeep archive");
                }
                sawMetadata = true;
            }
        }
        if (!sawMetadata) {
            throw new InvalidArchiveException("The archive holds no metadata.json at its root: it is not a snapshot");
        }
        return new Inspection(summarize(zip, ArchiveLayout.METADATA), null);
    }

    /**
     * The format of the archive in {@code in} from its first entry alone, without validating the rest:
     * {@code snapkeep/...} when it starts with a snapkeep metadata.json, else {@value SnapshotRecord#FOREIGN_FORMAT}.
     * For archives that were validated when they were stored; does not close {@code in}.
     */
    public static String peekFormat(InputStream in, ArchiveLimits limits) throws IOException {
        ZipStreamReader zip = new ZipStreamReader(in, limits, ArchiveObserver.NONE, ArchiveLayout::isContent);
        try {
            ZipStreamReader.Entry first = zip.next();
            if (first != null && first.name().equals(ArchiveLayout.METADATA)) {
                Object document = MetadataCodec.readDocument(first.content());
                if (MetadataCodec.origin(document) == MetadataCodec.Origin.SNAPKEEP) {
                    return (String) ((Map<?, ?>) document).get(MetadataCodec.FIELD_FORMAT);
                }
            }
            return SnapshotRecord.FOREIGN_FORMAT;
        } finally {
            zip.close();
        }
    }

    /** How many bytes at the end of an archive {@link #participantEntriesFromEnd} reads. */
    public static final int END_RECORD_SIZE = 22;

    /**
     * The number of participant entries of a snapkeep archive, told by its zip end record (its last
     * {@link #END_RECORD_SIZE} bytes) before the archive is read, for progress figures; {@code -1} when the
     * bytes are not such a record or the count is kept in a zip64 record only. Not validated: a hint.
     */
    public static long participantEntriesFromEnd(byte[] tail) {
        if (tail.length != END_RECORD_SIZE || le(tail, 0, 4) != (Zip.END & 0xFFFFFFFFL)) {
            return -1;
        }
        long count = le(tail, 10, 2);
        if (count == Zip.MAGIC16 || count < 2) {
            return -1;
        }
        return count - 2; // metadata.json and MANIFEST.sha256
    }

    private static long le(byte[] b, int at, int n) {
        long v = 0;
        for (int i = n - 1; i >= 0; i--) {
            v = (v << 8) | (b[at + i] & 0xFF);
        }
        return v;
    }

    /**
     * Finishes {@code zip}; counts its entries but those named {@code excluded}, and their expanded bytes.
     * Every entry of a snapkeep archive but its metadata.json and manifest is a participant's (its layout
     * is checked as it is read); a foreign archive's entries are counted without its metadata.json.
     */
    private static ArchiveSummary summarize(ZipStreamReader zip, String... excluded) throws IOException {
        ArchiveInfo info = zip.finish();
        EntryTable entries = zip.entries();
        long count = entries.size();
        long bytes = entries.expandedBytes();
        for (String name : excluded) {
            int e = entries.find(entries.fingerprint(name));
            if (e >= 0) {
                count--;
                bytes -= entries.size(e);
            }
        }
        return new ArchiveSummary(count, bytes, info);
    }

    /** Stops reading ahead; the reader is done with, or gives up on, its source. */
    @Override
    public void close() {
        zip.close();
    }

    /** The archive's metadata (read on first call); refuses a format or version this reader does not know. */
    public ArchiveMetadata metadata() throws IOException {
        if (metadata == null) {
            ZipStreamReader.Entry first = zip.next();
            if (first == null) {
                throw new InvalidArchiveException("The archive holds no entries: a snapkeep archive starts with metadata.json");
            }
            if (!first.name().equals(ArchiveLayout.METADATA)) {
                throw new InvalidArchiveException("The archive's first entry is `" + Printable.of(first.name())
                        + "`, not metadata.json: it is not a snapkeep archive");
            }
            accept(MetadataCodec.read(MetadataCodec.readDocument(first.content())));
        }
        return metadata;
    }

    private void accept(ArchiveMetadata m) {
        Map<String, Integer> index = new HashMap<>();
        for (ArchiveMetadata.ParticipantInfo p : m.participants()) {
            index.put(p.name(), index.size());
        }
        this.participantIndex = index;
        this.metadata = m;
    }

    /**
     * The next participant's entries, in archive order; entry paths are relative to its folder. Entries
     * a caller does not read are drained (and checked) when it moves on.
     */
    public Optional<ParticipantEntries> nextParticipant() throws IOException {
        metadata();
        if (currentSource != null) {
            currentSource.drain();
            currentSource = null;
        }
        if (nextParticipant >= metadata.participants().size()) {
            return Optional.empty();
        }
        currentParticipant = nextParticipant++;
        String name = metadata.participants().get(currentParticipant).name();
        currentSource = new Source(name);
        return Optional.of(new ParticipantEntries(name, currentSource));
    }

    /** Reads the rest and checks manifest, digests and central directory. */
    public ArchiveSummary finish() throws IOException {
        if (summary != null) {
            return summary;
        }
        metadata();
        while (nextParticipant().isPresent()) {
            // each participant's entries are drained by the next call
        }
        ZipStreamReader.Entry manifest = peek();
        if (manifest == null) {
            throw new InvalidArchiveException("The archive has no MANIFEST.sha256: it is incomplete");
        }
        lookahead = null;
        ManifestCheck.verify(manifest.content(), zip);
        ZipStreamReader.Entry after = zip.next();
        if (after != null) {
            throw new InvalidArchiveException("Entry `" + Printable.of(after.name())
                    + "` follows MANIFEST.sha256, which must be the last entry");
        }
        summary = summarize(zip, ArchiveLayout.METADATA, ArchiveLayout.MANIFEST);
        return summary;
    }

    /** The next entry, read ahead but not consumed; null at the central directory. */
    private ZipStreamReader.Entry peek() throws IOException {
        if (lookahead == null && !entriesOver) {
            lookahead = zip.next();
            if (lookahead == null) {
                entriesOver = true;
            } else {
                checkPlacement(lookahead.name());
            }
        }
        return lookahead;
    }

    /** Participant entries come grouped, in metadata order; nothing else but the manifest may follow them. */
    private void checkPlacement(String name) {
        String shown = "Entry `" + Printable.of(name) + "`";
        if (name.equals(ArchiveLayout.MANIFEST)) {
            return;
        }
        if (!ArchiveLayout.isParticipantEntry(name)) {
            throw new InvalidArchiveException(shown + " is not part of a snapkeep/1 archive");
        }
        String participant = ArchiveLayout.participantOf(name);
        if (participant == null) {
            throw new InvalidArchiveException(shown + " is not inside a participant's folder");
        }
        Integer index = participantIndex.get(participant);
        if (index == null) {
            throw new InvalidArchiveException(shown + " belongs to participant `" + Printable.of(participant)
                    + "`, which metadata.json does not list");
        }
        if (index < currentParticipant) {
            throw new InvalidArchiveException(shown + " comes after a later participant's entries:"
                    + " participants' entries must follow metadata.json's order");
        }
    }

    private final class Source implements EntrySource {
        private final String prefix;
        private boolean over;

        Source(String participant) {
            this.prefix = ArchiveLayout.folder(participant);
        }

        @Override
        public Optional<Entry> next() throws IOException {
            if (over) {
                return Optional.empty();
            }
            if (currentSource != this) {
                throw new IllegalStateException("the reader has moved on to another participant");
            }
            ZipStreamReader.Entry e = peek();
            if (e == null || !e.name().startsWith(prefix)) {
                over = true;
                return Optional.empty();
            }
            lookahead = null;
            return Optional.of(new Entry(e.name().substring(prefix.length()), e.content()));
        }

        void drain() throws IOException {
            while (next().isPresent()) {
                // next() drains each entry's unread bytes
            }
        }
    }

    /** One participant's name and its entries. */
    public record ParticipantEntries(String name, EntrySource entries) {
    }
}
