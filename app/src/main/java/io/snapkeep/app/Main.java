package io.snapkeep.app;

import io.snapkeep.app.config.ConfigException;
import io.snapkeep.app.config.SnapkeepConfig;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Starts Snapkeep: {@code java -jar snapkeep.jar [--config snapkeep.yaml]}. For now it loads and prints the
 * effective settings (secrets hidden) and stops; the server is wired here next.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
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
        System.out.println("Snapkeep settings:");
        System.out.print(config.describe());
        System.out.println("The server wiring is coming next; exiting without serving.");
    }
}
