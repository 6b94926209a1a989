package io.snapkeep.core.error;

/** An id that is already taken; catalogs throw it when an insert loses. */
public class AlreadyExistsException extends SnapkeepException {
    private static final long serialVersionUID = 1L;

    public AlreadyExistsException(String message) {
        super(ErrorCode.CONFLICT, message);
    }
}
