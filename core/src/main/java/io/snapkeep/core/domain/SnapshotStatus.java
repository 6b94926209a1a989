package io.snapkeep.core.domain;

import io.snapkeep.core.error.InvalidParameterException;

/**
 * Where a snapshot is in its life: {@code creating → created | failed}, {@code uploading → uploaded}, and
 * {@code created | uploaded → failed} when its archive turns out lost or damaged.
 */
public enum SnapshotStatus {
    CREATING("creating"),
    CREATED("created"),
    FAILED("failed"),
    UPLOADING("uploading"),
    UPLOADED("uploaded");

    private final String wireName;

    SnapshotStatus(String wireName) {
        this.wireName = wireName;
    }

    /** The name clients see, as in the API contract. */
    public String wireName() {
        return wireName;
    }

    /**
     * An end state: no workflow changes it again. (A complete snapshot can still fail when its archive turns
     * out lost or damaged.)
     */
    public boolean isEnd() {
        return this == CREATED || this == FAILED || this == UPLOADED;
    }

    /** A complete archive exists for it: it can be downloaded and restored. */
    public boolean hasArchive() {
        return this == CREATED || this == UPLOADED;
    }

    public static SnapshotStatus fromWireName(String name) {
        for (SnapshotStatus s : values()) {
            if (s.wireName.equals(name)) {
                return s;
            }
        }
        throw new InvalidParameterException("Unknown snapshot status `" + name + "`");
    }
}
