package io.snapkeep.core.testing;

import io.snapkeep.core.support.FileTrees;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A throwaway PostgreSQL server for tests, from the binaries of Debian's {@code postgresql} package: one per
 * JVM, started on first use in a temporary directory, listening on 127.0.0.1 only, with durability switched
 * off for speed, and stopped (its directory removed) when the JVM exits. Each test takes a database of its
 * own from {@link #createDatabase()}.
 *
 * <p>PostgreSQL refuses to run as root: a JVM running as root starts the server as the package's
 * {@code postgres} user, through {@code runuser}.
 */
public final class LocalPostgres {
    public static final String USER = "snapkeep";
    public static final String PASSWORD = "local-postgres-test";

    private static final Path DEBIAN_BINARIES = Path.of("/usr/lib/postgresql");
    private static final String SERVER_USER = "postgres";
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static LocalPostgres running;

    private final Path bin;
    private final Path dir;
    private final boolean asServerUser;
    private final int port;
    private Process server;

    private LocalPostgres(Path bin, Path dir, boolean asServerUser, int port) {
        this.bin = bin;
        this.dir = dir;
        this.asServerUser = asServerUser;
        this.port = port;
    }

    /** The server of this JVM, started now if it is not running yet. */
    public static synchronized LocalPostgres get() {
        if (running == null) {
            Path bin = binaries().orElseThrow(() -> new IllegalStateException("No PostgreSQL server found (looked"
                    + " for " + DEBIAN_BINARIES + "/<version>/bin/postgres): install the Debian package `postgresql`,"
                    + " as `.ci/run` does"));
            try {
                LocalPostgres server = new LocalPostgres(bin, Files.createTempDirectory("snapkeep-postgres-"),
                        "root".equals(System.getProperty("user.name")), freePort());
                server.start();
                running = server;
            } catch (IOException e) {
                throw new IllegalStateException("Could not start a local PostgreSQL server: " + e.getMessage(), e);
            }
        }
        return running;
    }

    /** Creates an empty database of a new name; its JDBC URL. */
    public String createDatabase() {
        String name = "test_" + DATABASES.incrementAndGet();
        run(List.of(bin.resolve("createdb").toString(), "-h", "127.0.0.1", "-p", Integer.toString(port),
                "-U", USER, name), false);
        return jdbcUrl(name);
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    public String user() {
        return USER;
    }

    public String password() {
        return PASSWORD;
    }

    /** The newest version's binaries: a version directory's name is its major number. */
    private static Optional<Path> binaries() {
        if (!Files.isDirectory(DEBIAN_BINARIES)) {
            return Optional.empty();
        }
        try (Stream<Path> versions = Files.list(DEBIAN_BINARIES)) {
            return versions.filter(v -> v.getFileName().toString().matches("\\d+"))
                    .filter(v -> Files.isExecutable(v.resolve("bin").resolve("postgres")))
                    .max(Comparator.comparingInt(v -> Integer.parseInt(v.getFileName().toString())))
                    .map(v -> v.resolve("bin"));
        } catch (IOException e) {
            throw new IllegalStateException("Cannot list " + DEBIAN_BINARIES + ": " + e.getMessage(), e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        }
    }

    private void start() throws IOException {
        Files.writeString(dir.resolve("pwfile"), PASSWORD + "\n", StandardCharsets.UTF_8);
        if (asServerUser) {
            run(List.of("chown", "-R", SERVER_USER, dir.toString()), false);
        }
        run(List.of(bin.resolve("initdb").toString(), "-D", dir.resolve("data").toString(), "-U", USER,
                "--pwfile=" + dir.resolve("pwfile"), "--auth-host=scram-sha-256", "--auth-local=trust",
                "-E", "UTF8", "--no-locale", "--no-sync"), true);
        server = builder(List.of(bin.resolve("postgres").toString(), "-D", dir.resolve("data").toString(),
                "-p", Integer.toString(port), "-k", dir.toString(), "-c", "listen_addresses=127.0.0.1",
                "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off",
                "-c", "max_connections=300"), true).start();
        Runtime.getRuntime().addShutdownHook(new Thread(this::stop, "local-postgres-stop"));
        awaitReady();
    }

    /** Polls pg_isready until the server accepts connections, or fails at the deadline or if it died. */
    private void awaitReady() {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        List<String> isReady = List.of(bin.resolve("pg_isready").toString(), "-q", "-h", "127.0.0.1",
                "-p", Integer.toString(port));
        while (exitOf(isReady, false) != 0) {
            if (!server.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("The local PostgreSQL server did not start within " + START_TIMEOUT
                        + (server.isAlive() ? "" : " (it exited with " + server.exitValue() + ")") + "; its log:\n"
                        + log());
            }
            try {
                Thread.sleep(25);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while the local PostgreSQL server started", e);
            }
        }
    }

    private void stop() {
        try {
            exitOf(List.of(bin.resolve("pg_ctl").toString(), "stop", "-D", dir.resolve("data").toString(),
                    "-m", "immediate", "-w"), true);
            if (!server.waitFor(10, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
            FileTrees.deleteTree(dir);
        } catch (IOException | InterruptedException | RuntimeException e) {
            System.err.println("Could not stop the local PostgreSQL server in " + dir + ": " + e);
        }
    }

    private void run(List<String> command, boolean asServer) {
        int exit = exitOf(command, asServer);
        if (exit != 0) {
            throw new IllegalStateException("`" + String.join(" ", command) + "` exited with " + exit + "; the log:\n"
                    + log());
        }
    }

    private int exitOf(List<String> command, boolean asServer) {
        try {
            Process p = builder(command, asServer).start();
            if (!p.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("`" + String.join(" ", command) + "` did not end within "
                        + COMMAND_TIMEOUT);
            }
            return p.exitValue();
        } catch (IOException e) {
            throw new IllegalStateException("Cannot run `" + command.get(0) + "`: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while running `" + command.get(0) + "`", e);
        }
    }

    /** Output goes to one log in the directory, which failures quote. */
    private ProcessBuilder builder(List<String> command, boolean asServer) {
        List<String> full = new ArrayList<>();
        if (asServer && asServerUser) {
            full.addAll(List.of("runuser", "-u", SERVER_USER, "--"));
        }
        full.addAll(command);
        ProcessBuilder pb = new ProcessBuilder(full).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("postgres.log").toFile()));
        pb.environment().put("PGPASSWORD", PASSWORD);
        return pb;
    }

    private String log() {
        try {
            List<String> lines = Files.readAllLines(dir.resolve("postgres.log"), StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
