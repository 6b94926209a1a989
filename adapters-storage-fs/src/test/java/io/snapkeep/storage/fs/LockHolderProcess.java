package io.snapkeep.storage.fs;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Another process holding the lock of a file, as a live write of the previous release held its staging
 * file: creates and locks {@code args[0]}, prints {@code ready}, then waits for its standard input to close
 * (or to be killed).
 */
final class LockHolderProcess {
    private LockHolderProcess() {
    }

    public static void main(String[] args) throws IOException {
        try (FileChannel channel = FileChannel.open(Path.of(args[0]), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE)) {
            FileLock lock = channel.lock();
            System.out.println(lock.isValid() ? "ready" : "no lock");
            System.out.flush();
            while (System.in.read() >= 0) {
                // hold the lock
            }
        }
    }
}
