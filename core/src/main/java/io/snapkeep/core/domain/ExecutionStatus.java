package io.snapkeep.core.domain;

import io.snapkeep.core.error.InvalidParameterException;

/** An execution's status, with the names of the API contract. */
public enum ExecutionStatus {
    PENDING("pending"),
    QUEUED("queued"),
    STARTED("started"),
    CANCELLING("cancelling"),
    FORCE_CANCELLING("force_cancelling"),
    TERMINATED("terminated"),
    FAILED("failed"),
    CANCELLED("cancelled");

    private final String wireName;

    ExecutionStatus(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** An end state: {@code terminated}, {@code failed} or {@code cancelled}. */
    public boolean isEnd() {
        return this == TERMINATED || this == FAILED || this == CANCELLED;
    }

    /** Not ended yet: waiting, running or being cancelled. */
    public boolean isActive() {
        return !isEnd();
    }

    /** Holding the single execution slot: past the queue and not ended. */
    public boolean holdsSlot() {
        return this == PENDING || this == STARTED || this == CANCELLING || this == FORCE_CANCELLING;
    }

    /** Cancel and force-cancel are allowed only from these. */
    public boolean isCancellable() {
        return this == PENDING || this == QUEUED || this == STARTED;
    }

    /** What the API shows as {@code status_display}: {@code completed} for {@code terminated}. */
    public String displayName() {
        return this == TERMINATED ? "completed" : wireName;
    }

    public static ExecutionStatus fromWireName(String name) {
        for (ExecutionStatus s : values()) {
            if (s.wireName.equals(name)) {
                return s;
            }
        }
        throw new InvalidParameterException("Unknown execution status `" + name + "`");
    }
}
