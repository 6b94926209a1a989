package io.snapkeep.core.application.archive;

import io.snapkeep.core.domain.ArchiveInfo;
import io.snapkeep.core.domain.StateCategory;
import io.snapkeep.core.error.InvalidArchiveException;
import io.snapkeep.core.port.out.StateParticipant.Entry;
import io.snapkeep.core.port.out.StateParticipant.EntrySource;
import io.snapkeep.core.support.Printable;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

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
    static final int MAX_METADATA_BYTES = 16 << 20;
    /** A manifest line: 64 hex digits, a size, a name of at most 65535 bytes, separators. */
    private static final int MAX_MANIFEST_LINE = 64 + 2 + 20 + 2 + 65_535 + 1;

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
        java.util.Objects.requireNonNull(in, "in");
        java.util.Objects.requireNonNull(limits, "limits");
        java.util.Objects.requireNonNull(observer, "observer");
        this.zip = new ZipStreamReader(in, limits, observer, ArchiveReader::isContent);
    }

    /** Continues reading {@code zip}, whose metadata.json (already read) is {@code metadataDocument}. */
    private ArchiveReader(ZipStreamReader zip, Object metadataDocument) {
        this.zip = zip;
        accept(parseMetadata(metadataDocument));
    }

    private static boolean isContent(String name) {
        return !name.equals(Zip.METADATA) && !name.equals(Zip.MANIFEST);
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
        ZipStreamReader zip = new ZipStreamReader(in, limits, observer, ArchiveReader::isContent);
        try {
            return validate(zip);
        } finally {
            zip.close();
        }
    }

    private static ArchiveSummary validate(ZipStreamReader zip) throws IOException {
        ZipStreamReader.Entry first = zip.next();
        if (first == null) {
            throw new InvalidArchiveException("The archive holds no entries, so no metadata.json");
        }
        boolean sawMetadata = false;
        ZipStreamReader.Entry entry = first;
        if (first.name().equals(Zip.METADATA)) {
            Object document = readJson(first);
            if (isSnapkeepDocument(document)) {
                return new ArchiveReader(zip, document).finish();
            }
            requireObject(document);
            sawMetadata = true;
            entry = zip.next();
        }
        for (; entry != null; entry = zip.next()) {
            if (entry.name().equals(Zip.METADATA)) {
                Object document = readJson(entry);
                if (isSnapkeepDocument(document)) {
                    throw new InvalidArchiveException("metadata.json must be the first entry of a snapkeep archive");
                }
                requireObject(document);
                sawMetadata = true;
            }
        }
        if (!sawMetadata) {
            throw new InvalidArchiveException("The archive holds no metadata.json at its root: it is not a snapshot");
        }
        ArchiveInfo info = zip.finish();
        long entries = 0;
        long bytes = 0;
        for (ZipStreamReader.EntryRecord r : zip.records()) {
            if (!r.name.equals(Zip.METADATA)) {
                entries++;
                bytes += r.size;
            }
        }
        return new ArchiveSummary(entries, bytes, info);
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
            if (!first.name().equals(Zip.METADATA)) {
                throw new InvalidArchiveException("The archive's first entry is `" + Printable.of(first.name())
                        + "`, not metadata.json: it is not a snapkeep archive");
            }
            accept(parseMetadata(readJson(first)));
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
        checkManifest(manifest.content());
        ZipStreamReader.Entry after = zip.next();
        if (after != null) {
            throw new InvalidArchiveException("Entry `" + Printable.of(after.name())
                    + "` follows MANIFEST.sha256, which must be the last entry");
        }
        ArchiveInfo info = zip.finish();
        long entries = 0;
        long bytes = 0;
        for (ZipStreamReader.EntryRecord r : zip.records()) {
            if (r.name.startsWith(Zip.PARTICIPANTS)) {
                entries++;
                bytes += r.size;
            }
        }
        summary = new ArchiveSummary(entries, bytes, info);
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
        if (name.equals(Zip.MANIFEST)) {
            return;
        }
        if (!name.startsWith(Zip.PARTICIPANTS)) {
            throw new InvalidArchiveException(shown + " is not part of a snapkeep/1 archive");
        }
        String rest = name.substring(Zip.PARTICIPANTS.length());
        int slash = rest.indexOf('/');
        if (slash <= 0 || slash == rest.length() - 1) {
            throw new InvalidArchiveException(shown + " is not inside a participant's folder");
        }
        String participant = rest.substring(0, slash);
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
            this.prefix = Zip.PARTICIPANTS + participant + "/";
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

    private void checkManifest(InputStream content) throws IOException {
        Set<String> listed = new HashSet<>();
        HexFormat hex = HexFormat.of();
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        byte[] buffer = new byte[64 * 1024];
        int lineNumber = 0;
        int n;
        boolean atEnd = false;
        while (!atEnd) {
            n = content.read(buffer, 0, buffer.length);
            atEnd = n < 0;
            int start = 0;
            for (int i = 0; i < Math.max(n, 0); i++) {
                if (buffer[i] == '\n') {
                    line.write(buffer, start, i - start);
                    checkManifestLine(line, ++lineNumber, listed, hex);
                    line.reset();
                    start = i + 1;
                }
            }
            if (n > start) {
                line.write(buffer, start, n - start);
            }
            if (line.size() > MAX_MANIFEST_LINE) {
                throw new InvalidArchiveException("MANIFEST.sha256 line " + (lineNumber + 1) + " is too long");
            }
        }
        if (line.size() > 0) {
            checkManifestLine(line, ++lineNumber, listed, hex);
        }
        for (ZipStreamReader.EntryRecord r : zip.records()) {
            if (!r.name.equals(Zip.MANIFEST) && !listed.contains(r.name)) {
                throw new InvalidArchiveException("Entry `" + Printable.of(r.name) + "` is missing from MANIFEST.sha256");
            }
        }
    }

    private void checkManifestLine(ByteArrayOutputStream bytes, int number, Set<String> listed, HexFormat hex) {
        String line;
        try {
            line = decodeUtf8(bytes.toByteArray());
        } catch (CharacterCodingException e) {
            throw new InvalidArchiveException("MANIFEST.sha256 line " + number + " is not valid UTF-8");
        }
        String malformed = "MANIFEST.sha256 line " + number + " is not `sha256  size  path`";
        if (line.length() < 64 + 2 + 1 + 2 + 1 || !line.startsWith("  ", 64)) {
            throw new InvalidArchiveException(malformed);
        }
        String digest = line.substring(0, 64);
        int sizeEnd = line.indexOf("  ", 66);
        if (sizeEnd < 0 || !digest.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
            throw new InvalidArchiveException(malformed);
        }
        long size;
        try {
            size = Long.parseLong(line.substring(66, sizeEnd));
        } catch (NumberFormatException e) {
            throw new InvalidArchiveException(malformed);
        }
        String path = line.substring(sizeEnd + 2);
        ZipStreamReader.EntryRecord record = zip.record(path);
        if (record == null || path.equals(Zip.MANIFEST)) {
            throw new InvalidArchiveException("MANIFEST.sha256 lists `" + Printable.of(path)
                    + "`, which the archive does not hold");
        }
        if (!listed.add(path)) {
            throw new InvalidArchiveException("MANIFEST.sha256 lists `" + Printable.of(path) + "` twice");
        }
        if (!java.security.MessageDigest.isEqual(hex.parseHex(digest), record.sha256)) {
            throw new InvalidArchiveException("Entry `" + Printable.of(path)
                    + "` does not match its checksum in MANIFEST.sha256");
        }
        if (size != record.size) {
            throw new InvalidArchiveException("Entry `" + Printable.of(path) + "` has " + record.size
                    + " bytes, MANIFEST.sha256 says " + size);
        }
    }

    private static String decodeUtf8(byte[] bytes) throws CharacterCodingException {
        return StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes)).toString();
    }

    /** The JSON document in {@code entry} (metadata.json), bounded in size. */
    private static Object readJson(ZipStreamReader.Entry entry) throws IOException {
        byte[] bytes = entry.content().readNBytes(MAX_METADATA_BYTES + 1);
        if (bytes.length > MAX_METADATA_BYTES) {
            throw new InvalidArchiveException("metadata.json is larger than " + (MAX_METADATA_BYTES >> 20) + " MiB");
        }
        entry.content().drain(); // reaches its end, so its CRC is checked now
        try {
            return Json.parse(decodeUtf8(bytes));
        } catch (CharacterCodingException e) {
            throw new InvalidArchiveException("metadata.json is not valid UTF-8");
        } catch (Json.JsonException e) {
            throw new InvalidArchiveException("metadata.json is not valid JSON: " + e.getMessage());
        }
    }

    private static boolean isSnapkeepDocument(Object document) {
        return document instanceof Map<?, ?> map && map.get("format") instanceof String format
                && format.startsWith("snapkeep/");
    }

    private static Map<?, ?> requireObject(Object document) {
        if (!(document instanceof Map<?, ?> map)) {
            throw new InvalidArchiveException("metadata.json is not a JSON object");
        }
        return map;
    }

    /** Reads a snapkeep metadata.json document; refuses unknown formats and newer versions. */
    static ArchiveMetadata parseMetadata(Object document) {
        Map<?, ?> doc = requireObject(document);
        Object format = doc.get("format");
        if (!(format instanceof String f) || !f.startsWith("snapkeep/")) {
            throw new InvalidArchiveException("metadata.json has no snapkeep `format` (found "
                    + (format == null ? "none" : "`" + Printable.of(String.valueOf(format)) + "`")
                    + "): it is not a snapkeep archive");
        }
        if (!(doc.get("snapshot_version") instanceof Long version)) {
            throw new InvalidArchiveException("metadata.json has no integer `snapshot_version`");
        }
        if (version > ArchiveMetadata.CURRENT_VERSION) {
            throw new InvalidArchiveException("The archive's snapshot_version is " + version + ", newer than the "
                    + ArchiveMetadata.CURRENT_VERSION + " this Snapkeep understands: restore it with a newer Snapkeep");
        }
        if (version < 1) {
            throw new InvalidArchiveException("metadata.json has an invalid snapshot_version " + version);
        }
        if (!ArchiveMetadata.FORMAT.equals(format)) {
            throw new InvalidArchiveException("metadata.json has format `" + Printable.of((String) format)
                    + "`; this Snapkeep reads " + ArchiveMetadata.FORMAT);
        }
        String snapshotId = requireString(doc, "snapshot_id");
        Object executionId = doc.get("execution_id");
        if (executionId != null && !(executionId instanceof String)) {
            throw new InvalidArchiveException("metadata.json has a non-text `execution_id`");
        }
        Instant createdAt;
        try {
            createdAt = Instant.parse(requireString(doc, "created_at"));
        } catch (DateTimeParseException e) {
            throw new InvalidArchiveException("metadata.json has an invalid `created_at`: " + e.getParsedString());
        }
        Map<String, Object> options = new LinkedHashMap<>();
        Object rawOptions = doc.get("create_options");
        if (rawOptions != null) {
            if (!(rawOptions instanceof Map<?, ?> map)) {
                throw new InvalidArchiveException("metadata.json's `create_options` is not an object");
            }
            map.forEach((k, v) -> {
                if (v != null) {
                    options.put((String) k, v);
                }
            });
        }
        if (!(doc.get("participants") instanceof List<?> list)) {
            throw new InvalidArchiveException("metadata.json has no `participants` list");
        }
        List<ArchiveMetadata.ParticipantInfo> participants = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (Object item : list) {
            if (!(item instanceof Map<?, ?> p)) {
                throw new InvalidArchiveException("metadata.json lists a participant that is not an object");
            }
            String name = requireString(p, "name");
            if (Zip.problemWithName(name) != null || name.contains("/")) {
                throw new InvalidArchiveException("metadata.json lists a participant named `" + Printable.of(name)
                        + "`, which cannot name an archive folder");
            }
            if (!names.add(name)) {
                throw new InvalidArchiveException("metadata.json lists participant `" + Printable.of(name) + "` twice");
            }
            String category = requireString(p, "category");
            StateCategory parsed;
            try {
                parsed = StateCategory.valueOf(category.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new InvalidArchiveException("metadata.json gives participant `" + Printable.of(name)
                        + "` the unknown category `" + Printable.of(category) + "`");
            }
            participants.add(new ArchiveMetadata.ParticipantInfo(name, parsed));
        }
        return new ArchiveMetadata((String) format, version.intValue(), snapshotId, (String) executionId,
                createdAt, options, participants);
    }

    private static String requireString(Map<?, ?> doc, String key) {
        if (!(doc.get(key) instanceof String s)) {
            throw new InvalidArchiveException("metadata.json has no text `" + key + "`");
        }
        return s;
    }

    /** One participant's name and its entries. */
    public record ParticipantEntries(String name, EntrySource entries) {
    }
}
