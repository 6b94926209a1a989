package io.snapkeep.storage.s3;

import io.minio.AbortMultipartUploadArgs;
import io.minio.BucketExistsArgs;
import io.minio.CreateBucketArgs;
import io.minio.CopyObjectArgs;
import io.minio.CreateMultipartUploadArgs;
import io.minio.GetObjectArgs;
import io.minio.GetObjectResponse;
import io.minio.Http;
import io.minio.MinioAsyncClient;
import io.minio.PutObjectAPIArgs;
import io.minio.RemoveObjectArgs;
import io.minio.SourceObject;
import io.minio.StatObjectArgs;
import io.minio.StatObjectResponse;
import io.snapkeep.core.error.NotFoundException;
import io.snapkeep.core.error.StorageUnavailableException;
import io.snapkeep.core.port.out.ArchiveStore;
import io.snapkeep.core.port.out.StoreKey;
import io.snapkeep.core.support.BulkWork;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;

/**
 * An {@link ArchiveStore} on an S3 bucket (AWS S3 or any S3-compatible server), through the MinIO Java SDK,
 * in the {@link S3Layout} under the key prefix: each archive is the object {@code <prefix>archives/<key>.zip},
 * its record {@code <prefix>records/<key>.json}. Writes stream as multipart uploads to the archive's name (see
 * {@link S3StagedWrite}), invisible until completed; records are single PUTs; reads are ranged GETs. Nothing
 * outside the layout's names is listed, changed or removed. Every SDK failure is reported as the core's
 * {@code StorageUnavailableException} naming the endpoint and bucket.
 */
public final class S3ArchiveStore implements ArchiveStore, AutoCloseable {
    /** How many times an open retries when the archive is replaced between its size lookup and its GET. */
    private static final int OPEN_ATTEMPTS = 3;

    /** Writing a record, deleting and adopting one key take its lock: no record lands after its archive went. */
    private static final ReentrantLock[] KEY_LOCKS = new ReentrantLock[64];

    static {
        for (int i = 0; i < KEY_LOCKS.length; i++) {
            KEY_LOCKS[i] = new ReentrantLock();
        }
    }

    private final S3Settings settings;
    private final S3Layout layout;
    private final OkHttpClient http;
    private final S3Client client;
    private final S3Calls calls;
    private final ExecutorService partUploads;
    /** Upload ids of this instance's live writes: removeStaged() must not touch them. */
    private final Set<String> liveUploads = ConcurrentHashMap.newKeySet();
    /** Writes starting an upload share it; removeStaged() takes it alone, so it never sees an unregistered one. */
    private final ReadWriteLock uploadRegistration = new ReentrantReadWriteLock();

    private S3ArchiveStore(S3Settings settings, Tuning tuning) {
        this.settings = settings;
        this.layout = new S3Layout(settings);
        Dispatcher dispatcher = new Dispatcher();
        // OkHttp allows 5 concurrent calls per host by default; parallel part uploads of concurrent writes need more.
        dispatcher.setMaxRequests(256);
        dispatcher.setMaxRequestsPerHost(256);
        OkHttpClient.Builder builder = new OkHttpClient.Builder()
                .dispatcher(dispatcher)
                .protocols(List.of(Protocol.HTTP_1_1))
                .connectTimeout(tuning.connectTimeout())
                .readTimeout(tuning.ioTimeout())
                .writeTimeout(tuning.ioTimeout());
        tuning.interceptors().forEach(builder::addInterceptor);
        this.http = builder.build();
        MinioAsyncClient.Builder minio = MinioAsyncClient.builder()
                .endpoint(settings.endpoint().toString())
                .region(settings.region())
                .httpClient(http, false);
        if (!settings.anonymous()) {
            minio.credentials(settings.accessKey(), settings.secretKey());
        }
        this.client = new S3Client(minio.build());
        if (settings.pathStyle()) {
            client.disableVirtualStyleEndpoint();
        } else {
            client.enableVirtualStyleEndpoint();
        }
        this.calls = new S3Calls(settings, tuning.firstBackoff());
        this.partUploads = Executors.newCachedThreadPool(BulkWork.threads("snapkeep-s3-part-upload"));
    }

    /**
     * Connects to the bucket: checks that it exists and that the credentials are accepted, and creates it
     * when it is missing and {@link S3Settings#createBucket()} asks for it.
     *
     * @throws StorageUnavailableException when the endpoint is unreachable, refuses the credentials, or the
     *                                     bucket is missing (and not to be created)
     */
    public static S3ArchiveStore connect(S3Settings settings) {
        return connect(settings, Tuning.DEFAULTS);
    }

