package io.snapkeep.storage.s3;

import static io.snapkeep.storage.s3.TestKeys.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minio.CreateMultipartUploadArgs;
import io.minio.MinioAsyncClient;
import io.minio.PutObjectAPIArgs;
import io.minio.StatObjectArgs;
import io.snapkeep.core.error.StorageUnavailableException;
import io.snapkeep.core.port.out.ArchiveStore.StagedWrite;
import io.snapkeep.core.port.out.ArchiveStore.StoredArchive;
import io.snapkeep.core.testing.TestBytes;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import okhttp3.Interceptor;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The store keeps to its layout under the prefix ({@code snapkeep/} by default): everything else in the
 * bucket (objects and pending uploads, at the root or under the prefix) is never listed, changed or
 * removed; the previous release's archive of a key is adopted from its exact old name only. (S3Proxy keeps
 * objects as files, so no foreign object here has the name of a "directory" another one is in.)
 */
class S3LayoutTest {
    @RegisterExtension
    static final S3TestServer S3 = new S3TestServer();

    private static final List<String> FOREIGN_OBJECTS = List.of("notes.txt", "theirs.zip", "snapkeep-notes",
            "snapkeep/notes.txt", "snapkeep/archives/readme.md", "snapkeep/archives/deeper/x.zip",
            "snapkeep/archives/.zip", "snapkeep/archivesx.zip", "snapkeep/records/notes.txt",
            "snapkeep/records/a.json.bak", "snapkeep/records/deeper/a.json", "other/archives/a.zip");
    private static final List<String> FOREIGN_UPLOADS = List.of("theirs.zip", "other/archives/x.zip",
            "snapkeep/notes.txt", "snapkeep/archives/readme.md", "snapkeep/archives/deeper/x.zip",
            "snapkeep/records/a.json");

    @Test
    void foreign_objects_and_uploads_survive_open_inventory_delete_and_remove_staged() throws Exception {
        S3Settings settings = S3.settings();
        S3.connect(settings); // creates the bucket
        MinioAsyncClient raw = S3.rawClient("us-east-1");
        for (String name : FOREIGN_OBJECTS) {
            putRaw(raw, settings, name, name);
        }
        for (String name : FOREIGN_UPLOADS) {
            startUpload(raw, settings, name);
        }
        startUpload(raw, settings, "snapkeep/archives/dead.zip");

        S3ArchiveStore store = S3.connect(settings);
        assertThat(store.removeStaged(Set::of)).as("only the dead upload of a layout archive").isEqualTo(1);
        put(store, "a", 3);
        put(store, "b", 5);
        store.writeRecord(key("a"), new byte[] {1});
        assertThat(store.inventory().archives()).containsOnlyKeys(key("a"), key("b"))
                .containsEntry(key("b"), new StoredArchive(key("b"), 5));
        assertThat(store.inventory().records()).containsExactly(key("a"));
        store.delete(key("b"));
        store.delete(key("notes"));
        store.delete(key("theirs"));
        try (StagedWrite w = store.beginWrite(key("aborted"))) {
            w.stream().write(TestBytes.randomArray(1, (int) S3Settings.MIN_PART_SIZE + 1));
            w.abort();
        }
        assertThat(store.removeStaged(Set::of)).isZero();

        assertThat(store.inventory().archives().keySet()).containsExactly(key("a"));
        List<String> objects = S3.objectNames(settings.bucket(), "");
        assertThat(objects).containsAll(FOREIGN_OBJECTS);
        assertThat(objects).containsExactlyInAnyOrderElementsOf(concat(FOREIGN_OBJECTS,
                List.of("snapkeep/archives/a.zip", "snapkeep/records/a.json")));
        for (String name : FOREIGN_OBJECTS) {
            assertThat(getRaw(raw, settings, name)).as(name).isEqualTo(name);
        }
        assertThat(S3.pendingUploads(settings.bucket(), "")).containsExactlyInAnyOrderElementsOf(FOREIGN_UPLOADS);
    }

