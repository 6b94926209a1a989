package io.snapkeep.storage.fs;

import static io.snapkeep.storage.fs.TestKeys.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snapkeep.core.port.out.ArchiveStore;
import io.snapkeep.core.port.out.ArchiveStore.StagedWrite;
import io.snapkeep.core.testing.TestBytes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ranged stream's own paths: bulk transfer, skip and available stay inside the range. */
class RangedReadsTest {
    @TempDir
    Path dir;

    private final byte[] bytes = TestBytes.randomArray(1, 500_000);
    private ArchiveStore store;

    @BeforeEach
    void storeOneArchive() throws IOException {
        store = new FileSystemArchiveStore(dir);
        try (StagedWrite w = store.beginWrite(key("ranged"))) {
            w.stream().write(bytes);
            w.commit();
        }
    }

    @Test
    void transfer_to_copies_exactly_the_range() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream in = store.openRange(key("ranged"), 1000, 300_000)) {
            assertThat(in.transferTo(out)).isEqualTo(300_000);
        }
        assertThat(out.toByteArray()).isEqualTo(Arrays.copyOfRange(bytes, 1000, 301_000));
    }

    @Test
    void skip_and_available_stop_at_the_end_of_the_range() throws IOException {
        try (InputStream in = store.openRange(key("ranged"), 100, 1000)) {
            assertThat(in.available()).isEqualTo(1000);
            assertThat(in.skip(400)).isEqualTo(400);
            assertThat(in.read()).isEqualTo(bytes[500] & 0xff);
            assertThat(in.skip(10_000)).isEqualTo(599);
            assertThat(in.available()).isZero();
            assertThat(in.read()).isEqualTo(-1);
        }
    }

    @Test
    void a_range_at_the_very_end_is_empty() throws IOException {
        try (InputStream in = store.openRange(key("ranged"), bytes.length, 10)) {
            assertThat(in.read()).isEqualTo(-1);
        }
    }

    @Test
    void an_archive_cut_short_after_it_was_opened_is_a_read_error_not_a_quiet_end() throws IOException {
        try (InputStream whole = store.open(key("ranged"));
             InputStream tail = store.openRange(key("ranged"), 400_000, 50_000)) {
            assertThat(whole.read()).isEqualTo(bytes[0] & 0xff);
            try (FileChannel file = FileChannel.open(dir.resolve("archives/ranged.zip"), StandardOpenOption.WRITE)) {
                file.truncate(420_000);
            }
            assertThatThrownBy(whole::readAllBytes).isInstanceOf(IOException.class)
                    .hasMessageContaining("`ranged`")
                    .hasMessageContaining("ended after 420000 of 500000 bytes");
            assertThatThrownBy(() -> tail.transferTo(OutputStream.nullOutputStream())).isInstanceOf(IOException.class)
                    .hasMessageContaining("ended after 20000 of 50000 bytes");
        }
        try (InputStream skipped = store.openRange(key("ranged"), 0, 420_000)) {
            assertThat(skipped.skip(419_999)).isEqualTo(419_999);
            assertThat(skipped.read()).isEqualTo(bytes[419_999] & 0xff);
            assertThat(skipped.read()).as("a range inside what is left ends normally").isEqualTo(-1);
        }
    }
}
