package io.snapkeep.core.error;

/**
 * Stable codes for every failure the core reports. Drivers translate them (the REST adapter maps each one
 * to an HTTP status and an {@code error_code}); the names never change once released.
 */
public enum ErrorCode {
    /** A snapshot or execution that does not exist. */
    NOT_FOUND,
    /** An id that is already taken. */
    CONFLICT,
    /** A malformed id, option, filter, sort key or page. */
    BAD_PARAMETERS,
    /** A field projection naming an unknown field. */
    NO_SUCH_INCLUDE_FIELD,
    /** An action the snapshot's status does not allow (failed, not ready, busy). */
    SNAPSHOT_ACTION,
    /** Another snapshot execution is active and queueing was not asked for. */
    EXISTING_RUNNING_EXECUTION,
    /** An action the execution's status does not allow (cancel of an ended execution). */
    ILLEGAL_ACTION,
    /** An archive that is not a valid snapkeep archive, or is damaged. */
    INVALID_ARCHIVE,
    /** The archive store or the catalog cannot be reached or refused the operation. */
    STORAGE_UNAVAILABLE,
    /** A broken invariant inside Snapkeep: a bug, never the caller's fault. */
    INTERNAL
}
