package io.snapkeep.storage.s3;

import io.minio.AbortMultipartUploadArgs;
import io.minio.CompleteMultipartUploadArgs;
import io.minio.Http;
import io.minio.PutObjectAPIArgs;
import io.minio.UploadPartArgs;
import io.minio.messages.Part;
import io.snapkeep.core.error.SnapkeepException;
import io.snapkeep.core.error.StorageUnavailableException;
import io.snapkeep.core.port.out.ArchiveStore.StagedWrite;
import io.snapkeep.core.port.out.ArchiveStore.StoredArchive;
import io.snapkeep.core.port.out.StoreKey;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.CRC32C;

/**
 * One archive being written: bytes collect in part-sized buffers; a full buffer uploads as a multipart part
 * in the background while the caller fills the next. At most {@code partsInFlight} buffers exist, so memory
 * is bounded by {@code partsInFlight * partSize} whatever the archive's size.
 *
 * <p>Nothing is visible under the key until {@link #commit()}: S3 shows a multipart upload only when it is
 * completed, and completing it is the commit. A write that never fills one part is stored with a single PUT
 * at commit, which is just as atomic.
 */
final class S3StagedWrite implements StagedWrite {
    private static final int FIRST_BUFFER_SIZE = 64 * 1024;
    private static final System.Logger LOG = System.getLogger(S3StagedWrite.class.getName());

    private enum State { OPEN, COMMITTED, DISCARDED }

    private final S3ArchiveStore store;
    private final StoreKey key;
    private final String objectName;
    private final int partSize;
    private final int maxBuffers;
    private final ExecutorService partUploads;
    private final BlockingQueue<byte[]> freeBuffers;
    private final List<Future<Part>> parts = new ArrayList<>();
    private final AtomicReference<RuntimeException> partFailure = new AtomicReference<>();
    private final OutputStream stream = new PartStream();

    private State state = State.OPEN;
    private volatile boolean discarding;
    private int buffers = 1;
    private byte[] current = new byte[FIRST_BUFFER_SIZE];
    private int filled;
    /** The current part's CRC32C, taken as its bytes are copied in, while they are still in the cache. */
    private final CRC32C partChecksum = new CRC32C();
    private long total;
    private String uploadId;

    S3StagedWrite(S3ArchiveStore store, StoreKey key, String objectName, int partSize, int partsInFlight,
                  ExecutorService partUploads) {
        this.store = store;
        this.key = key;
        this.objectName = objectName;
        this.partSize = partSize;
        this.maxBuffers = partsInFlight;
        this.partUploads = partUploads;
        this.freeBuffers = new ArrayBlockingQueue<>(partsInFlight);
    }

    @Override
    public OutputStream stream() {
        return stream;
    }

    @Override
    public StoredArchive commit() {
        if (state != State.OPEN) {
            throw new IllegalStateException("The write of archive '" + key + "' is already "
                    + (state == State.COMMITTED ? "committed" : "aborted"));
        }
        try {
            if (uploadId == null) {
                byte[] bytes = current;
                int length = filled;
                store.calls().call("store archive '" + key + "'", () -> store.client().putObject(
                        PutObjectAPIArgs.builder().bucket(store.bucket()).object(objectName)
                                .data(bytes, length).build()));
            } else {
                if (filled > 0) {
                    submitPart();
                }
                Part[] done = awaitParts();
                String id = uploadId;
                store.calls().call("complete the upload of archive '" + key + "'", () -> store.client()
                        .completeMultipartUpload(CompleteMultipartUploadArgs.builder().bucket(store.bucket())
                                .object(objectName).uploadId(id).parts(done).build()));
                store.uploadEnded(uploadId);
            }
            state = State.COMMITTED;
            current = null;
            return new StoredArchive(key, total);
        } catch (RuntimeException e) {
            discard();
            if (S3Calls.hasErrorCode(e, "NoSuchUpload")) {
                // what a write of a node taken for dead sees: another node's clean-up aborted its upload
                throw new StorageUnavailableException(store.calls().where() + ": could not commit archive '" + key
                        + "': its pending upload was aborted while it was being written, by a clean-up that found"
                        + " its key not in use; nothing was committed", e);
            }
            throw e instanceof SnapkeepException ? e
                    : store.calls().translate("commit archive '" + key + "'", e, 1);
        }
    }

    @Override
    public void abort() {
        if (state == State.OPEN) {
            discard();
        }
    }

