package io.snapkeep.storage.s3;

import static io.snapkeep.storage.s3.TestKeys.key;
import static org.assertj.core.api.Assertions.assertThat;

import io.snapkeep.core.port.out.ArchiveStore.StagedWrite;
import io.snapkeep.core.testing.TestBytes;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A 1 GiB archive through the S3 store with default settings (16 MiB parts, 2 in flight) in a 128 MiB heap,
 * S3 server included: memory does not grow with the archive. Run with {@code -Pslow-tests}.
 */
@Tag("slow")
class S3GibRoundTripTest {
    @RegisterExtension
    static final S3TestServer S3 = new S3TestServer();

    private static final long SIZE = 1024L * 1024 * 1024;

    @Test
    void a_1_GiB_stream_round_trips_in_a_small_heap() throws Exception {
        assertThat(Runtime.getRuntime().maxMemory()).as("run with -Xmx128m (mvn -Pslow-tests)")
                .isLessThanOrEqualTo(160L * 1024 * 1024);
        S3Settings settings = S3.settings().withPartSize(S3Settings.DEFAULT_PART_SIZE);
        S3ArchiveStore store = S3.connect(settings);
        // Samples used heap while the test runs, to report the peak (a measurement, not a wait).
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        AtomicLong peak = new AtomicLong();
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        sampler.scheduleAtFixedRate(() -> peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max),
                0, 20, TimeUnit.MILLISECONDS);

        long start = System.nanoTime();
        MessageDigest written = MessageDigest.getInstance("SHA-256");
        try (StagedWrite w = store.beginWrite(key("one-gib"));
             InputStream in = new DigestInputStream(TestBytes.random(42, SIZE), written)) {
            byte[] buf = new byte[64 * 1024];
            int n;
            while ((n = in.read(buf)) > 0) {
                w.stream().write(buf, 0, n);
            }
            assertThat(w.commit().size()).isEqualTo(SIZE);
        }
        long wrote = System.nanoTime();
        String read = TestBytes.sha256(store.open(key("one-gib")));
        long done = System.nanoTime();

        assertThat(read).isEqualTo(HexFormat.of().formatHex(written.digest()));
        sampler.shutdownNow();
        System.out.printf("1 GiB round trip: write+commit %.1f s, read+sha256 %.1f s, peak used heap %d MiB"
                + " of max %d MiB%n", (wrote - start) / 1e9, (done - wrote) / 1e9, peak.get() >> 20,
                Runtime.getRuntime().maxMemory() >> 20);
        store.delete(key("one-gib"));
    }
}
