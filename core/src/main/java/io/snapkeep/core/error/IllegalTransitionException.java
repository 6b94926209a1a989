package io.snapkeep.core.error;

/**
 * A status change the domain forbids (for example {@code created} back to {@code creating}). Reaching one
 * is a bug in the caller, so it reports as {@link ErrorCode#INTERNAL}.
 */
public class IllegalTransitionException extends SnapkeepException {
    private static final long serialVersionUID = 1L;

    public IllegalTransitionException(String message) {
        super(ErrorCode.INTERNAL, message);
    }
}
