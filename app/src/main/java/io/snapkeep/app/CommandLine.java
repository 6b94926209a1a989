package io.snapkeep.app;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The command line of {@code java -jar snapkeep.jar}, parsed: which command, which configuration file and,
 * for {@code reconcile}, whether it is a dry run. Parsing never exits; {@link Main} decides what a refused
 * command line does (exit 2 with the usage).
 */
record CommandLine(Command command, Optional<Path> config, boolean dryRun) {

    /** The commands, each with the word that names it on the command line. */
    enum Command {
        SERVE("serve", true),
        RECONCILE("reconcile", true),
        CHECK_CONFIG("check-config", true),
        HASH_PASSWORD("hash-password", false),
        HELP("help", false),
        VERSION("version", false);

        final String word;
        /** Whether it reads the configuration, and so takes {@code --config}. */
        final boolean readsConfig;

        Command(String word, boolean readsConfig) {
            this.word = word;
            this.readsConfig = readsConfig;
        }

        static Optional<Command> named(String word) {
            for (Command c : values()) {
                if (c.word.equals(word)) {
                    return Optional.of(c);
                }
            }
            return Optional.empty();
        }
    }

    static final String USAGE = """
            Usage: java -jar snapkeep.jar [serve] [--config <file.yaml>]
                   java -jar snapkeep.jar reconcile [--dry-run] [--config <file.yaml>]
                   java -jar snapkeep.jar check-config [--config <file.yaml>]
                   java -jar snapkeep.jar hash-password
                   java -jar snapkeep.jar --help | --version

            Commands:
              serve          serve the Snapshots API until stopped (SIGTERM stops in order); the default
              reconcile      bring the catalog in line with the archive store, without serving; the server
                             must be stopped first when the catalog is an embedded H2 file
              check-config   read the configuration, print the effective settings with every secret masked;
                             exit 1 listing every problem found
              hash-password  read a password (from the console without echo, or from standard input) and
                             print its hash for a user's password_hash in the configuration
              help           print this text (also --help, -h)
              version        print the version (also --version, -V)

            Options:
              --config <file.yaml>  the configuration file (also --config=<file.yaml>); every key can also be
                                    set by a SNAPKEEP_* environment variable, which wins over the file
              --dry-run             reconcile: only tell what would change; exit 1 if anything would

            Exit codes: 0 done; 1 failed (could not start, check-config found problems, reconcile left
            something unsettled); 2 a bad command line, or (serve, reconcile) a bad configuration.""";

    /** A command line that cannot be run; the message says why. */
    static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message, null, false, false);
        }
    }

    static CommandLine parse(String... args) throws Refused {
        Command command = null;
        Optional<Path> config = Optional.empty();
        boolean dryRun = false;
        boolean help = false;
        boolean version = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--help") || arg.equals("-h")) {
                help = true;
            } else if (arg.equals("--version") || arg.equals("-V")) {
                version = true;
            } else if (arg.equals("--config") || arg.startsWith("--config=")) {
                String value;
                if (arg.equals("--config")) {
                    if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
                        throw new Refused("--config needs a file name");
                    }
                    value = args[++i];
                } else {
                    value = arg.substring("--config=".length());
                }
                if (value.isEmpty()) {
                    throw new Refused("--config needs a file name");
                }
                if (config.isPresent()) {
                    throw new Refused("--config is given more than once");
                }
                config = Optional.of(path(value));
            } else if (arg.equals("--dry-run")) {
                dryRun = true;
            } else if (command == null && !arg.startsWith("-") && Command.named(arg).isPresent()) {
                command = Command.named(arg).get();
            } else {
                throw new Refused("unknown argument " + quoted(arg));
            }
        }
        if (help || command == Command.HELP) {
            return new CommandLine(Command.HELP, Optional.empty(), false);
        }
        if (version || command == Command.VERSION) {
            return new CommandLine(Command.VERSION, Optional.empty(), false);
        }
        Command chosen = command == null ? Command.SERVE : command;
        if (dryRun && chosen != Command.RECONCILE) {
            throw new Refused("--dry-run belongs to reconcile only");
        }
        if (config.isPresent() && !chosen.readsConfig) {
            throw new Refused(chosen.word + " reads no configuration: --config does not apply");
        }
        return new CommandLine(chosen, config, dryRun);
    }

    private static Path path(String value) throws Refused {
        try {
            return Path.of(value);
        } catch (java.nio.file.InvalidPathException e) {
            throw new Refused("--config: not a file name: " + quoted(value));
        }
    }

    /** The argument for a message, cut short and without control characters: it is echoed to a terminal. */
    private static String quoted(String arg) {
        String shown = arg.length() > 80 ? arg.substring(0, 80) + "..." : arg;
        return "\"" + shown.replaceAll("\\p{Cntrl}", "?") + "\"";
    }
}
