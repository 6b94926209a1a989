package io.snapkeep.core.error;

/** An action that the execution's current status does not allow. */
public class IllegalActionException extends SnapkeepException {
    private static final long serialVersionUID = 1L;

    public IllegalActionException(String message) {
        super(ErrorCode.ILLEGAL_ACTION, message);
    }
}
