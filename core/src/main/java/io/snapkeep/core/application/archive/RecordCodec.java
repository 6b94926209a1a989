package io.snapkeep.core.application.archive;

import io.snapkeep.core.domain.ArchiveInfo;
import io.snapkeep.core.domain.SnapshotId;
import io.snapkeep.core.domain.SnapshotStatus;
import io.snapkeep.core.domain.Timestamps;
import io.snapkeep.core.support.Printable;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one codec of a {@link SnapshotRecord}, both ways. A record is a one-line JSON object of UTF-8 and a
 * newline:
 * <pre>
 * {"format":"snapkeep-record","version":1,"id":"s1","status":"created",
 *  "created_at":"2026-11-28T12:00:00.000Z","created_by":"admin","size":52311,
 *  "sha256":"(64 lower-case hex digits)","archive_format":"snapkeep/1"}
 * </pre>
 * {@code format} is always {@value #FORMAT}; {@code version} is an integer, at most {@value #VERSION};
 * {@code status} is {@code created} or {@code uploaded}; {@code archive_format} is {@code snapkeep/1} or
 * {@code foreign}. A reader ignores members it does not know, so a later version may add some; it refuses a
 * newer version, which may have changed the meaning of the ones it knows.
 */
public final class RecordCodec {
    public static final String FORMAT = "snapkeep-record";
    public static final int VERSION = 1;
    /** Far above any real record; a bigger one is not a record. */
    static final int MAX_BYTES = 64 * 1024;

    private RecordCodec() {
    }

    /** A record that cannot be read: malformed, or written by a newer Snapkeep. */
    public static final class UnreadableRecordException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final boolean newer;

        UnreadableRecordException(String message, boolean newer) {
            super(message);
            this.newer = newer;
        }

        /** Written by a newer Snapkeep (its version is above {@value #VERSION}): to be left as it is. */
        public boolean newer() {
            return newer;
        }
    }

    public static byte[] encode(SnapshotRecord r) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("format", FORMAT);
        doc.put("version", VERSION);
        doc.put("id", r.id().value());
        doc.put("status", r.status().wireName());
        doc.put("created_at", Timestamps.format(r.createdAt()));
        doc.put("created_by", r.createdBy());
        doc.put("size", r.archive().size());
        doc.put("sha256", r.archive().sha256());
        doc.put("archive_format", r.archiveFormat());
        return (Json.write(doc) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /** @throws UnreadableRecordException when {@code bytes} are not a record this codec reads */
    public static SnapshotRecord decode(byte[] bytes) {
        if (bytes.length > MAX_BYTES) {
            throw unreadable("it is larger than " + MAX_BYTES + " bytes");
        }
        Object parsed;
        try {
            parsed = Json.parse(Zip.decodeUtf8(bytes));
        } catch (CharacterCodingException e) {
            throw unreadable("it is not valid UTF-8");
        } catch (Json.JsonException e) {
            throw unreadable("it is not valid JSON: " + e.getMessage());
        }
        if (!(parsed instanceof Map<?, ?> doc)) {
            throw unreadable("it is not a JSON object");
        }
        if (!FORMAT.equals(doc.get("format"))) {
            throw unreadable("its format is not " + FORMAT);
        }
        if (!(doc.get("version") instanceof Long version) || version < 1) {
            throw unreadable("it has no valid integer `version`");
        }
        if (version > VERSION) {
            throw new UnreadableRecordException("The snapshot record has version " + version + ", newer than the "
                    + VERSION + " this Snapkeep reads", true);
        }
        try {
            SnapshotId id = SnapshotId.of(text(doc, "id"));
            SnapshotStatus status = SnapshotStatus.fromWireName(text(doc, "status"));
            Instant createdAt = Instant.parse(text(doc, "created_at"));
            if (!(doc.get("size") instanceof Long size)) {
                throw unreadable("it has no integer `size`");
            }
            return new SnapshotRecord(id, status, createdAt, text(doc, "created_by"),
                    new ArchiveInfo(size, text(doc, "sha256")), text(doc, "archive_format"));
        } catch (DateTimeParseException e) {
            throw unreadable("its `created_at` is not a timestamp");
        } catch (UnreadableRecordException e) {
            throw e;
        } catch (RuntimeException e) {
            // an id, a status, a size or a digest that the domain refuses
            throw unreadable(e.getMessage());
        }
    }

    private static String text(Map<?, ?> doc, String key) {
        if (!(doc.get(key) instanceof String s)) {
            throw unreadable("it has no text `" + key + "`");
        }
        return s;
    }

    private static UnreadableRecordException unreadable(String why) {
        return new UnreadableRecordException("The snapshot record cannot be read: " + Printable.of(why), false);
    }
}
