package io.snapkeep.app.it;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The packaged server, {@code snapkeep.jar}, run as a separate process the way an operator runs it. */
final class ServerProcess implements AutoCloseable {
    private static final Pattern SERVING = Pattern.compile("serving on (http://\\S+)");

    private final Process process;
    private final Path log;
    private final URI uri;

    private ServerProcess(Process process, Path log, URI uri) {
        this.process = process;
        this.log = log;
        this.uri = uri;
    }

    /** Starts the jar with {@code env} on top of a clean environment and waits until it serves. */
    static ServerProcess start(Path dataDir, Map<String, String> env) throws Exception {
        Path jar = Path.of(System.getProperty("snapkeep.jar", "target/snapkeep.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("The packaged jar is missing: " + jar.toAbsolutePath());
        }
        Path log = Files.createTempFile(dataDir.getParent(), "server", ".log");
        List<String> command = new ArrayList<>(List.of(javaBinary(), "-Xmx256m", "-jar", jar.toString()));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().keySet().removeIf(k -> k.startsWith("SNAPKEEP_"));
        pb.environment().put("SNAPKEEP_PORT", "0");
        pb.environment().put("SNAPKEEP_DATA_DIR", dataDir.toString());
        pb.environment().putAll(env);
        Process p = pb.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            Matcher m = SERVING.matcher(Files.readString(log, StandardCharsets.UTF_8));
            if (m.find()) {
                return new ServerProcess(p, log, URI.create(m.group(1)));
            }
            if (!p.isAlive()) {
                throw new IllegalStateException("The server exited with " + p.exitValue() + ":\n" + Files.readString(log));
            }
            Thread.sleep(20);
        }
        p.destroyForcibly();
        throw new IllegalStateException("The server did not start within 60 s:\n" + Files.readString(log));
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    URI uri() {
        return uri;
    }

    String output() throws IOException {
        return Files.readString(log, StandardCharsets.UTF_8);
    }

    /** SIGKILL: the process gets no chance to clean up. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** SIGTERM, then wait for a graceful exit. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor();
        }
    }
}
