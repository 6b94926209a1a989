package io.snapkeep.app.config;

import io.snapkeep.app.config.SnapkeepConfig.Storage;
import io.snapkeep.core.port.out.ArchiveStore;
import io.snapkeep.storage.fs.FileSystemArchiveStore;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code storage.type: fs}: archives as files under {@code fs.root} (default {@code <data_dir>/archives}), in
 * the store's layout there ({@code archives/}, {@code records/}, {@code staging/}). The previous release kept
 * its archives directly in {@code fs.root}; the store moves them into the layout when it opens, so the same
 * {@code fs.root} is the legacy location and needs no setting of its own.
 */
final class FsStorageType implements StorageType {

    @Override
    public String name() {
        return "fs";
    }

    @Override
    public Optional<Storage> read(Section fs, Path dataDir, boolean chosen) {
        int before = fs.problemCount();
        Path root = fs.path("root").orElse(dataDir.resolve("archives"));
        return chosen && fs.problemCount() == before ? Optional.of(new Fs(root)) : Optional.empty();
    }

    /** Archives as files under {@code root}, an absolute path. */
    public record Fs(Path root) implements Storage {
        @Override
        public String type() {
            return "fs";
        }

        @Override
        public ArchiveStore open() {
            return new FileSystemArchiveStore(root);
        }

        @Override
        public Map<String, String> effectiveSettings() {
            Map<String, String> settings = new LinkedHashMap<>();
            settings.put("root", root.toString());
            return settings;
        }

        @Override
        public String where() {
            return root.toString();
        }
    }
}
