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
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The packaged server, {@code snapkeep.jar}, run as a separate process the way an operator runs it. */
final class ServerProcess implements AutoCloseable {
    private static final Pattern SERVING = Pattern.compile("serving on (https?://\\S+)");
    /** How long a SIGTERM may take before {@link #close()} gives up and kills. */
    private static final Duration STOP_LIMIT = Duration.ofSeconds(90);

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
        Path log = Files.createTempFile(dataDir.getParent(), "server", ".log");
        Process p = launch(dataDir, env, log, List.of());
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

    /**
     * Runs the jar with {@code args} (a command such as {@code reconcile}) to its end, at most {@code limit}.
     *
     * @return its exit code and everything it printed
     */
    static Finished run(Path dataDir, Map<String, String> env, Duration limit, String... args) throws Exception {
        Path log = Files.createTempFile(dataDir.getParent(), "command", ".log");
        Process p = launch(dataDir, env, log, List.of(args));
        if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly().waitFor();
            throw new AssertionError("snapkeep.jar " + String.join(" ", args) + " did not end within " + limit
                    + ":\n" + Files.readString(log));
        }
        return new Finished(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }

    private static Process launch(Path dataDir, Map<String, String> env, Path log, List<String> args)
            throws IOException {
        Path jar = Path.of(System.getProperty("snapkeep.jar", "target/snapkeep.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("The packaged jar is missing: " + jar.toAbsolutePath());
        }
        List<String> command = new ArrayList<>(List.of(javaBinary(), "-Xmx256m", "-jar", jar.toString()));
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().keySet().removeIf(k -> k.startsWith("SNAPKEEP_"));
        pb.environment().put("SNAPKEEP_PORT", "0");
        pb.environment().put("SNAPKEEP_DATA_DIR", dataDir.toString());
        pb.environment().putAll(env);
        return pb.start();
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

    /** Waits until the output matches {@code regex}, at most {@code limit}. */
    void awaitOutput(String regex, Duration limit) throws IOException, InterruptedException {
        Pattern pattern = Pattern.compile(regex);
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            if (pattern.matcher(output()).find()) {
                return;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("the server did not print /" + regex + "/ within " + limit + ":\n" + output());
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL: the process gets no chance to clean up. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** Sends SIGTERM and returns at once; the orderly stop runs in the server. */
    void signalTerm() {
        process.destroy();
    }

    /**
     * Sends SIGTERM and waits for the orderly stop to end, at most {@code limit}.
     *
     * @return the exit code (143 after a SIGTERM)
     */
    int terminate(Duration limit) throws InterruptedException, IOException {
        process.destroy();
        return awaitExit(limit);
    }

    /** Waits for the process to exit, at most {@code limit}; fails (after killing it) when it does not. */
    int awaitExit(Duration limit) throws InterruptedException, IOException {
        if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError("the server did not stop within " + limit + ":\n" + output());
        }
        return process.exitValue();
    }

    /** SIGTERM, then wait for a graceful exit. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(STOP_LIMIT.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            process.waitFor();
        }
    }

    /** A command that ran to its end. */
    record Finished(int exitCode, String output) {
    }
}
