package io.snapkeep.participants.directory;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A tmpfs of a few hundred KiB mounted on an empty directory for one test, so that the kernel itself says
 * "no space left on device". Where mounting is not allowed (not Linux, no privilege) the test is skipped.
 */
final class SmallDisk implements AutoCloseable {
    private final Path dir;

    private SmallDisk(Path dir) {
        this.dir = dir;
    }

    static SmallDisk mount(Path dir, String size) throws IOException, InterruptedException {
        assumeTrue(System.getProperty("os.name", "").startsWith("Linux"), "tmpfs needs Linux");
        String failed = run("mount", "-t", "tmpfs", "-o", "size=" + size + ",mode=0755", "tmpfs", dir.toString());
        assumeTrue(failed == null, () -> "no tmpfs can be mounted here: " + failed);
        return new SmallDisk(dir);
    }

    @Override
    public void close() throws IOException, InterruptedException {
        String failed = run("umount", dir.toString());
        if (failed != null) {
            throw new IOException("cannot unmount " + dir + ": " + failed);
        }
    }

    /** Null when {@code command} succeeded, else what went wrong. */
    private static String run(String... command) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
        } catch (IOException noSuchCommand) {
            return noSuchCommand.getMessage();
        }
        p.getOutputStream().close();
        String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return "timed out";
        }
        return p.exitValue() == 0 ? null : "exit " + p.exitValue() + ": " + said;
    }
}
