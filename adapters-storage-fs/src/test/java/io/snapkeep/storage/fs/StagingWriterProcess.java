package io.snapkeep.storage.fs;

import static io.snapkeep.storage.fs.TestKeys.key;

import io.snapkeep.core.port.out.ArchiveStore.StagedWrite;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Another process with a write in progress, for {@link LeftoversTest}: begins a write under
 * {@code args[1]} in the directory {@code args[0]}, flushes some bytes, prints {@code ready}, then waits
 * for its standard input to close (or to be killed) without committing.
 */
final class StagingWriterProcess {
    private StagingWriterProcess() {
    }

    public static void main(String[] args) throws IOException {
        FileSystemArchiveStore store = new FileSystemArchiveStore(Path.of(args[0]));
        StagedWrite write = store.beginWrite(key(args[1]));
        write.stream().write(new byte[10_000]);
        write.stream().flush();
        System.out.println("ready");
        System.out.flush();
        while (System.in.read() >= 0) {
            // hold the write open
        }
    }
}
