package io.snapkeep.app.it;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;

/** An S3Proxy in this JVM on 127.0.0.1, keeping its objects as files under a directory of the test. */
final class LocalS3 {
    private LocalS3() {
    }

    /** Starts one on {@code port} (0: a free one) and waits until it serves. */
    static S3Proxy start(Path objects, int port, String accessKey, String secretKey) throws Exception {
        S3Proxy s3 = S3Proxy.builder().blobStore(new FilesystemNio2BlobStore(objects.toString()))
                .endpoint(URI.create("http://127.0.0.1:" + port))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKey, secretKey)
                .build();
        s3.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!"STARTED".equals(s3.getState()) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        if (!"STARTED".equals(s3.getState())) {
            s3.stop();
            throw new IllegalStateException("S3Proxy did not start within 20 s: " + s3.getState());
        }
        return s3;
    }
}