    static S3ArchiveStore connect(S3Settings settings, Tuning tuning) {
        S3ArchiveStore store = new S3ArchiveStore(settings, tuning);
        try {
            store.prepareBucket();
            return store;
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    private void prepareBucket() {
        boolean exists = calls.call("check the bucket",
                () -> client.bucketExists(BucketExistsArgs.builder().bucket(bucket()).build()));
        if (exists) {
            return;
        }
        if (!settings.createBucket()) {
            throw new StorageUnavailableException(settings.where()
                    + ": the bucket does not exist; create it, or enable bucket creation in the settings");
        }
        calls.callUnless("create the bucket in region " + settings.region(), Set.of("BucketAlreadyOwnedByYou"),
                () -> Http.US_EAST_1.equals(settings.region())
                        ? client.createBucketWithoutLocationConstraint(bucket())
                        : client.createBucket(CreateBucketArgs.builder().bucket(bucket()).build())
                                .thenApply(response -> null));
    }

    @Override
    public StagedWrite beginWrite(StoreKey key) {
        return new S3StagedWrite(this, key, layout.archive(key), (int) settings.partSize(), settings.partsInFlight(),
                partUploads);
    }

    @Override
    public Optional<StoredArchive> stat(StoreKey key) {
        return head(key).map(head -> new StoredArchive(key, head.size()));
    }

    private Optional<StatObjectResponse> head(StoreKey key) {
        return head("archive '" + key + "'", layout.archive(key));
    }

    private Optional<StatObjectResponse> head(String what, String name) {
        return calls.callUnless("look up " + what, Set.of("NoSuchKey"),
                () -> client.statObject(StatObjectArgs.builder().bucket(bucket()).object(name).build()));
    }

    @Override
    public InputStream openRange(StoreKey key, long offset, long length) {
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("Offset and length must not be negative, but were " + offset
                    + " and " + length);
        }
        String name = layout.archive(key);
        for (int attempt = 1; ; attempt++) {
            StatObjectResponse head = head(key).orElseThrow(() -> new NotFoundException(
                    "No archive under key '" + key + "' in " + settings.where()));
            if (offset > head.size()) {
                throw new IllegalArgumentException("Offset " + offset + " is past the end of archive '" + key
                        + "' (" + head.size() + " bytes)");
            }
            long n = Math.min(length, head.size() - offset);
            if (n == 0) {
                return InputStream.nullInputStream();
            }
            // The ETag pins the generation that was measured: if the archive is replaced in between, the GET
            // fails its precondition instead of returning a range of a different archive.
            Optional<GetObjectResponse> body = calls.callUnless("read archive '" + key + "'",
                    Set.of("NoSuchKey", "PreconditionFailed"),
                    () -> client.getObject(GetObjectArgs.builder().bucket(bucket()).object(name)
                            .offset(offset).length(n).matchETag(head.etag()).build()));
            if (body.isPresent()) {
                return RangedBody.of(body.get(), offset, n, "Archive '" + key + "' in " + settings.where());
            }
            if (attempt == OPEN_ATTEMPTS) {
                throw new StorageUnavailableException(settings.where() + ": archive '" + key
                        + "' kept changing while it was being opened");
            }
        }
    }

    /**
     * The record, then the archive, then the previous release's copy: one DELETE of each exact name, which S3
     * answers alike whether or not the object was there.
     */
    @Override
    public void delete(StoreKey key) {
        String archive = layout.archive(key);
        ReentrantLock lock = lockOf(archive);
        lock.lock();
        try {
            remove("delete the record of archive '" + key + "'", layout.record(key));
            remove("delete archive '" + key + "'", archive);
        } finally {
            lock.unlock();
        }
    }

    private void remove(String action, String name) {
        calls.call(action, () -> client.removeObject(RemoveObjectArgs.builder().bucket(bucket()).object(name).build()));
    }

    /** One PUT: S3 shows the old record or the new one, whole. */
    @Override
    public void writeRecord(StoreKey key, byte[] record) {
        String archive = layout.archive(key);
        String name = layout.record(key);
        byte[] bytes = record.clone();
        ReentrantLock lock = lockOf(archive);
        lock.lock();
        try {
            if (head(key).isEmpty()) {
                throw new NotFoundException("No archive under key '" + key + "' in " + settings.where()
                        + ": a record is only written for a committed archive");
            }
            calls.call("write the record of archive '" + key + "'", () -> client.putObject(PutObjectAPIArgs.builder()
                    .bucket(bucket()).object(name).data(bytes, bytes.length).contentType("application/json").build()));
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Optional<byte[]> readRecord(StoreKey key) {
        String name = layout.record(key);
        String action = "read the record of archive '" + key + "'";
        return calls.callUnless(action, Set.of("NoSuchKey"), () -> client.getObject(GetObjectArgs.builder()
                        .bucket(bucket()).object(name).build())
                .thenApply(body -> {
                    try (body) {
                        return body.readAllBytes();
                    } catch (IOException e) {
                        throw new CompletionException(e); // retried as any I/O failure is
                    }
                }));
    }

    /**
     * Looks at {@code <legacyPrefix><key>} only: when it is there and the layout holds no archive of the key,
     * a server-side copy to the layout's name (pinned to the measured generation), checked, then the old
     * object deleted.
     */
    @Override
    public Optional<StoredArchive> adoptLegacy(StoreKey key) {
        String target = layout.archive(key);
        String legacy = layout.legacy(key);
        ReentrantLock lock = lockOf(target);
        lock.lock();
        try {
            if (head(key).isPresent()) {
                return Optional.empty();
            }
            Optional<StatObjectResponse> old = head("the previous release's archive '" + key + "'", legacy);
            if (old.isEmpty()) {
                return Optional.empty();
            }
            // The measured size and ETag go with the source, so the copy is of that generation or fails.
            SourceObject source = new SourceObject(SourceObject.builder().bucket(bucket()).object(legacy)
                    .matchETag(old.get().etag()).build(), old.get().size(), old.get().etag());
            calls.call("copy the previous release's archive '" + key + "' into the layout", () -> client.copyObject(
                    CopyObjectArgs.builder().bucket(bucket()).object(target).source(source).build()));
            long size = head(key).map(StatObjectResponse::size).orElse(-1L);
            if (size != old.get().size()) {
                throw new StorageUnavailableException(settings.where() + ": the copy of the previous release's"
                        + " archive '" + key + "' has " + size + " bytes, not " + old.get().size()
                        + "; the old object is kept");
            }
            remove("delete the previous release's archive '" + key + "' after its copy", legacy);
            return Optional.of(new StoredArchive(key, size));
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Inventory inventory() {
        return S3Listing.inventory(client, calls, bucket(), layout);
    }

    @Override
    public void probe() {
        S3Listing.probe(client, calls, bucket(), layout);
    }

    /**
     * Lists the pending multipart uploads to layout archive names, then asks {@code keysInUse} once, then
     * aborts those listed that this instance does not own and whose key is not in use (in a cluster, another
     * node's live write is only told from a dead one's by its key). An upload to any other name, under the
     * prefix or not, is never touched; one that ended meanwhile is not counted.
     */
    @Override
    public int removeStaged(Supplier<Set<StoreKey>> keysInUse) {
        List<S3Listing.PendingUpload> listed;
        uploadRegistration.writeLock().lock();
        try {
            listed = S3Listing.pendingUploads(client, calls, bucket(), layout).stream()
                    .filter(upload -> !liveUploads.contains(upload.uploadId()))
                    .toList();
        } finally {
            // released before asking: the answer may take time, and this instance's writes must go on meanwhile
            uploadRegistration.writeLock().unlock();
        }
        Set<StoreKey> inUse = keysInUse.get();
        int removed = 0;
        for (S3Listing.PendingUpload upload : listed) {
            if (!inUse.contains(upload.key())) {
                boolean aborted = calls.callUnless("abort pending upload of '" + upload.objectName() + "'",
                        Set.of("NoSuchUpload"), () -> client.abortMultipartUpload(AbortMultipartUploadArgs.builder()
                                .bucket(bucket()).object(upload.objectName()).uploadId(upload.uploadId()).build()))
                        .isPresent();
                removed += aborted ? 1 : 0;
            }
        }
        return removed;
    }

    /** Stops background part uploads and releases the HTTP client's threads and connections. */
    @Override
    public void close() {
        partUploads.shutdownNow();
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }

    /** Starts a multipart upload for a write and registers it as live. */
    String startUpload(StoreKey key, String objectName) {
        uploadRegistration.readLock().lock();
        try {
            String id = calls.call("start the upload of archive '" + key + "'", () -> client.createMultipartUpload(
                    CreateMultipartUploadArgs.builder().bucket(bucket()).object(objectName).build()))
                    .result().uploadId();
            liveUploads.add(id);
            return id;
        } finally {
            uploadRegistration.readLock().unlock();
        }
    }

    void uploadEnded(String uploadId) {
        liveUploads.remove(uploadId);
    }

    S3Client client() {
        return client;
    }

    S3Calls calls() {
        return calls;
    }

    String bucket() {
        return settings.bucket();
    }

    private ReentrantLock lockOf(String objectName) {
        return KEY_LOCKS[Math.floorMod(Objects.hash(settings.endpoint(), bucket(), objectName), KEY_LOCKS.length)];
    }
}
