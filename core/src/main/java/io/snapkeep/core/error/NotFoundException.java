package io.snapkeep.core.error;

/** A snapshot or execution that does not exist. */
public class NotFoundException extends SnapkeepException {
    private static final long serialVersionUID = 1L;

    public NotFoundException(String message) {
        super(ErrorCode.NOT_FOUND, message);
    }
}
