package io.snapkeep.app;

import io.snapkeep.app.config.ConfigException;
import io.snapkeep.app.config.SnapkeepConfig;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.bridge.SLF4JBridgeHandler;

/** {@code java -jar snapkeep.jar [--config snapkeep.yaml]}: starts the server and serves until stopped. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) throws Exception {
        // Libraries that log through java.util.logging (Jersey, HK2) reach the one binding through this bridge;
        // the core's System.Logger reaches it through the platform-logging provider on the class path.
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();
        Optional<Path> file = Optional.empty();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--config") && i + 1 < args.length) {
                file = Optional.of(Path.of(args[++i]));
            } else if (args[i].startsWith("--config=")) {
                file = Optional.of(Path.of(args[i].substring("--config=".length())));
            } else {
                System.err.println("Usage: java -jar snapkeep.jar [--config <file.yaml>]; unknown argument " + args[i]);
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
        SnapkeepServer server;
        try {
            server = SnapkeepServer.start(config, System.out::println);
        } catch (Exception e) {
            System.err.println("Snapkeep could not start: " + e.getMessage());
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "snapkeep-shutdown"));
        server.join();
    }
}
