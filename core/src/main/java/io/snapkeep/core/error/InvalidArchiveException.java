package io.snapkeep.core.error;

/** An archive that is unreadable, damaged, or not a snapkeep archive; the message says what is wrong. */
public class InvalidArchiveException extends SnapkeepException {
    private static final long serialVersionUID = 1L;

    public InvalidArchiveException(String message) {
        super(ErrorCode.INVALID_ARCHIVE, message);
    }

    public InvalidArchiveException(String message, Throwable cause) {
        super(ErrorCode.INVALID_ARCHIVE, message, cause);
    }
}
