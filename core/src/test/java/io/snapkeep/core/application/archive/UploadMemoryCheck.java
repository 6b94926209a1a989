package io.snapkeep.core.application.archive;

import io.snapkeep.core.error.InvalidArchiveException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Run in a JVM of its own, with a small heap: validates the upload in the file given as its argument, as
 * the server does, and prints one line, {@code OK <entries>}, {@code REFUSED <message>} or
 * {@code OUT OF MEMORY}, then the peak heap used and the process's peak resident size.
 */
public final class UploadMemoryCheck {
    private UploadMemoryCheck() {
    }

    public static void main(String[] args) throws IOException {
        String outcome;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(Path.of(args[0])), 1 << 16)) {
            ArchiveReader.Inspection inspection = ArchiveReader.inspectUpload(in, ArchiveLimits.DEFAULTS,
                    ArchiveObserver.NONE);
            outcome = "OK " + inspection.summary().entries();
        } catch (InvalidArchiveException e) {
            outcome = "REFUSED " + e.getMessage();
        } catch (OutOfMemoryError e) {
            outcome = "OUT OF MEMORY";
        }
        System.out.println(outcome);
        long heapPeak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                heapPeak += pool.getPeakUsage().getUsed();
            }
        }
        System.out.println("heap peak " + (heapPeak >> 20) + " MiB");
        Path status = Path.of("/proc/self/status");
        if (Files.isReadable(status)) {
            Files.readAllLines(status).stream().filter(l -> l.startsWith("VmHWM")).forEach(System.out::println);
        }
        System.exit(outcome.startsWith("OUT OF MEMORY") ? 3 : 0);
    }
}
