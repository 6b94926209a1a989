package io.snapkeep.storage.s3;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import io.minio.ListMultipartUploadsArgs;
import io.minio.ListObjectsArgs;
import io.minio.Result;
import io.minio.messages.Item;
import io.minio.MinioAsyncClient;
import io.minio.messages.ListMultipartUploadsResult;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real S3 server for tests: S3Proxy in this JVM on 127.0.0.1 (a free port), keeping objects in a temporary
 * directory, with fixed test credentials. Register it as a static extension: one server per test class; each
 * store it hands out gets a fresh bucket and is closed after its test.
 */
final class S3TestServer implements BeforeAllCallback, AfterAllCallback, AfterEachCallback {
    static final String ACCESS_KEY = "test-access";
    static final String SECRET_KEY = "test-secret-Zq7";
    /** Short backoff and timeouts keep failure tests quick; the behaviour is the same as in production. */
    static final Tuning QUICK = new Tuning(Duration.ofMillis(10), Duration.ofSeconds(2), Duration.ofSeconds(20),
            List.of());

    private static final OkHttpClient RAW_HTTP = new OkHttpClient();
    private static final AtomicInteger BUCKETS = new AtomicInteger();

    private final List<S3ArchiveStore> stores = new ArrayList<>();
    private Path directory;
    private S3Proxy proxy;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        directory = Files.createTempDirectory("snapkeep-s3-test");
        start();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        stores.forEach(S3ArchiveStore::close);
        stores.clear();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        stop();
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** Starts (or restarts, on a new port, with the same objects) the server. */
    void start() throws Exception {
        proxy = S3Proxy.builder()
                .blobStore(new FilesystemNio2BlobStore(directory.toString()))
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .stopTimeout(0)
                .build();
        proxy.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!"STARTED".equals(proxy.getState())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("S3Proxy did not start: " + proxy.getState());
            }
            Thread.onSpinWait();
        }
    }

    void stop() throws Exception {
        proxy.stop();
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + proxy.getPort());
    }

    static String freshBucket() {
        return "snapkeep-test-" + BUCKETS.incrementAndGet();
    }

    /** Settings for a fresh bucket, created on connect, with the smallest part size S3 allows. */
    S3Settings settings() {
        return S3Settings.of(endpoint(), "us-east-1", freshBucket(), ACCESS_KEY, SECRET_KEY)
                .withCreateBucket(true)
                .withPartSize(S3Settings.MIN_PART_SIZE);
    }

    S3ArchiveStore newStore() {
        return connect(settings());
    }

    S3ArchiveStore connect(S3Settings settings, Interceptor... interceptors) {
        S3ArchiveStore store = S3ArchiveStore.connect(settings, new Tuning(QUICK.firstBackoff(),
                QUICK.connectTimeout(), QUICK.ioTimeout(), List.of(interceptors)));
        stores.add(store);
        return store;
    }

    /** A plain SDK client, to look at the bucket behind the store's back. */
    MinioAsyncClient rawClient(String region) {
        return MinioAsyncClient.builder().endpoint(endpoint().toString()).region(region)
                .credentials(ACCESS_KEY, SECRET_KEY).httpClient(RAW_HTTP, false).build();
    }

    /** Pending multipart uploads in {@code bucket} under {@code prefix}, as "objectName" strings. */
    List<String> pendingUploads(String bucket, String prefix) {
        return rawClient("us-east-1").listMultipartUploads(ListMultipartUploadsArgs.builder().bucket(bucket)
                        .prefix(prefix).build()).join().result().uploads().stream()
                .map(ListMultipartUploadsResult.Upload::objectName)
                .toList();
    }

    /** Every object name in {@code bucket} under {@code prefix}, at any depth. */
    List<String> objectNames(String bucket, String prefix) throws Exception {
        List<String> names = new ArrayList<>();
        for (Result<Item> r : rawClient("us-east-1").listObjects(ListObjectsArgs.builder().bucket(bucket)
                .prefix(prefix).recursive(true).build())) {
            names.add(r.get().objectName());
        }
        return names;
    }
}
