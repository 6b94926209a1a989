package io.snapkeep.core.domain;

/**
 * What kind of state a participant holds. {@link #STATE} is always in a snapshot; the others are selected
 * by the create options.
 */
public enum StateCategory {
    STATE,
    CREDENTIALS,
    METRICS,
    LOGS,
    EVENTS
}
