package io.snapkeep.storage.fs;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real, small file system (tmpfs) mounted for one test, so that "no space left on device" and
 * "read-only file system" come from the kernel, not from a fake. Where mounting is not permitted (not
 * Linux, not privileged) the test is skipped by an assumption.
 */
final class TinyFileSystem {
    private final Path mountPoint;

    private TinyFileSystem(Path mountPoint) {
        this.mountPoint = mountPoint;
    }

    /** Mounts a tmpfs of {@code size} (as {@code mount} reads it, e.g. {@code 512k}) on the empty {@code dir}. */
    static TinyFileSystem mount(Path dir, String size) throws IOException, InterruptedException {
        assumeTrue(System.getProperty("os.name", "").startsWith("Linux"), "tmpfs needs Linux");
        String failure = run("mount", "-t", "tmpfs", "-o", "size=" + size + ",mode=0755", "tmpfs", dir.toString());
        assumeTrue(failure == null, () -> "cannot mount a tmpfs here: " + failure);
        return new TinyFileSystem(dir);
    }

    Path path() {
        return mountPoint;
    }

    /** Makes the mounted file system read-only, as a failing disk often does. */
    void remountReadOnly() throws IOException, InterruptedException {
        String failure = run("mount", "-o", "remount,ro", mountPoint.toString());
        if (failure != null) {
            throw new IOException("cannot remount " + mountPoint + " read-only: " + failure);
        }
    }

    void unmount() throws IOException, InterruptedException {
        String failure = run("umount", mountPoint.toString());
        if (failure != null) {
            throw new IOException("cannot unmount " + mountPoint + ": " + failure);
        }
    }

    /** Runs a command; null when it succeeded, else what it said. */
    private static String run(String... command) throws IOException, InterruptedException {
        Process process;
        try {
            process = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
        } catch (IOException e) {
            return e.getMessage(); // no such command
        }
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return "timed out";
        }
        return process.exitValue() == 0 ? null : "exit " + process.exitValue() + ": " + output;
    }
}
