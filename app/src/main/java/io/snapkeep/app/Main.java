package io.snapkeep.app;

import io.snapkeep.app.config.ConfigException;
import io.snapkeep.app.config.SnapkeepConfig;
import io.snapkeep.app.logging.LogSetup;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * {@code java -jar snapkeep.jar [command] [options]}; {@link CommandLine#USAGE} lists them. Without a
 * command it serves until stopped (SIGTERM stops it in order, see {@link SnapkeepServer#close()});
 * {@code reconcile} is {@link ReconcileCommand}, {@code check-config} {@link CheckConfigCommand},
 * {@code hash-password} {@link HashPasswordCommand}.
 *
 * <p>Exit codes: 0 served and stopped (or the command did its work, or help and version); 1 could not start,
 * or a command's own 1; 2 a bad command line, or a bad configuration for serving or reconciling.
 */
public final class Main {
    static final String USAGE = CommandLine.USAGE;
    static final int BAD_USAGE = 2;
    private static final org.slf4j.Logger ANNOUNCE = org.slf4j.LoggerFactory.getLogger("io.snapkeep.admin");

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        CommandLine line;
        try {
            line = CommandLine.parse(args);
        } catch (CommandLine.Refused e) {
            System.err.println("snapkeep: " + e.getMessage() + "\n\n" + USAGE);
            System.exit(BAD_USAGE);
            return;
        }
        switch (line.command()) {
            case HELP -> {
                System.out.println(USAGE);
                System.exit(0);
            }
            case VERSION -> {
                System.out.println("Snapkeep " + SnapkeepServer.VERSION);
                System.exit(0);
            }
            case HASH_PASSWORD -> System.exit(HashPasswordCommand.run(System.console(), System.in, System.out,
                    System.err));
            case CHECK_CONFIG -> System.exit(CheckConfigCommand.run(line.config(), System.getenv(), System.out));
            case RECONCILE, SERVE -> {
                SnapkeepConfig config;
                try {
                    config = SnapkeepConfig.load(line.config(), System.getenv());
                } catch (ConfigException e) {
                    System.err.println(e.getMessage());
                    System.exit(BAD_USAGE);
                    return;
                }
                // A command's report is its standard output: its log lines go to standard error.
                boolean reconcile = line.command() == CommandLine.Command.RECONCILE;
                LogSetup.configure(config.logging().json(), config.logging().levels(), reconcile);
                // Libraries that log through java.util.logging (Jersey, HK2) reach the one binding through this
                // bridge; the core's System.Logger reaches it through the platform-logging provider.
                SLF4JBridgeHandler.removeHandlersForRootLogger();
                SLF4JBridgeHandler.install();
                if (reconcile) {
                    System.exit(ReconcileCommand.run(config, line.dryRun(), System.out, System.err));
                    return;
                }
                serve(config);
            }
        }
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
            // Through the log, so that in JSON lines it is a JSON line too; warn, as the operator must act on it.
            server = SnapkeepServer.start(config, ANNOUNCE::warn);
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
