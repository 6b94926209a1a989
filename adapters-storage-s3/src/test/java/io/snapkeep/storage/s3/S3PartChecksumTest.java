package io.snapkeep.storage.s3;

import static io.snapkeep.storage.s3.TestKeys.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.snapkeep.core.error.StorageUnavailableException;
import io.snapkeep.core.port.out.ArchiveStore.StagedWrite;
import io.snapkeep.core.testing.TestBytes;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.CRC32C;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.RequestBody;
import okio.Buffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Parts go out with an unsigned payload bound by a CRC32C of their bytes, which the server checks. */
class S3PartChecksumTest {
    @RegisterExtension
    static final S3TestServer S3 = new S3TestServer();

    private static final int PART = (int) S3Settings.MIN_PART_SIZE;

    @Test
    void the_checksum_header_is_the_big_endian_crc32c_in_base64() {
        // CRC32C("123456789") is 0xE3069283, the standard check value.
        CRC32C crc = new CRC32C();
        crc.update("123456789".getBytes(StandardCharsets.US_ASCII));
        assertThat(S3StagedWrite.partHeaders(crc.getValue()))
                .containsEntry("x-amz-checksum-crc32c", "4waSgw==")
                .containsEntry("x-amz-sdk-checksum-algorithm", "CRC32C")
                .containsEntry("x-amz-content-sha256", "UNSIGNED-PAYLOAD");
        assertThat(S3StagedWrite.partHeaders(0)).containsEntry("x-amz-checksum-crc32c", "AAAAAA==");
    }

    @Test
    void every_part_carries_the_crc32c_of_its_own_bytes_and_an_unsigned_payload() throws IOException {
        List<String> seen = new CopyOnWriteArrayList<>();
        S3ArchiveStore store = S3.connect(S3.settings(), chain -> {
            Request request = chain.request();
            if (request.url().queryParameter("partNumber") != null) {
                Buffer body = new Buffer();
                request.body().writeTo(body);
                CRC32C crc = new CRC32C();
                crc.update(body.readByteArray());
                String actual = S3StagedWrite.partHeaders(crc.getValue()).get("x-amz-checksum-crc32c");
                seen.add(request.url().queryParameter("partNumber") + " "
                        + request.header("x-amz-content-sha256") + " "
                        + actual.equals(request.header("x-amz-checksum-crc32c")));
            }
            return chain.proceed(request);
        });
        long size = 2L * PART + 777;
        try (StagedWrite w = store.beginWrite(key("parts"))) {
            write(TestBytes.random(11, size), w);
            w.commit();
        }
        assertThat(seen).containsExactlyInAnyOrder("1 UNSIGNED-PAYLOAD true", "2 UNSIGNED-PAYLOAD true",
                "3 UNSIGNED-PAYLOAD true");
        assertThat(TestBytes.sha256(store.open(key("parts")))).isEqualTo(TestBytes.sha256(TestBytes.random(11, size)));
    }

    @Test
    void a_part_changed_on_the_way_is_refused_and_nothing_is_committed() throws Exception {
        S3Settings settings = S3.settings();
        S3ArchiveStore store = S3.connect(settings, corruptPart(2));
        StagedWrite w = store.beginWrite(key("damaged"));
        Throwable refused = catchThrowable(() -> {
            write(TestBytes.random(12, 3L * PART), w);
            w.commit();
        });
        Throwable cause = refused instanceof IOException ? refused.getCause() : refused;
        assertThat(cause).isInstanceOf(StorageUnavailableException.class)
                .hasMessageContaining("could not upload part 2 of archive 'damaged'").hasMessageContaining("HTTP 400");
        w.abort();
        assertThat(store.stat(key("damaged"))).isEmpty();
        assertThat(S3.objectNames(settings.bucket(), "")).isEmpty();
        assertThat(S3.pendingUploads(settings.bucket(), "")).isEmpty();
    }

    /** Flips one byte of part {@code number}'s body, leaving its length and (signed) headers as they were. */
    private static Interceptor corruptPart(int number) {
        return chain -> {
            Request request = chain.request();
            if (String.valueOf(number).equals(request.url().queryParameter("partNumber"))) {
                Buffer body = new Buffer();
                request.body().writeTo(body);
                byte[] bytes = body.readByteArray();
                bytes[bytes.length / 2] ^= 0x01;
                request = request.newBuilder()
                        .method(request.method(), RequestBody.create(bytes, request.body().contentType()))
                        .build();
            }
            return chain.proceed(request);
        };
    }

    private static void write(InputStream in, StagedWrite w) throws IOException {
        try (in) {
            in.transferTo(w.stream());
        }
    }
}