    @Test
    void a_legacy_object_at_the_bucket_root_is_adopted_by_key_and_a_foreign_root_object_is_left_alone()
            throws Exception {
        S3Settings settings = S3.settings();
        S3ArchiveStore store = S3.connect(settings);
        MinioAsyncClient raw = S3.rawClient("us-east-1");
        putRaw(raw, settings, "old-snap", "the previous release's archive");
        putRaw(raw, settings, "someone-else.txt", "not ours");
        putRaw(raw, settings, "old-snap.zip", "not the old name either");
        assertThat(store.inventory().archives()).as("nothing at the root is listed").isEmpty();

        assertThat(store.adoptLegacy(key("old-snap"))).contains(new StoredArchive(key("old-snap"), 30));

        assertThat(read(store, "old-snap")).isEqualTo("the previous release's archive");
        assertThat(store.inventory().archives().keySet()).containsExactly(key("old-snap"));
        assertThat(store.adoptLegacy(key("old-snap"))).isEmpty();
        assertThat(store.adoptLegacy(key("someone-else"))).isEmpty();
        assertThat(S3.objectNames(settings.bucket(), "")).containsExactlyInAnyOrder(
                "snapkeep/archives/old-snap.zip", "someone-else.txt", "old-snap.zip");
    }

    @Test
    void with_an_explicit_prefix_the_previous_releases_archives_are_looked_for_at_that_prefix() throws Exception {
        S3Settings settings = S3.settings().withKeyPrefix("team");
        S3ArchiveStore store = S3.connect(settings);
        MinioAsyncClient raw = S3.rawClient("us-east-1");
        putRaw(raw, settings, "team/old", "under the old prefix");
        putRaw(raw, settings, "old", "at the root: someone else's");

        assertThat(store.adoptLegacy(key("old"))).contains(new StoredArchive(key("old"), 20));

        assertThat(read(store, "old")).isEqualTo("under the old prefix");
        assertThat(S3.objectNames(settings.bucket(), "")).containsExactlyInAnyOrder(
                "team/archives/old.zip", "old");
    }

    @Test
    void adopting_a_key_the_layout_holds_changes_nothing_and_delete_leaves_a_root_object_of_the_same_name() throws Exception {
        S3Settings settings = S3.settings();
        S3ArchiveStore store = S3.connect(settings);
        MinioAsyncClient raw = S3.rawClient("us-east-1");
        put(store, "dup", 4);
        store.writeRecord(key("dup"), new byte[] {1});
        putRaw(raw, settings, "dup", "an old copy");
        putRaw(raw, settings, "dup-other", "not ours");

        assertThat(store.adoptLegacy(key("dup"))).isEmpty();
        assertThat(store.stat(key("dup"))).contains(new StoredArchive(key("dup"), 4));
        assertThat(getRaw(raw, settings, "dup")).isEqualTo("an old copy");

        store.delete(key("dup"));

        // A bucket root is shared: an object there named like a snapshot may well be someone else's, so only
        // adoption (for a key the catalog names, while the layout lacks it) ever moves one.
        assertThat(S3.objectNames(settings.bucket(), "")).containsExactlyInAnyOrder("dup", "dup-other");
        assertThat(getRaw(raw, settings, "dup")).isEqualTo("an old copy");
    }

    @Test
    void a_body_that_ends_before_the_archive_does_is_a_read_error_not_a_quiet_end() throws Exception {
        S3Settings settings = S3.settings();
        S3ArchiveStore store = S3.connect(settings, cutRangedBodiesInHalf());
        byte[] bytes = TestBytes.randomArray(2, 100_000);
        try (StagedWrite w = store.beginWrite(key("cut"))) {
            w.stream().write(bytes);
            w.commit();
        }
        try (InputStream in = store.open(key("cut"))) {
            assertThatThrownBy(in::readAllBytes).isInstanceOf(IOException.class)
                    .hasMessageContaining("'cut'")
                    .hasMessageContaining("ended after 50000 of 100000 bytes");
        }
        try (InputStream in = store.openRange(key("cut"), 1000, 10)) {
            assertThatThrownBy(in::readAllBytes).isInstanceOf(IOException.class)
                    .hasMessageContaining("ended after 5 of 10 bytes");
        }
    }

