package io.snapkeep.core.error;

/** The archive store or catalog cannot do its work now (unreachable, locked, full, denied). */
public class StorageUnavailableException extends SnapkeepException {
    private static final long serialVersionUID = 1L;

    public StorageUnavailableException(String message) {
        super(ErrorCode.STORAGE_UNAVAILABLE, message);
    }

    public StorageUnavailableException(String message, Throwable cause) {
        super(ErrorCode.STORAGE_UNAVAILABLE, message, cause);
    }
}
