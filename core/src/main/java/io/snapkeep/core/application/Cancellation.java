package io.snapkeep.core.application;

/**
 * The cancel flag of one running execution. Workflows call {@link #check()} between entries and inside long
 * copies; a cancel or a shutdown makes the next check throw.
 */
final class Cancellation {
    private volatile String reason;

    /** Asks the workflow to stop; the first reason wins. */
    void request(String why) {
        if (reason == null) {
            reason = why;
        }
    }

    void check() {
        String why = reason;
        if (why != null) {
            throw new StoppedException(why);
        }
    }

    /** Thrown inside a workflow to unwind it after a cancel or a shutdown. */
    static final class StoppedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        StoppedException(String why) {
            super(why, null, false, false);
        }
    }
}