    @Test
    void an_answer_for_another_range_is_refused() throws Exception {
        S3Settings settings = S3.settings();
        S3ArchiveStore store = S3.connect(settings, chain -> {
            Response response = chain.proceed(chain.request());
            return chain.request().header("Range") == null ? response
                    : response.newBuilder().header("Content-Range", "bytes 0-9/100000").build();
        });
        try (StagedWrite w = store.beginWrite(key("ranged"))) {
            w.stream().write(TestBytes.randomArray(3, 100_000));
            w.commit();
        }
        assertThatThrownBy(() -> store.openRange(key("ranged"), 500, 10)).isInstanceOf(StorageUnavailableException.class)
                .hasMessageContaining("'ranged'").hasMessageContaining("Content-Range bytes 0-9/100000");
    }

    @Test
    void a_record_is_one_put_of_its_own_name_and_never_a_multipart_upload() throws Exception {
        List<String> requests = new CopyOnWriteArrayList<>();
        S3Settings settings = S3.settings();
        S3ArchiveStore store = S3.connect(settings, chain -> {
            requests.add(chain.request().method() + " " + chain.request().url().encodedPath()
                    + (chain.request().url().query() == null ? "" : "?" + chain.request().url().query()));
            return chain.proceed(chain.request());
        });
        put(store, "snap", 2);
        requests.clear();
        byte[] record = TestBytes.randomArray(4, 200_000);

        store.writeRecord(key("snap"), record);

        assertThat(requests.stream().filter(r -> !r.startsWith("HEAD "))).containsExactly(
                "PUT /" + settings.bucket() + "/snapkeep/records/snap.json");
        assertThat(store.readRecord(key("snap"))).hasValueSatisfying(r -> assertThat(r).isEqualTo(record));
        assertThat(S3.rawClient("us-east-1").statObject(StatObjectArgs.builder().bucket(settings.bucket())
                .object("snapkeep/records/snap.json").build()).join().contentType()).isEqualTo("application/json");
    }

    /** Ranged GETs whose body stops halfway, with the headers of the whole answer. */
    private static Interceptor cutRangedBodiesInHalf() {
        return chain -> {
            Response response = chain.proceed(chain.request());
            if (!chain.request().method().equals("GET") || chain.request().header("Range") == null
                    || !response.isSuccessful()) {
                return response;
            }
            ResponseBody body = response.body();
            byte[] all = body.bytes();
            return response.newBuilder()
                    .body(ResponseBody.create(Arrays.copyOf(all, all.length / 2), body.contentType()))
                    .build();
        };
    }

    private static void put(S3ArchiveStore store, String key, int size) throws IOException {
        try (StagedWrite w = store.beginWrite(key(key))) {
            w.stream().write(new byte[size]);
            w.commit();
        }
    }

    private static String read(S3ArchiveStore store, String key) throws IOException {
        try (InputStream in = store.open(key(key))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static void putRaw(MinioAsyncClient raw, S3Settings settings, String name, String content) {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        raw.putObject(PutObjectAPIArgs.builder().bucket(settings.bucket()).object(name).data(bytes, bytes.length)
                .build()).join();
    }

    private static String getRaw(MinioAsyncClient raw, S3Settings settings, String name) throws IOException {
        try (InputStream in = raw.getObject(io.minio.GetObjectArgs.builder().bucket(settings.bucket()).object(name)
                .build()).join()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static void startUpload(MinioAsyncClient raw, S3Settings settings, String name) {
        raw.createMultipartUpload(CreateMultipartUploadArgs.builder().bucket(settings.bucket()).object(name).build())
                .join();
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
