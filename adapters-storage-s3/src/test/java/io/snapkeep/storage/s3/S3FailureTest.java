package io.snapkeep.storage.s3;

import static io.snapkeep.storage.s3.TestKeys.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.minio.ListPartsArgs;
import io.snapkeep.core.error.StorageUnavailableException;
import io.snapkeep.core.port.out.ArchiveStore.StagedWrite;
import io.snapkeep.core.testing.TestBytes;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Failures of the medium come out as clear StorageUnavailableExceptions, and leave nothing half-written. */
class S3FailureTest {
    @RegisterExtension
    static final S3TestServer S3 = new S3TestServer();

    private static final long PART = S3Settings.MIN_PART_SIZE;

    @Test
    void a_server_stopped_mid_upload_gives_a_clear_error_and_leaves_no_object() throws Exception {
        S3Settings settings = S3.settings();
        S3ArchiveStore store = S3.connect(settings);
        AtomicReference<String> uploadId = new AtomicReference<>();
        Throwable failure;
        try (StagedWrite w = store.beginWrite(key("interrupted"))) {
            try (InputStream in = TestBytes.random(1, PART + 100)) {
                in.transferTo(w.stream());
            }
            // Wait until the first part has landed, so the server really dies in the middle of an upload.
            S3MultipartTest.await("part 1 is stored", Duration.ofSeconds(20), () -> {
                var pending = S3.rawClient("us-east-1").listMultipartUploads(io.minio.ListMultipartUploadsArgs
                        .builder().bucket(settings.bucket()).build()).join().result().uploads();
                if (pending.isEmpty()) {
                    return false;
                }
                uploadId.set(pending.get(0).uploadId());
                return !S3.rawClient("us-east-1").listParts(ListPartsArgs.builder().bucket(settings.bucket())
                        .object("snapkeep/archives/interrupted.zip").uploadId(uploadId.get()).build()).join().result()
                        .parts().isEmpty();
            });
            S3.stop();
            failure = catchThrowable(() -> {
                try (InputStream in = TestBytes.random(2, 2 * PART)) {
                    in.transferTo(w.stream());
                }
                w.commit();
            });
        } finally {
            S3.start();
        }

        assertThat(failure).isInstanceOfAny(StorageUnavailableException.class, IOException.class);
        assertThat(failure.getMessage())
                .contains(settings.endpoint().toString(), settings.bucket(), "unreachable")
                .doesNotContain(S3TestServer.SECRET_KEY);

        // The server is back (same data, new port): no object, and the upload the dead server kept is a leftover.
        S3ArchiveStore after = S3.connect(S3Settings.of(S3.endpoint(), "us-east-1", settings.bucket(),
                S3TestServer.ACCESS_KEY, S3TestServer.SECRET_KEY));
        assertThat(after.stat(key("interrupted"))).isEmpty();
        assertThat(after.inventory().archives().keySet()).isEmpty();
        int leftovers = after.removeStaged(Set::of);
        assertThat(leftovers).as("the upload the stopped server kept").isEqualTo(1);
        assertThat(S3.pendingUploads(settings.bucket(), "")).isEmpty();
    }

    @Test
    void wrong_credentials_are_reported_as_refused_without_the_secret() {
        S3Settings good = S3.settings();
        S3.connect(good);
        String wrongSecret = "wrong-secret-Kx9";
        S3Settings wrong = new S3Settings(good.endpoint(), good.region(), good.bucket(), "", "", good.accessKey(),
                wrongSecret, true, good.partSize(), 2, false, 3);

        Throwable failure = catchThrowable(() -> S3.connect(wrong));

        assertThat(failure).isInstanceOf(StorageUnavailableException.class)
                .hasMessageContaining("refused the credentials")
                .hasMessageContaining(good.endpoint().toString())
                .hasMessageContaining(good.bucket());
        for (Throwable t = failure; t != null; t = t.getCause()) {
            assertThat(String.valueOf(t)).doesNotContain(wrongSecret).doesNotContain(S3TestServer.SECRET_KEY);
        }
    }

    @Test
    void an_unreachable_endpoint_is_named_after_bounded_retries() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        URI nowhere = URI.create("http://127.0.0.1:" + closedPort);
        S3Settings settings = S3Settings.of(nowhere, "us-east-1", "snapkeep-nowhere", "a", "s").withMaxRetries(2);

        assertThatThrownBy(() -> S3.connect(settings))
                .isInstanceOf(StorageUnavailableException.class)
                .hasMessageContaining("S3 endpoint " + nowhere + ", bucket 'snapkeep-nowhere' is unreachable")
                .hasMessageContaining("after 3 attempts");
    }

    @Test
    void a_missing_bucket_is_refused_unless_creation_is_asked() {
        S3Settings settings = S3.settings().withCreateBucket(false);
        assertThatThrownBy(() -> S3.connect(settings))
                .isInstanceOf(StorageUnavailableException.class)
                .hasMessageContaining("the bucket does not exist")
                .hasMessageContaining(settings.bucket());
    }

    @Test
    void reads_of_a_stopped_server_fail_clearly() throws Exception {
        S3Settings settings = S3.settings();
        S3ArchiveStore store = S3.connect(settings);
        S3.stop();
        try {
            assertThatThrownBy(() -> store.stat(key("any")))
                    .isInstanceOf(StorageUnavailableException.class)
                    .hasMessageContaining(settings.bucket())
                    .hasMessageContaining("unreachable");
            assertThatThrownBy(store::probe).isInstanceOf(StorageUnavailableException.class)
                    .hasMessageContaining("unreachable");
        } finally {
            S3.start();
        }
    }
}