    /** Stops the background uploads, then aborts the multipart upload so that no part lingers. */
    private void discard() {
        state = State.DISCARDED;
        discarding = true;
        current = null;
        for (Future<Part> part : parts) {
            // Parts already sending finish first: a part landing after the abort would linger unseen.
            try {
                part.get();
            } catch (ExecutionException | CancellationException ignored) {
                // the part failed or never started; either way it is gone
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (uploadId == null) {
            return;
        }
        String id = uploadId;
        try {
            store.calls().callUnless("abort the upload of archive '" + key + "'", Set.of("NoSuchUpload"),
                    () -> store.client().abortMultipartUpload(AbortMultipartUploadArgs.builder()
                            .bucket(store.bucket()).object(objectName).uploadId(id).build()));
        } catch (RuntimeException e) {
            // Nothing is visible anyway; the pending upload is removed by removeStaged() at next start.
            LOG.log(System.Logger.Level.WARNING, "Could not abort pending upload " + id + " of archive '" + key
                    + "'; it will be removed as a leftover: " + e.getMessage());
        } finally {
            store.uploadEnded(id);
        }
    }

    private void write(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (state != State.OPEN) {
            throw new IOException("The write of archive '" + key + "' is already "
                    + (state == State.COMMITTED ? "committed" : "aborted"));
        }
        throwIfAPartFailed();
        while (len > 0) {
            int n = Math.min(len, partSize - filled);
            if (filled + n > current.length) {
                current = Arrays.copyOf(current, Math.min(partSize, Math.max(filled + n, current.length * 2)));
            }
            System.arraycopy(b, off, current, filled, n);
            partChecksum.update(current, filled, n);
            filled += n;
            total += n;
            off += n;
            len -= n;
            if (filled == partSize) {
                startUploadIfNeeded();
                submitPart();
                current = nextBuffer();
                throwIfAPartFailed();
            }
        }
    }

    private void startUploadIfNeeded() throws IOException {
        if (uploadId == null) {
            try {
                uploadId = store.startUpload(key, objectName);
            } catch (RuntimeException e) {
                throw new IOException(e.getMessage(), e);
            }
        }
    }

    /** Hands the current buffer to a background upload as the next part. */
    private void submitPart() {
        int number = parts.size() + 1;
        byte[] bytes = current;
        int length = filled;
        String id = uploadId;
        Http.Headers headers = new Http.Headers(partHeaders(partChecksum.getValue()));
        partChecksum.reset();
        current = null;
        filled = 0;
        parts.add(partUploads.submit(() -> {
            try {
                if (discarding || partFailure.get() != null) {
                    throw new CancellationException("write of archive '" + key + "' ended");
                }
                String etag = store.calls().call("upload part " + number + " of archive '" + key + "'",
                        () -> store.client().uploadPart(UploadPartArgs.builder().bucket(store.bucket())
                                .object(objectName).uploadId(id).partNumber(number).data(bytes, length).headers(headers).build()))
                        .part().etag();
                // Only number and ETag: checksums in CompleteMultipartUpload would need the upload to have
                // been created with a checksum algorithm.
                return new Part(number, etag);
            } catch (RuntimeException e) {
                partFailure.compareAndSet(null, e);
                throw e;
            } finally {
                freeBuffers.add(bytes);
            }
        }));
    }

    /**
     * The headers that spare each part a second pass over its bytes. Without them the SDK hashes every part
     * with SHA-256 over plain HTTP to sign its payload, or with its own byte-at-a-time CRC32C over HTTPS: on a
     * machine whose cores also run the archive's digests (and perhaps the S3 server), that pass is the
     * upload's largest CPU cost. The payload is left unsigned, as the SDK leaves it over HTTPS anyway, and
     * bound instead by the CRC32C taken while the part was filled: the header is signed, and the server
     * refuses a part whose bytes do not match it. They go in the part's own headers, the only place the SDK
     * looks before it hashes.
     */
    static Map<String, String> partHeaders(long crc32c) {
        byte[] sum = {(byte) (crc32c >>> 24), (byte) (crc32c >>> 16), (byte) (crc32c >>> 8), (byte) crc32c};
        return Map.of(
                "x-amz-content-sha256", "UNSIGNED-PAYLOAD",
                "x-amz-checksum-crc32c", Base64.getEncoder().encodeToString(sum),
                "x-amz-sdk-checksum-algorithm", "CRC32C");
    }

    private byte[] nextBuffer() throws IOException {
        byte[] free = freeBuffers.poll();
        if (free != null) {
            return free;
        }
        if (buffers < maxBuffers) {
            buffers++;
            return new byte[partSize];
        }
        try {
            // Back-pressure: the caller waits until a part has finished uploading.
            return freeBuffers.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("Interrupted while writing archive '" + key + "'");
        }
    }

    private Part[] awaitParts() {
        Part[] done = new Part[parts.size()];
        for (int i = 0; i < done.length; i++) {
            try {
                done[i] = parts.get(i).get();
            } catch (ExecutionException e) {
                RuntimeException failure = partFailure.get();
                throw failure != null ? failure
                        : store.calls().translate("upload archive '" + key + "'", e.getCause(), 1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw store.calls().translate("upload archive '" + key + "' (interrupted)", e, 1);
            }
        }
        return done;
    }

    private void throwIfAPartFailed() throws IOException {
        RuntimeException failure = partFailure.get();
        if (failure != null) {
            throw new IOException(failure.getMessage(), failure);
        }
    }

    /** The caller's view: an OutputStream whose close() does nothing, because commit() finishes the write. */
    private final class PartStream extends OutputStream {
        @Override
        public void write(int b) throws IOException {
            S3StagedWrite.this.write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            S3StagedWrite.this.write(b, off, len);
        }
    }
}
