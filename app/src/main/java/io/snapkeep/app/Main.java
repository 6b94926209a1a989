package io.snapkeep.app;

import io.snapkeep.app.config.ConfigException;
import io.snapkeep.app.config.SnapkeepConfig;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * {@code java -jar snapkeep.jar [--config snapkeep.yaml]}: starts the server and serves until stopped (SIGTERM
 * stops it in order, see {@link SnapkeepServer#close()}).
 * {@code java -jar snapkeep.jar reconcile [--dry-run] [--config snapkeep.yaml]}: brings the catalog in line
 * with the archive store without serving, see {@link ReconcileCommand}.
 *
 * <p>Exit codes: 0 served and stopped (or reconciled); 1 could not start, or the reconcile command's own 1;
 * 2 a bad command line or configuration.
 */
public final class Main {
    static final String USAGE = """
            Usage: java -jar snapkeep.jar [--config <file.yaml>]
                   java -jar snapkeep.jar reconcile [--dry-run] [--config <file.yaml>]""";

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        // Libraries that log through java.util.logging (Jersey, HK2) reach the one binding through this bridge;
        // the core's System.Logger reaches it through the platform-logging provider on the class path.
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();
        Optional<Path> file = Optional.empty();
        boolean reconcile = false;
        boolean dryRun = false;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--config") && i + 1 < args.length) {
                file = Optional.of(Path.of(args[++i]));
            } else if (args[i].startsWith("--config=")) {
                file = Optional.of(Path.of(args[i].substring("--config=".length())));
            } else if (i == 0 && args[i].equals("reconcile")) {
                reconcile = true;
            } else if (reconcile && args[i].equals("--dry-run")) {
                dryRun = true;
            } else {
                System.err.println(USAGE + "\nUnknown argument " + args[i]);
                System.exit(2);
            }
        }
        SnapkeepConfig config;
        try {
            config = SnapkeepConfig.load(file, System.getenv());
        } catch (ConfigException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        if (reconcile) {
            System.exit(ReconcileCommand.run(config, dryRun, System.out, System.err));
            return;
        }
        serve(config);
    }

    private static void serve(SnapkeepConfig config) throws InterruptedException {
        // SIGTERM (and SIGINT) run this hook: the orderly stop. Registered before the start, so that a SIGTERM
        // during the start (recovery can take a while) stops the server once it is up rather than cutting the
        // start short. The H2 catalog is opened so that H2's own exit hook leaves it alone; the server closes it
        // last, after the engine has recorded how executions ended.
        CompletableFuture<SnapkeepServer> started = new CompletableFuture<>();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                started.join().close();
            } catch (CompletionException notStarted) {
                // Nothing is open: the start failed and closed what it had opened.
            }
        }, "snapkeep-shutdown"));
        SnapkeepServer server;
        try {
            server = SnapkeepServer.start(config, System.out::println);
            started.complete(server);
        } catch (Exception | Error e) {
            started.completeExceptionally(e);
            System.err.println("Snapkeep could not start: " + e.getMessage());
            System.exit(1);
            return;
        }
        server.join();
    }
}
