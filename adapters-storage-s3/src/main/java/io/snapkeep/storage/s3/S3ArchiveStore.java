package io.snapkeep.storage.s3;

import io.minio.AbortMultipartUploadArgs;
import io.minio.BucketExistsArgs;
import io.minio.CreateBucketArgs;
import io.minio.CreateMultipartUploadArgs;
import io.minio.GetObjectArgs;
import io.minio.GetObjectResponse;
import io.minio.Http;
import io.minio.ListMultipartUploadsArgs;
import io.minio.ListObjectsArgs;
import io.minio.MinioAsyncClient;
import io.minio.RemoveObjectArgs;
import io.minio.Result;
import io.minio.StatObjectArgs;
import io.minio.StatObjectResponse;
import io.minio.messages.Item;
import io.minio.messages.ListMultipartUploadsResult;
import io.snapkeep.core.error.NotFoundException;
import io.snapkeep.core.error.StorageUnavailableException;
import io.snapkeep.core.port.out.ArchiveStore;
import io.snapkeep.core.port.out.StoreKey;
import io.snapkeep.core.support.DaemonThreads;
import io.snapkeep.core.support.Printable;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.HashMap;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;

/**
 * An {@link ArchiveStore} on an S3 bucket (AWS S3 or any S3-compatible server), through the MinIO Java SDK.
 * Each archive is one object named {@code keyPrefix + key}. Writes stream as multipart uploads (see
 * {@link S3StagedWrite}); reads are ranged GETs. Every SDK failure is reported as the core's
 * {@code StorageUnavailableException} naming the endpoint and bucket.
 */
public final class S3ArchiveStore implements ArchiveStore, AutoCloseable {
    /** How many times an open retries when the archive is replaced between its size lookup and its GET. */
    private static final int OPEN_ATTEMPTS = 3;

    private final S3Settings settings;
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
        this.partUploads = Executors.newCachedThreadPool(DaemonThreads.named("snapkeep-s3-part-upload"));
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
        return new S3StagedWrite(this, key, objectName(key), (int) settings.partSize(), settings.partsInFlight(),
                partUploads);
    }

    @Override
    public Optional<StoredArchive> stat(StoreKey key) {
        return head(key).map(head -> new StoredArchive(key, head.size()));
    }

    private Optional<StatObjectResponse> head(StoreKey key) {
        String name = objectName(key);
        return calls.callUnless("look up archive '" + key + "'", Set.of("NoSuchKey"),
                () -> client.statObject(StatObjectArgs.builder().bucket(bucket()).object(name).build()));
    }

    @Override
    public InputStream openRange(StoreKey key, long offset, long length) {
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("Offset and length must not be negative, but were " + offset
                    + " and " + length);
        }
        String name = objectName(key);
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
                return body.get();
            }
            if (attempt == OPEN_ATTEMPTS) {
                throw new StorageUnavailableException(settings.where() + ": archive '" + key
                        + "' kept changing while it was being opened");
            }
        }
    }

    /** One DELETE: S3 answers it alike whether or not the object was there. */
    @Override
    public void delete(StoreKey key) {
        String name = objectName(key);
        calls.call("delete archive '" + key + "'",
                () -> client.removeObject(RemoveObjectArgs.builder().bucket(bucket()).object(name).build()));
    }

    @Override
    public Inventory inventory() {
        Map<StoreKey, StoredArchive> archives = new HashMap<>();
        for (StoreKey key : keys()) {
            stat(key).ifPresent(a -> archives.put(key, a));
        }
        return new Inventory(archives, Set.of());
    }

    @Override
    public void writeRecord(StoreKey key, byte[] record) {
        throw new UnsupportedOperationException("records are not kept by this store yet");
    }

    @Override
    public Optional<byte[]> readRecord(StoreKey key) {
        return Optional.empty();
    }

    @Override
    public Optional<StoredArchive> adoptLegacy(StoreKey key) {
        return Optional.empty();
    }

    private List<StoreKey> keys() {
        return calls.call("list archives", () -> S3Calls.now(() -> {
            List<StoreKey> keys = new ArrayList<>();
            // Not recursive: deeper "directories" under the prefix are not archives of this store.
            for (Result<Item> result : client.listObjects(ListObjectsArgs.builder().bucket(bucket())
                    .prefix(settings.keyPrefix()).recursive(false).build())) {
                Item item = result.get();
                if (!item.isDir()) {
                    keys.add(new StoreKey(item.objectName().substring(settings.keyPrefix().length())));
                }
            }
            return keys;
        }));
    }

    @Override
    public int removeStaged() {
        uploadRegistration.writeLock().lock();
        try {
            int removed = 0;
            String keyMarker = null;
            String uploadIdMarker = null;
            ListMultipartUploadsResult page;
            do {
                String keyFrom = keyMarker;
                String idFrom = uploadIdMarker;
                page = calls.call("list pending uploads", () -> client.listMultipartUploads(
                        ListMultipartUploadsArgs.builder().bucket(bucket()).prefix(settings.keyPrefix())
                                .keyMarker(keyFrom).uploadIdMarker(idFrom).build())).result();
                for (ListMultipartUploadsResult.Upload upload : page.uploads()) {
                    if (!liveUploads.contains(upload.uploadId())) {
                        boolean aborted = calls.callUnless("abort pending upload of '" + upload.objectName() + "'",
                                Set.of("NoSuchUpload"), () -> client.abortMultipartUpload(
                                        AbortMultipartUploadArgs.builder().bucket(bucket())
                                                .object(upload.objectName()).uploadId(upload.uploadId()).build()))
                                .isPresent();
                        removed += aborted ? 1 : 0;
                    }
                }
                keyMarker = page.nextKeyMarker();
                uploadIdMarker = page.nextUploadIdMarker();
            } while (page.isTruncated());
            return removed;
        } finally {
            uploadRegistration.writeLock().unlock();
        }
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

    private String objectName(StoreKey key) {
        String value = key == null ? null : key.value();
        if (value == null || value.isBlank() || value.contains("/") || value.contains("\\")) {
            throw new IllegalArgumentException("Archive key must be a non-blank name without '/' or '\\', but was '"
                    + Printable.of(value) + "'");
        }
        return settings.keyPrefix() + value;
    }
}
