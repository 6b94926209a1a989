package io.snapkeep.core.domain;

import io.snapkeep.core.error.InvalidParameterException;

/** The two workflows a snapshot execution runs. */
public enum Workflow {
    CREATE_SNAPSHOT("create_snapshot"),
    RESTORE_SNAPSHOT("restore_snapshot");

    private final String wireName;

    Workflow(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Workflow fromWireName(String name) {
        for (Workflow w : values()) {
            if (w.wireName.equals(name)) {
                return w;
            }
        }
        throw new InvalidParameterException("Unknown workflow `" + name + "`");
    }
}
