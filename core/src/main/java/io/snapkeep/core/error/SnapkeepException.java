package io.snapkeep.core.error;

import java.util.Objects;

/** The one root of every failure Snapkeep reports; unchecked, and always carrying a stable {@link ErrorCode}. */
public class SnapkeepException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final ErrorCode code;

    public SnapkeepException(ErrorCode code, String message) {
        this(code, message, null);
    }

    public SnapkeepException(ErrorCode code, String message, Throwable cause) {
        super(Objects.requireNonNull(message, "message"), cause);
        this.code = Objects.requireNonNull(code, "code");
    }

    public ErrorCode code() {
        return code;
    }
}
