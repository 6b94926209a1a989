package io.snapkeep.app.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * One reading of the configuration tree: what its {@link Section}s share (the environment, every problem
 * found, the environment variables they asked for), so that the problems of the whole tree are reported
 * together and the {@code SNAPKEEP_*} variables nobody asked for are named.
 */
final class Reading {
    private final Map<String, String> env;
    private final List<String> problems = new ArrayList<>();
    private final Set<String> knownEnv = new TreeSet<>();

    Reading(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    /** The top of the tree: its keys may be overridden by the environment. */
    Section root(JsonNode node) {
        return new Section(this, node, "", true);
    }

    Map<String, String> env() {
        return env;
    }

    /** Remembers that {@code variable} is one the configuration reads. */
    void known(String variable) {
        knownEnv.add(variable);
    }

    void problem(String text) {
        problems.add(text);
    }

    List<String> problems() {
        return problems;
    }

    /** Names every {@code SNAPKEEP_*} variable that no section asked for. */
    void reportUnknownEnvironment() {
        for (String variable : new TreeSet<>(env.keySet())) {
            if (variable.startsWith(Section.ENV_PREFIX) && !knownEnv.contains(variable)) {
                problems.add(variable + ": unknown environment variable; known ones are "
                        + String.join(", ", knownEnv));
            }
        }
    }
}
