package io.snapkeep.storage.s3;

import static io.snapkeep.storage.s3.TestKeys.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minio.BucketExistsArgs;
import io.minio.CreateMultipartUploadArgs;
import io.minio.PutObjectAPIArgs;
import io.snapkeep.core.error.StorageUnavailableException;
import io.snapkeep.core.port.out.ArchiveStore.StagedWrite;
import io.snapkeep.core.testing.TestBytes;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import okhttp3.Interceptor;
import okhttp3.MediaType;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.Buffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What the S3 store does on the bucket, seen through the plain SDK. */
class S3MultipartTest {
    @RegisterExtension
    static final S3TestServer S3 = new S3TestServer();

    private static final int PART = (int) S3Settings.MIN_PART_SIZE;

    @Test
    void a_write_past_one_part_is_a_pending_multipart_upload_until_commit() throws IOException {
        S3Settings settings = S3.settings();
        S3ArchiveStore store = S3.connect(settings);
        try (StagedWrite w = store.beginWrite(key("big"))) {
            copy(TestBytes.random(1, PART + 1000), w);
            assertThat(S3.pendingUploads(settings.bucket(), "")).containsExactly("snapkeep/archives/big.zip");
            assertThat(store.stat(key("big"))).isEmpty();
            w.commit();
        }
        assertThat(S3.pendingUploads(settings.bucket(), "")).isEmpty();
        assertThat(TestBytes.sha256(store.open(key("big")))).isEqualTo(TestBytes.sha256(TestBytes.random(1, PART + 1000)));
    }

    @Test
    void a_write_smaller_than_a_part_starts_no_upload_before_commit() throws IOException {
        S3Settings settings = S3.settings();
        S3ArchiveStore store = S3.connect(settings);
        try (StagedWrite w = store.beginWrite(key("small"))) {
            copy(TestBytes.random(2, 1000), w);
            assertThat(S3.pendingUploads(settings.bucket(), "")).isEmpty();
            assertThat(w.commit().size()).isEqualTo(1000);
        }
        assertThat(S3.pendingUploads(settings.bucket(), "")).isEmpty();
    }

    @Test
    void abort_leaves_no_pending_multipart_upload() throws Exception {
        S3Settings settings = S3.settings();
        S3ArchiveStore store = S3.connect(settings);
        try (StagedWrite w = store.beginWrite(key("dropped"))) {
            copy(TestBytes.random(3, 2L * PART + 5), w);
            assertThat(S3.pendingUploads(settings.bucket(), "")).containsExactly("snapkeep/archives/dropped.zip");
            w.abort();
        }
        assertThat(S3.pendingUploads(settings.bucket(), "")).isEmpty();
        assertThat(objectNames(settings.bucket(), "")).isEmpty();
    }

    @Test
    void remove_staged_aborts_dead_uploads_of_layout_archives_but_not_live_ones_or_others() throws IOException {
        S3Settings settings = S3.settings().withKeyPrefix("app-a");
        S3ArchiveStore store = S3.connect(settings);
        var raw = S3.rawClient("us-east-1");
        // Left by a process that died: one of this store's archives, and uploads of others' names.
        for (String name : List.of("app-a/archives/crashed.zip", "other/theirs", "app-a/crashed", "app-a/archives/readme.md")) {
            raw.createMultipartUpload(CreateMultipartUploadArgs.builder().bucket(settings.bucket()).object(name).build()).join();
        }
        try (StagedWrite live = store.beginWrite(key("live"))) {
            copy(TestBytes.random(4, PART + 10), live);

            assertThat(store.removeStaged(Set::of)).isEqualTo(1);

            assertThat(S3.pendingUploads(settings.bucket(), "")).containsExactlyInAnyOrder("app-a/archives/live.zip",
                    "other/theirs", "app-a/crashed", "app-a/archives/readme.md");
            live.commit();
        }
        assertThat(store.stat(key("live"))).map(a -> a.size()).contains((long) PART + 10);
        assertThat(S3.pendingUploads(settings.bucket(), "")).containsExactlyInAnyOrder("other/theirs", "app-a/crashed",
                "app-a/archives/readme.md");
        assertThat(store.removeStaged(Set::of)).isZero();
    }

