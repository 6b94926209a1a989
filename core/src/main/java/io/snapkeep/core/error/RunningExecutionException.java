package io.snapkeep.core.error;

/** Another snapshot execution is active and the caller did not ask to queue. */
public class RunningExecutionException extends SnapkeepException {
    private static final long serialVersionUID = 1L;

    public RunningExecutionException(String message) {
        super(ErrorCode.EXISTING_RUNNING_EXECUTION, message);
    }
}
