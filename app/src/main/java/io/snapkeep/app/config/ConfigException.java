package io.snapkeep.app.config;

import java.util.List;

/**
 * The configuration cannot be used: each problem names the key (and the environment variable, when the value
 * came from one) and what is allowed. Thrown before anything starts.
 */
public final class ConfigException extends RuntimeException {
    private final List<String> problems;

    ConfigException(List<String> problems) {
        super(problems.size() == 1
                ? "Invalid configuration: " + problems.get(0)
                : "Invalid configuration:\n  " + String.join("\n  ", problems));
        this.problems = List.copyOf(problems);
    }

    /** One line per problem, e.g. {@code storage.type: must be one of fs, s3, got "ftp"}. */
    public List<String> problems() {
        return problems;
    }
}
