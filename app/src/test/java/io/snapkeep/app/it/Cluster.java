package io.snapkeep.app.it;

import io.minio.GetObjectArgs;
import io.minio.GetObjectResponse;
import io.minio.ListMultipartUploadsArgs;
import io.minio.ListObjectsArgs;
import io.minio.MinioAsyncClient;
import io.minio.Result;
import io.minio.messages.Item;
import io.minio.messages.ListMultipartUploadsResult;
import io.snapkeep.core.testing.LocalPostgres;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.gaul.s3proxy.S3Proxy;

/**
 * A cluster on one machine, for the packaged-jar tests: one PostgreSQL database (a fresh one on the JVM's
 * {@link LocalPostgres}), one S3 bucket on an in-process S3Proxy, and any number of Snapkeep processes, each
 * with its own data directory and node id, all on that catalog and that bucket.
 */
final class Cluster implements AutoCloseable {
    static final String PASSWORD = "cluster-it-admin-password";
    static final String BUCKET = "snapkeep-cluster";
    static final String PREFIX = "snapkeep/";
    private static final String ACCESS = "cluster-access";
    private static final String SECRET = "cluster-secret-key";

    private final Path root;
    private final Duration leaseTtl;
    private final S3Proxy s3;
    private final String catalogUrl;
    private final Map<String, ServerProcess> nodes = new HashMap<>();
    private MinioAsyncClient client;

    Cluster(Path root, Duration leaseTtl) throws Exception {
        this.root = root;
        this.leaseTtl = leaseTtl;
        this.catalogUrl = LocalPostgres.get().createDatabase();
        Path objects = Files.createDirectories(root.resolve("s3"));
        s3 = LocalS3.start(objects, 0, ACCESS, SECRET);
    }

    /** The data directory of node {@code id}; created on first use. */
    Path dataDir(String id) throws Exception {
        return Files.createDirectories(root.resolve(id));
    }

    /** Starts (or restarts) node {@code id} and waits until it serves. */
    ServerProcess start(String id) throws Exception {
        return start(id, Map.of());
    }

    ServerProcess start(String id, Map<String, String> extra) throws Exception {
        ServerProcess node = ServerProcess.start(dataDir(id), environment(id, extra));
        nodes.put(id, node);
        return node;
    }

    /** Runs the jar's command {@code args} as node {@code id} of this cluster, to its end. */
    ServerProcess.Finished run(String id, String... args) throws Exception {
        return ServerProcess.run(dataDir(id), environment(id, Map.of()), Duration.ofMinutes(2), args);
    }

    private Map<String, String> environment(String id, Map<String, String> extra) {
        Map<String, String> env = new HashMap<>(Map.of(
                "SNAPKEEP_ADMIN_PASSWORD", PASSWORD,
                "SNAPKEEP_NODE_ID", id,
                "SNAPKEEP_NODE_LEASE_TTL", leaseTtl.toMillis() + "ms",
                "SNAPKEEP_CATALOG_URL", catalogUrl,
                "SNAPKEEP_CATALOG_USER", LocalPostgres.get().user(),
                "SNAPKEEP_CATALOG_PASSWORD", LocalPostgres.get().password(),
                "SNAPKEEP_STORAGE_TYPE", "s3",
                "SNAPKEEP_S3_ENDPOINT", "http://127.0.0.1:" + s3.getPort(),
                "SNAPKEEP_S3_REGION", "us-east-1",
                "SNAPKEEP_S3_BUCKET", BUCKET));
        env.putAll(Map.of(
                "SNAPKEEP_S3_ACCESS_KEY", ACCESS,
                "SNAPKEEP_S3_SECRET_KEY", SECRET,
                "SNAPKEEP_S3_CREATE_BUCKET", "true",
                "SNAPKEEP_S3_PART_SIZE", "5MiB",
                "SNAPKEEP_SHUTDOWN_GRACE_PERIOD", "10s"));
        env.putAll(extra);
        return env;
    }

    Api api(ServerProcess node) {
        return new Api(node.uri(), PASSWORD);
    }

    Duration leaseTtl() {
        return leaseTtl;
    }

    /** One client for every look at the bucket: a test that looks after every round need not build one each time. */
    private synchronized MinioAsyncClient raw() {
        if (client == null) {
            client = MinioAsyncClient.builder().endpoint("http://127.0.0.1:" + s3.getPort()).region("us-east-1")
                    .credentials(ACCESS, SECRET).build();
        }
        return client;
    }

    /** {@link #pendingUploads()} for a poll: a failure to list is the test's failure. */
    List<String> pendingUploadsNow() {
        try {
            return pendingUploads();
        } catch (Exception e) {
            throw new IllegalStateException("Could not list the bucket's pending uploads", e);
        }
    }

    /** The object names of the pending multipart uploads in the bucket. */
    List<String> pendingUploads() throws Exception {
        return raw().listMultipartUploads(ListMultipartUploadsArgs.builder().bucket(BUCKET).prefix(PREFIX).build())
                .join().result().uploads().stream().map(ListMultipartUploadsResult.Upload::objectName).toList();
    }

    /** Every object name under the store's prefix. */
    List<String> objects() throws Exception {
        List<String> names = new ArrayList<>();
        for (Result<Item> r : raw().listObjects(ListObjectsArgs.builder().bucket(BUCKET).prefix(PREFIX)
                .recursive(true).build())) {
            names.add(r.get().objectName());
        }
        return names;
    }

    /** Every object name under the store's prefix, with its size in bytes. */
    Map<String, Long> objectSizes() throws Exception {
        Map<String, Long> sizes = new TreeMap<>();
        for (Result<Item> r : raw().listObjects(ListObjectsArgs.builder().bucket(BUCKET).prefix(PREFIX)
                .recursive(true).build())) {
            Item item = r.get();
            sizes.put(item.objectName(), item.size());
        }
        return sizes;
    }

    /** The bytes of the object {@code name} (a full name, prefix included). */
    byte[] object(String name) throws Exception {
        try (GetObjectResponse body = raw().getObject(GetObjectArgs.builder().bucket(BUCKET).object(name).build())
                .join()) {
            return body.readAllBytes();
        }
    }

    @Override
    public void close() throws Exception {
        for (ServerProcess node : nodes.values()) {
            if (node.isAlive()) {
                node.kill();
            }
        }
        synchronized (this) {
            if (client != null) {
                client.close();
            }
        }
        s3.stop();
    }
}
