package io.snapkeep.core.error;

/** Input that breaks a rule: an id, an option, a filter, a sort key, a page. */
public class InvalidParameterException extends SnapkeepException {
    private static final long serialVersionUID = 1L;

    public InvalidParameterException(String message) {
        super(ErrorCode.BAD_PARAMETERS, message);
    }
}
