package io.snapkeep.app.config;

import java.util.List;
import java.util.Optional;

/** Every storage type that {@code storage.type} can name. */
final class StorageTypes {
    /** The type when {@code storage.type} is unset. */
    static final String DEFAULT = "fs";

    static final List<StorageType> ALL = List.of(
            new FsStorageType(),
            new S3StorageType());

    private StorageTypes() {
    }

    static List<String> names() {
        return ALL.stream().map(StorageType::name).toList();
    }

    static Optional<StorageType> named(String name) {
        return ALL.stream().filter(t -> t.name().equals(name)).findFirst();
    }
}
