package io.snapkeep.app.config;

import io.snapkeep.app.config.SnapkeepConfig.Storage;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A kind of archive store that {@code storage.type} can name. A type reads its own section of the
 * configuration, named after it ({@code s3.bucket}, {@code SNAPKEEP_S3_BUCKET}), checks the values with the
 * store's own settings rules, and returns a {@link Storage} that opens and describes the store.
 *
 * <p>Adding a type is one class implementing this and one line in {@link StorageTypes}.
 */
public interface StorageType {

    /** The {@code storage.type} value, and the name of the section that holds the type's keys. */
    String name();

    /**
     * Reads the type's section, reporting every problem in it through the section. Every type's section is
     * read on every start, so that its keys and variables are known and checked whichever type is chosen.
     *
     * @param section its section of the tree
     * @param dataDir the data directory, for defaults beneath it
     * @param chosen  whether {@code storage.type} names this type: only then are required keys demanded
     * @return the storage when chosen and nothing in the section is wrong; otherwise empty
     */
    Optional<Storage> read(Section section, Path dataDir, boolean chosen);
}
