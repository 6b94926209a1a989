package io.snapkeep.core.application.archive;

import io.snapkeep.core.port.out.StateParticipant.ExportSink;
import io.snapkeep.core.testing.TestBytes;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Writes a 2 GiB archive and reads it back at the same time through an in-memory pipe of 8 MiB, so that
 * memory use shows whether anything buffers the archive. Not a test (the default run skips it); run with
 * a small heap, e.g. {@code java -Xmx128m -cp core/target/classes:core/target/test-classes
 * io.snapkeep.core.application.archive.ArchiveBenchmark}.
 */
public final class ArchiveBenchmark {
    private static final long MIB = 1 << 20;

    private ArchiveBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        long gib = args.length > 0 ? Long.parseLong(args[0]) : 2;
        long total = gib << 30;
        // A quarter text (deflated: large streamed entries and many small pooled ones), the rest random (stored).
        long randomBytes = total * 3 / 4;
        long textBytes = total / 4;
        long largeRandom = 128 * MIB;
        long largeText = 96 * MIB;
        long smallText = 64 * 1024;
        long smallTextTotal = 128 * MIB;

        ExecutorService writerThread = Executors.newSingleThreadExecutor();
        Pipe pipe = new Pipe(8);
        long start = System.nanoTime();
        Future<ArchiveSummary> written = writerThread.submit(() -> {
            try (OutputStream out = pipe.output()) {
                ArchiveWriter writer = new ArchiveWriter(out, ArchiveObserver.NONE);
                writer.writeMetadata(Archives.metadata("random", "text"));
                ExportSink random = writer.participantSink("random");
                for (long i = 0, done = 0; done < randomBytes; i++, done += largeRandom) {
                    random.addEntry("blob-" + i + ".bin", largeRandom, TestBytes.random(i, largeRandom));
                }
                ExportSink text = writer.participantSink("text");
                long textDone = 0;
                for (int i = 0; textDone < smallTextTotal; i++, textDone += smallText) {
                    text.addEntry("small/" + i + ".txt", smallText, new TextStream(i, smallText));
                }
                for (int i = 0; textDone < textBytes; i++, textDone += largeText) {
                    try (OutputStream o = text.newEntry("large/" + i + ".log")) {
                        new TextStream(i, largeText).transferTo(o);
                    }
                }
                return writer.finish();
            }
        });
        ArchiveReader reader = new ArchiveReader(pipe.input(), ArchiveLimits.DEFAULTS, ArchiveObserver.NONE);
        Archives.readAll(reader);
        ArchiveSummary read = reader.finish();
        ArchiveSummary wrote = written.get();
        double seconds = (System.nanoTime() - start) / 1e9;
        writerThread.shutdown();
        if (!read.equals(wrote)) {
            throw new AssertionError("read " + read + " but wrote " + wrote);
        }
        // The old generation's peak is what stayed alive; the sum of every pool's peak would overstate it.
        long oldPeak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getName().contains("Old")) {
                oldPeak = Math.max(oldPeak, pool.getPeakUsage().getUsed());
            }
        }
        System.out.printf("entries %d, expanded %d MiB, archive %d MiB, sha256 %s%n", read.entries(),
                read.expandedBytes() / MIB, read.archive().size() / MIB, read.archive().sha256());
        System.out.printf("write+read (concurrently, through a pipe): %.1f s, %.0f MiB/s expanded, %.0f MiB/s archive%n",
                seconds, read.expandedBytes() / MIB / seconds, read.archive().size() / MIB / seconds);
        System.out.printf("max heap %d MiB, old generation peak %d MiB%n", Runtime.getRuntime().maxMemory() / MIB,
                oldPeak / MIB);
    }

    /** Text-like bytes (deflate shrinks them about 4:1), generated as they are read. */
    private static final class TextStream extends InputStream {
        private static final byte[] WORDS = ("alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi "
                + "omicron pi rho sigma tau upsilon phi chi psi omega ").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        private final java.util.SplittableRandom random;
        private long left;

        TextStream(long seed, long size) {
            this.random = new java.util.SplittableRandom(seed);
            this.left = size;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (left == 0) {
                return -1;
            }
            int n = (int) Math.min(len, left);
            int i = 0;
            while (i < n) {
                int word = random.nextInt(WORDS.length - 12);
                int take = Math.min(n - i, 4 + random.nextInt(8));
                System.arraycopy(WORDS, word, b, off + i, take);
                i += take;
            }
            left -= n;
            return n;
        }
    }

    /** A bounded in-memory pipe of 1 MiB chunks between the writer's thread and the reader's. */
    private static final class Pipe {
        private static final byte[] END = new byte[0];
        private final BlockingQueue<byte[]> chunks;
        private final int chunkSize = 1 << 20;

        Pipe(int chunksInFlight) {
            this.chunks = new ArrayBlockingQueue<>(chunksInFlight);
        }

        OutputStream output() {
            return new OutputStream() {
                private byte[] chunk = new byte[chunkSize];
                private int used;

                @Override
                public void write(int b) throws IOException {
                    write(new byte[] {(byte) b}, 0, 1);
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    while (len > 0) {
                        int n = Math.min(len, chunkSize - used);
                        System.arraycopy(b, off, chunk, used, n);
                        used += n;
                        off += n;
                        len -= n;
                        if (used == chunkSize) {
                            put(chunk);
                            chunk = new byte[chunkSize];
                            used = 0;
                        }
                    }
                }

                @Override
                public void close() throws IOException {
                    if (used > 0) {
                        put(Arrays.copyOf(chunk, used));
                    }
                    put(END);
                }

                private void put(byte[] c) throws IOException {
                    try {
                        chunks.put(c);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new java.io.InterruptedIOException();
                    }
                }
            };
        }

        InputStream input() {
            return new InputStream() {
                private byte[] chunk = new byte[0];
                private int pos;
                private boolean ended;

                @Override
                public int read() throws IOException {
                    byte[] one = new byte[1];
                    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    while (pos == chunk.length) {
                        if (ended) {
                            return -1;
                        }
                        try {
                            chunk = chunks.take();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            throw new java.io.InterruptedIOException();
                        }
                        pos = 0;
                        ended = chunk == END;
                    }
                    int n = Math.min(len, chunk.length - pos);
                    System.arraycopy(chunk, pos, b, off, n);
                    pos += n;
                    return n;
                }
            };
        }
    }
}
