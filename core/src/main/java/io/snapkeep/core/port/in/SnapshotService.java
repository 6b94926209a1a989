package io.snapkeep.core.port.in;

/** Every use case a driver (the REST adapter, a host service) can call, in one type. */
public interface SnapshotService extends CreateSnapshot, RestoreSnapshot, UploadSnapshot, DownloadSnapshot,
        DeleteSnapshot, VerifySnapshot, QuerySnapshots, QueryExecutions, CancelExecution {
}
