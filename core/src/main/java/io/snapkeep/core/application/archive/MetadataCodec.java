package io.snapkeep.core.application.archive;

import io.snapkeep.core.domain.StateCategory;
import io.snapkeep.core.domain.Timestamps;
import io.snapkeep.core.error.InvalidArchiveException;
import io.snapkeep.core.support.Printable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The {@code metadata.json} of format {@code snapkeep/1}, both ways: what the writer puts in it and what a
 * reader accepts from it. A JSON object of {@code format} ({@value #FORMAT}), {@code snapshot_version}
 * (an integer, at most {@value #CURRENT_VERSION}), {@code snapshot_id}, {@code execution_id} (text or
 * absent), {@code created_at} (ISO-8601 UTC), {@code create_options} (an object, may be absent) and
 * {@code participants} (a list of {@code {name, category}} objects, in archive order). At most
 * {@value #MAX_BYTES} bytes of UTF-8.
 *
 * <p>An upload may instead carry a foreign snapshot's {@code metadata.json} (Cloudify's): any JSON object
 * whose {@code format} does not start with {@value #FAMILY}; {@link #origin} tells the two apart.
 */
final class MetadataCodec {
    static final String FORMAT = "snapkeep/1";
    /** What every snapkeep format's name starts with; a document with another format is foreign. */
    static final String FAMILY = "snapkeep/";
    static final int CURRENT_VERSION = 1;
    static final int MAX_BYTES = 16 << 20;

    static final String FIELD_FORMAT = "format";
    static final String FIELD_VERSION = "snapshot_version";
    static final String FIELD_SNAPSHOT_ID = "snapshot_id";
    static final String FIELD_EXECUTION_ID = "execution_id";
    static final String FIELD_CREATED_AT = "created_at";
    static final String FIELD_CREATE_OPTIONS = "create_options";
    static final String FIELD_PARTICIPANTS = "participants";
    static final String FIELD_NAME = "name";
    static final String FIELD_CATEGORY = "category";

    /** Whose a {@code metadata.json} document is. */
    enum Origin {
        SNAPKEEP,
        FOREIGN
    }

    private MetadataCodec() {
    }

    /**
     * The file's text: a one-line JSON object and a newline. Refuses participants whose names cannot name a
     * folder, and a participant listed twice.
     */
    static String write(ArchiveMetadata m) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put(FIELD_FORMAT, m.format());
        doc.put(FIELD_VERSION, m.snapshotVersion());
        doc.put(FIELD_SNAPSHOT_ID, m.snapshotId());
        doc.put(FIELD_EXECUTION_ID, m.executionId());
        doc.put(FIELD_CREATED_AT, Timestamps.format(m.createdAt()));
        doc.put(FIELD_CREATE_OPTIONS, new TreeMap<>(m.createOptions()));
        List<Object> participants = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (ArchiveMetadata.ParticipantInfo p : m.participants()) {
            if (!ArchiveLayout.isFolderName(p.name())) {
                throw new IllegalArgumentException("Participant name `" + Printable.of(p.name())
                        + "` cannot name an archive folder");
            }
            if (!names.add(p.name())) {
                throw new IllegalArgumentException("Participant `" + p.name() + "` is listed twice");
            }
            Map<String, Object> one = new LinkedHashMap<>();
            one.put(FIELD_NAME, p.name());
            one.put(FIELD_CATEGORY, p.category().name().toLowerCase(Locale.ROOT));
            participants.add(one);
        }
        doc.put(FIELD_PARTICIPANTS, participants);
        return Json.write(doc) + "\n";
    }

    /** {@link #write} as the bytes of the entry. */
    static byte[] encode(ArchiveMetadata m) {
        return write(m).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Reads the entry's content to its end (so a zip reader checks its CRC before the JSON is looked at) and
     * parses it: at most {@value #MAX_BYTES} bytes of UTF-8 JSON, any JSON value.
     */
    static Object readDocument(InputStream content) throws IOException {
        byte[] bytes = content.readNBytes(MAX_BYTES + 1);
        if (bytes.length > MAX_BYTES) {
            throw new InvalidArchiveException("metadata.json is larger than " + (MAX_BYTES >> 20) + " MiB");
        }
        content.transferTo(OutputStream.nullOutputStream());
        return parseDocument(bytes);
    }

    /** The JSON value in {@code bytes}. */
    static Object parseDocument(byte[] bytes) {
        try {
            return Json.parse(Zip.decodeUtf8(bytes));
        } catch (CharacterCodingException e) {
            throw new InvalidArchiveException("metadata.json is not valid UTF-8");
        } catch (Json.JsonException e) {
            throw new InvalidArchiveException("metadata.json is not valid JSON: " + e.getMessage());
        }
    }

    /**
     * A snapkeep document (its {@code format} starts with {@value #FAMILY}: {@link #read} then decides whether
     * this reader understands it) or a foreign one (any other JSON object); anything else is refused.
     */
    static Origin origin(Object document) {
        if (document instanceof Map<?, ?> map && map.get(FIELD_FORMAT) instanceof String format
                && format.startsWith(FAMILY)) {
            return Origin.SNAPKEEP;
        }
        requireObject(document);
        return Origin.FOREIGN;
    }

    /** {@link #read} of {@link #parseDocument}. */
    static ArchiveMetadata decode(byte[] bytes) {
        return read(parseDocument(bytes));
    }

    /** The metadata in a parsed document; refuses unknown formats, newer versions and malformed fields. */
    static ArchiveMetadata read(Object document) {
        Map<?, ?> doc = requireObject(document);
        Object format = doc.get(FIELD_FORMAT);
        if (!(format instanceof String f) || !f.startsWith(FAMILY)) {
            throw new InvalidArchiveException("metadata.json has no snapkeep `format` (found "
                    + (format == null ? "none" : "`" + Printable.of(String.valueOf(format)) + "`")
                    + "): it is not a snapkeep archive");
        }
        if (!(doc.get(FIELD_VERSION) instanceof Long version)) {
            throw new InvalidArchiveException("metadata.json has no integer `snapshot_version`");
        }
        if (version > CURRENT_VERSION) {
            throw new InvalidArchiveException("The archive's snapshot_version is " + version + ", newer than the "
                    + CURRENT_VERSION + " this Snapkeep understands: restore it with a newer Snapkeep");
        }
        if (version < 1) {
            throw new InvalidArchiveException("metadata.json has an invalid snapshot_version " + version);
        }
        if (!FORMAT.equals(format)) {
            throw new InvalidArchiveException("metadata.json has format `" + Printable.of((String) format)
                    + "`; this Snapkeep reads " + FORMAT);
        }
        String snapshotId = requireString(doc, FIELD_SNAPSHOT_ID);
        Object executionId = doc.get(FIELD_EXECUTION_ID);
        if (executionId != null && !(executionId instanceof String)) {
            throw new InvalidArchiveException("metadata.json has a non-text `execution_id`");
        }
        Instant createdAt;
        try {
            createdAt = Instant.parse(requireString(doc, FIELD_CREATED_AT));
        } catch (DateTimeParseException e) {
            throw new InvalidArchiveException("metadata.json has an invalid `created_at`: " + e.getParsedString());
        }
        return new ArchiveMetadata((String) format, version.intValue(), snapshotId, (String) executionId,
                createdAt, readOptions(doc.get(FIELD_CREATE_OPTIONS)), readParticipants(doc.get(FIELD_PARTICIPANTS)));
    }

    private static Map<String, Object> readOptions(Object raw) {
        Map<String, Object> options = new LinkedHashMap<>();
        if (raw != null) {
            if (!(raw instanceof Map<?, ?> map)) {
                throw new InvalidArchiveException("metadata.json's `create_options` is not an object");
            }
            map.forEach((k, v) -> {
                if (v != null) {
                    options.put((String) k, v);
                }
            });
        }
        return options;
    }

    private static List<ArchiveMetadata.ParticipantInfo> readParticipants(Object raw) {
        if (!(raw instanceof List<?> list)) {
            throw new InvalidArchiveException("metadata.json has no `participants` list");
        }
        List<ArchiveMetadata.ParticipantInfo> participants = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (Object item : list) {
            if (!(item instanceof Map<?, ?> p)) {
                throw new InvalidArchiveException("metadata.json lists a participant that is not an object");
            }
            String name = requireString(p, FIELD_NAME);
            if (!ArchiveLayout.isFolderName(name)) {
                throw new InvalidArchiveException("metadata.json lists a participant named `" + Printable.of(name)
                        + "`, which cannot name an archive folder");
            }
            if (!names.add(name)) {
                throw new InvalidArchiveException("metadata.json lists participant `" + Printable.of(name) + "` twice");
            }
            String category = requireString(p, FIELD_CATEGORY);
            StateCategory parsed;
            try {
                parsed = StateCategory.valueOf(category.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new InvalidArchiveException("metadata.json gives participant `" + Printable.of(name)
                        + "` the unknown category `" + Printable.of(category) + "`");
            }
            participants.add(new ArchiveMetadata.ParticipantInfo(name, parsed));
        }
        return participants;
    }

    private static Map<?, ?> requireObject(Object document) {
        if (!(document instanceof Map<?, ?> map)) {
            throw new InvalidArchiveException("metadata.json is not a JSON object");
        }
        return map;
    }

    private static String requireString(Map<?, ?> doc, String key) {
        if (!(doc.get(key) instanceof String s)) {
            throw new InvalidArchiveException("metadata.json has no text `" + key + "`");
        }
        return s;
    }
}