    @Test
    void a_dead_upload_whose_key_is_in_use_is_kept_until_its_key_is_free() {
        S3Settings settings = S3.settings();
        S3ArchiveStore store = S3.connect(settings);
        var raw = S3.rawClient("us-east-1");
        for (String name : List.of("snapkeep/archives/busy.zip", "snapkeep/archives/free.zip")) {
            raw.createMultipartUpload(CreateMultipartUploadArgs.builder().bucket(settings.bucket()).object(name).build()).join();
        }

        assertThat(store.removeStaged(() -> Set.of(key("busy"), key("elsewhere")))).isEqualTo(1);
        assertThat(S3.pendingUploads(settings.bucket(), "")).containsExactly("snapkeep/archives/busy.zip");

        assertThat(store.removeStaged(Set::of)).isEqualTo(1);
        assertThat(S3.pendingUploads(settings.bucket(), "")).isEmpty();
    }

    @Test
    void a_write_whose_upload_was_aborted_by_another_nodes_clean_up_says_so_at_commit() throws Exception {
        S3Settings settings = S3.settings();
        S3ArchiveStore cleaner = S3.connect(settings);
        S3ArchiveStore otherNode = S3.connect(settings);
        try (StagedWrite dead = otherNode.beginWrite(key("taken-for-dead"))) {
            copy(TestBytes.random(5, 2L * PART + 7), dead);

            assertThat(cleaner.removeStaged(Set::of)).isEqualTo(1);

            assertThatThrownBy(dead::commit).isInstanceOf(StorageUnavailableException.class)
                    .hasMessageContaining("could not commit archive 'taken-for-dead'")
                    .hasMessageContaining("aborted while it was being written")
                    .hasMessageContaining("not in use")
                    .hasMessageContaining(settings.bucket());
        }
        assertThat(S3.pendingUploads(settings.bucket(), "")).isEmpty();
        assertThat(objectNames(settings.bucket(), "")).isEmpty();
    }

    @Test
    void a_listing_of_pending_uploads_that_never_advances_is_an_error_not_an_endless_loop() {
        S3Settings settings = S3.settings();
        List<String> listings = new CopyOnWriteArrayList<>();
        S3ArchiveStore store = S3.connect(settings, chain -> {
            Request request = chain.request();
            if (!request.method().equals("GET") || request.url().queryParameter("uploads") == null) {
                return chain.proceed(request);
            }
            listings.add(request.url().toString());
            String stuck = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><ListMultipartUploadsResult"
                    + " xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Bucket>" + settings.bucket() + "</Bucket>"
                    + "<NextKeyMarker>snapkeep/archives/a.zip</NextKeyMarker><NextUploadIdMarker>1</NextUploadIdMarker>"
                    + "<MaxUploads>1000</MaxUploads><IsTruncated>true</IsTruncated></ListMultipartUploadsResult>";
            return new Response.Builder().request(request).protocol(Protocol.HTTP_1_1).code(200).message("OK")
                    .body(ResponseBody.create(stuck, MediaType.get("application/xml"))).build();
        });

        assertThatThrownBy(() -> store.removeStaged(Set::of)).isInstanceOf(StorageUnavailableException.class)
                .hasMessageContaining("does not advance");
        assertThat(listings).as("one page, then the same page again").hasSize(2);
    }

