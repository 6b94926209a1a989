package io.snapkeep.storage.s3;

import io.minio.CreateBucketArgs;
import io.minio.MinioAsyncClient;
import java.util.concurrent.CompletableFuture;

/**
 * The MinIO client, plus what its public API lacks: creating a bucket without a location constraint.
 */
final class S3Client extends MinioAsyncClient {

    S3Client(MinioAsyncClient configured) {
        super(configured);
    }

    /**
     * CreateBucket with an empty body. MinIO 9 always sends a {@code CreateBucketConfiguration} with a
     * {@code LocationConstraint}, which S3 rejects for {@code us-east-1} (the default region, which must be
     * given by sending no constraint at all).
     */
    CompletableFuture<Void> createBucketWithoutLocationConstraint(String bucket) {
        CreateBucketArgs args = CreateBucketArgs.builder().bucket(bucket).build();
        checkArgs(args);
        return executePutAsync(args, null, null, null).thenAccept(response -> response.close());
    }
}
