package io.snapkeep.core.domain;

import java.time.Instant;
import java.util.function.Function;

/** The fields of a snapshot that lists filter and sort on, by their API names. */
public enum SnapshotField {
    ID("id", s -> s.id().value()),
    CREATED_AT("created_at", Snapshot::createdAt),
    STATUS("status", s -> s.status().wireName()),
    ERROR("error", Snapshot::error),
    CREATED_BY("created_by", Snapshot::createdBy),
    ARCHIVE_SIZE("archive_size", s -> s.archive() == null ? null : s.archive().size()),
    ARCHIVE_SHA256("archive_sha256", s -> s.archive() == null ? null : s.archive().sha256());

    private final String apiName;
    private final Function<Snapshot, Comparable<?>> value;

    SnapshotField(String apiName, Function<Snapshot, Comparable<?>> value) {
        this.apiName = apiName;
        this.value = value;
    }

    public String apiName() {
        return apiName;
    }

    /** The value to sort by (null when absent). */
    public Comparable<?> valueOf(Snapshot s) {
        return value.apply(s);
    }

    /** The text that filters compare with: wire names for enums, ISO-8601 for times, decimal for numbers. */
    public String textOf(Snapshot s) {
        return text(valueOf(s));
    }

    static String text(Object v) {
        if (v == null) {
            return null;
        }
        if (v instanceof Instant t) {
            return Timestamps.format(t);
        }
        return v.toString();
    }

    public static java.util.Optional<SnapshotField> byApiName(String name) {
        for (SnapshotField f : values()) {
            if (f.apiName.equals(name)) {
                return java.util.Optional.of(f);
            }
        }
        return java.util.Optional.empty();
    }
}
