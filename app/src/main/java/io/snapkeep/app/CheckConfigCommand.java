package io.snapkeep.app;

import io.snapkeep.app.config.ConfigException;
import io.snapkeep.app.config.SnapkeepConfig;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@code java -jar snapkeep.jar check-config [--config f]}: reads the configuration the way a start does
 * (defaults, the file, the {@code SNAPKEEP_*} environment) without opening anything, and prints either the
 * effective settings or every problem found. Secrets never show: passwords, keys and hashes are printed as
 * {@code ******} (or {@code (unset)}), and a URL's user-info as {@code ******@}.
 *
 * <p>Exit codes: 0 the configuration is usable; 1 it is not (each problem on its own line).
 */
final class CheckConfigCommand {
    static final int OK = 0;
    static final int PROBLEMS = 1;
    /** {@code scheme://user:password@}: the settings print URLs whole, and an endpoint may carry credentials. */
    private static final Pattern USER_INFO = Pattern.compile("(://)[^/@\\s]+@");

    private CheckConfigCommand() {
    }

    static int run(Optional<Path> file, Map<String, String> env, PrintStream out) {
        SnapkeepConfig config;
        try {
            config = SnapkeepConfig.load(file, env);
        } catch (ConfigException e) {
            out.println("The configuration" + source(file) + " has " + e.problems().size() + " problem(s):");
            e.problems().forEach(p -> out.println("  " + p));
            return PROBLEMS;
        }
        out.println("The configuration" + source(file) + " is valid. Effective settings:");
        out.print(masked(config.describe()));
        return OK;
    }

    /** {@code text} with the user-info of every URL in it masked. */
    static String masked(String text) {
        return USER_INFO.matcher(text).replaceAll("$1" + io.snapkeep.core.support.Secrets.MASK + "@");
    }

    private static String source(Optional<Path> file) {
        return file.map(f -> " (" + f + " and the environment)").orElse(" (defaults and the environment)");
    }
}
