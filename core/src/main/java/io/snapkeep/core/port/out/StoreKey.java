package io.snapkeep.core.port.out;

import io.snapkeep.core.domain.SnapshotId;
import java.util.Objects;

/**
 * The name of one archive in an {@link ArchiveStore}. Today a snapshot's archive is kept under its id;
 * the type keeps that mapping in one place and keeps store keys from being confused with other strings.
 * A store maps keys to its own layout (file names, object keys) and checks them against its own limits.
 */
public record StoreKey(String value) implements Comparable<StoreKey> {

    public StoreKey {
        Objects.requireNonNull(value, "value");
    }

    /** The key under which the archive of snapshot {@code id} is kept. */
    public static StoreKey of(SnapshotId id) {
        return new StoreKey(id.value());
    }

    @Override
    public int compareTo(StoreKey other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
