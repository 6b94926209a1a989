package io.snapkeep.core.error;

/** An action that the snapshot's current status does not allow. */
public class SnapshotActionException extends SnapkeepException {
    private static final long serialVersionUID = 1L;

    public SnapshotActionException(String message) {
        super(ErrorCode.SNAPSHOT_ACTION, message);
    }
}
