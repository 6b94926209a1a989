package io.snapkeep.storage.fs;

import io.snapkeep.core.port.out.ArchiveStore;
import io.snapkeep.core.port.out.ArchiveStoreContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class FileSystemArchiveStoreTest extends ArchiveStoreContract {
    @TempDir
    Path dir;

    @Override
    protected ArchiveStore newStore() {
        return new FileSystemArchiveStore(dir.resolve("archives"));
    }

    /** Another store on the same directory, as another node mounts it. */
    @Override
    protected ArchiveStore secondInstance() {
        return new FileSystemArchiveStore(dir.resolve("archives"));
    }
}