    @Test
    void keys_live_under_the_prefix_and_the_inventory_ignores_everything_else() throws Exception {
        S3Settings settings = S3.settings().withKeyPrefix("team/snapkeep");
        S3ArchiveStore store = S3.connect(settings);
        var raw = S3.rawClient("us-east-1");
        for (String name : List.of("elsewhere", "team/snapkeep/snap-2", "team/snapkeep/archives/deeper/x.zip",
                "team/snapkeep/archives/notes.txt", "team/snapkeep/records/deeper/x.json")) {
            raw.putObject(PutObjectAPIArgs.builder().bucket(settings.bucket()).object(name).data(new byte[1], 1)
                    .build()).join();
        }
        try (StagedWrite w = store.beginWrite(key("snap-1"))) {
            w.stream().write(42);
            w.commit();
        }
        store.writeRecord(key("snap-1"), new byte[] {1});
        assertThat(objectNames(settings.bucket(), "team/snapkeep/archives/")).contains("team/snapkeep/archives/snap-1.zip");
        assertThat(objectNames(settings.bucket(), "team/snapkeep/records/")).contains("team/snapkeep/records/snap-1.json");
        assertThat(store.inventory().archives().keySet()).containsExactly(key("snap-1"));
        assertThat(store.inventory().records()).containsExactly(key("snap-1"));
    }

    @Test
    void bucket_creation_in_us_east_1_sends_no_location_constraint() throws IOException {
        List<String> bucketCreations = new CopyOnWriteArrayList<>();
        S3Settings settings = S3.settings();
        S3ArchiveStore store = S3.connect(settings, recordBucketCreations(bucketCreations));

        assertThat(bucketCreations).containsExactly("PUT /" + settings.bucket() + " body=''");
        assertThat(S3.rawClient("us-east-1").bucketExists(BucketExistsArgs.builder().bucket(settings.bucket())
                .build()).join()).isTrue();
        assertRoundTrip(store);
    }

    @Test
    void bucket_creation_in_another_region_sends_its_location_constraint() throws IOException {
        List<String> bucketCreations = new CopyOnWriteArrayList<>();
        S3Settings base = S3.settings();
        S3Settings settings = new S3Settings(base.endpoint(), "eu-central-1", base.bucket(), "snapkeep/", "",
                base.accessKey(), base.secretKey(), true, base.partSize(), 2, true, 3);
        S3ArchiveStore store = S3.connect(settings, recordBucketCreations(bucketCreations));

        assertThat(bucketCreations).singleElement().asString()
                .startsWith("PUT /" + settings.bucket() + " body=")
                .contains("<LocationConstraint>eu-central-1</LocationConstraint>");
        assertThat(S3.rawClient("eu-central-1").bucketExists(BucketExistsArgs.builder().bucket(settings.bucket())
                .build()).join()).isTrue();
        assertRoundTrip(store);
    }

    @Test
    void connecting_to_an_existing_bucket_does_not_create_it_again() {
        List<String> bucketCreations = new CopyOnWriteArrayList<>();
        S3Settings settings = S3.settings();
        S3.connect(settings);
        S3.connect(settings, recordBucketCreations(bucketCreations));
        assertThat(bucketCreations).isEmpty();
    }

    private static void assertRoundTrip(S3ArchiveStore store) throws IOException {
        try (StagedWrite w = store.beginWrite(key("first"))) {
            w.stream().write(new byte[] {1, 2, 3});
            w.commit();
        }
        try (InputStream in = store.open(key("first"))) {
            assertThat(in.readAllBytes()).containsExactly(1, 2, 3);
        }
    }

    /** Records every bucket-level PUT (a CreateBucket) with its body. */
    private static Interceptor recordBucketCreations(List<String> into) {
        return chain -> {
            Request request = chain.request();
            if (request.method().equals("PUT") && request.url().pathSegments().size() == 1
                    && request.url().query() == null) {
                Buffer body = new Buffer();
                if (request.body() != null) {
                    request.body().writeTo(body);
                }
                into.add("PUT " + request.url().encodedPath() + " body='" + body.readUtf8() + "'");
            }
            return chain.proceed(request);
        };
    }

    private static void copy(InputStream in, StagedWrite w) throws IOException {
        try (in) {
            in.transferTo(w.stream());
        }
    }

    private static List<String> objectNames(String bucket, String prefix) throws Exception {
        return S3.objectNames(bucket, prefix);
    }

    static void await(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Timed out waiting until " + what);
            }
            Thread.onSpinWait();
        }
    }
}
