package io.snapkeep.core.application.archive;

import io.snapkeep.core.port.out.StateParticipant.ExportSink;
import io.snapkeep.core.support.DaemonThreads;
import io.snapkeep.core.support.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.zip.Deflater;

/**
 * Writes a {@code snapkeep/1} archive in one pass to a stream: {@code metadata.json} first, then each
 * participant's entries under {@code participants/<name>/}, then {@code MANIFEST.sha256} and the zip's
 * central directory. Never buffers the archive; ZIP64 where sizes or counts need it.
 *
 * <p>Use: {@link #writeMetadata}, then {@link #participantSink} for each participant in the order the
 * metadata lists them, then {@link #finish}. Does not close {@code out}.
 *
 * <p>How entries are stored: already-compressed content (by extension, or because deflating its first
 * 64 KiB barely shrinks it) is STORED when its size is known ({@code addEntry}); everything else is
 * DEFLATED. Entries up to 1 MiB (known size, or a {@code newEntry} closed before it reached 1 MiB) are
 * held in memory and compressed on a small shared pool while the caller goes on, then written in order;
 * at most {@value #MAX_PENDING} of them (and 16 MiB) wait at a time. Larger entries stream through.
 * A {@code newEntry} that grows past 1 MiB streams deflated with a data descriptor; when its start does not
 * compress it is deflated at level 0 (stored blocks), which costs no CPU and still streams.
 *
 * <p>The observer hears of participant entries only: {@code copied} with every uncompressed byte (at least
 * every 4 MiB inside long entries, so the sum of all calls is the archive's expanded bytes), and
 * {@code entryDone} with the entry's full archive path ({@code participants/<name>/<path>}) once it is
 * written. It is called on the caller's thread; whatever it throws propagates unchanged. After any
 * exception the writer is unusable (the caller aborts what it was writing to).
 */
public final class ArchiveWriter implements AutoCloseable {
    /** Entries up to this size are compressed in memory, off the caller's thread. */
    static final int SMALL_ENTRY = 1 << 20;
    /** Entries this small are compressed on the caller's thread: a hand-off would cost more. */
    private static final int INLINE_ENTRY = 2 * 1024;
    static final int MAX_PENDING = 64;
    private static final long MAX_PENDING_BYTES = 16L << 20;
    static final long PROGRESS_STEP = 4L << 20;
    private static final int COPY_BUFFER = 64 * 1024;
    /** Large entries are read a MiB at a time: fewer system calls, and longer read-ahead on a cold disk. */
    private static final int LARGE_COPY_BUFFER = 1 << 20;

    private static final ExecutorService DEFLATE_POOL = deflatePool();
    private static final ThreadLocal<Deflater> POOLED_DEFLATER =
            ThreadLocal.withInitial(() -> new Deflater(Deflater.DEFAULT_COMPRESSION, true));

    private final OutputStream out;
    private final ArchiveObserver observer;
    private final long zip64Size;
    private final long zip64Count;
    private ZipStreamWriter zip;
    private Map<String, Integer> participantOrder;
    private int currentParticipant = -1;
    private final Set<String> names = new HashSet<>();
    private final List<ManifestCodec.Line> manifest = new ArrayList<>();
    private final ArrayDeque<Future<Prepared>> pending = new ArrayDeque<>();
    private long pendingBytes;
    private EntryStream openStream;
    private long entries;
    private long expandedBytes;
    private boolean failed;
    private boolean finished;

    public ArchiveWriter(OutputStream out, ArchiveObserver observer) {
        this(out, observer, Zip.MAGIC32, Zip.MAGIC16);
    }

    /** With lower ZIP64 thresholds, so tests reach the ZIP64 paths without writing 4 GiB. */
    ArchiveWriter(OutputStream out, ArchiveObserver observer, long zip64Size, long zip64Count) {
        this.out = java.util.Objects.requireNonNull(out, "out");
        this.observer = java.util.Objects.requireNonNull(observer, "observer");
        this.zip64Size = zip64Size;
        this.zip64Count = zip64Count;
    }

    /** An entry compressed (or not) in memory, ready to be written whole. */
    private record Prepared(String name, int method, int crc, long size, byte[] data, int length,
                            byte[] sha256) {
    }

    private interface Step {
        void run() throws IOException;
    }

    /** Runs {@code step}; any failure leaves the writer unusable, so nothing is written after a hole. */
    private void guarded(Step step) throws IOException {
        if (failed) {
            throw new IllegalStateException("the archive writer failed earlier and cannot go on");
        }
        if (finished) {
            throw new IllegalStateException("the archive writer is finished");
        }
        boolean ok = false;
        try {
            step.run();
            ok = true;
        } finally {
            if (!ok) {
                giveUp();
            }
        }
    }

    public void writeMetadata(ArchiveMetadata metadata) throws IOException {
        java.util.Objects.requireNonNull(metadata, "metadata");
        guarded(() -> {
            if (zip != null) {
                throw new IllegalStateException("metadata is already written");
            }
            byte[] json = MetadataCodec.encode(metadata); // refuses names that cannot be folders, and repeats
            Map<String, Integer> order = new LinkedHashMap<>();
            for (ArchiveMetadata.ParticipantInfo p : metadata.participants()) {
                order.put(p.name(), order.size());
            }
            participantOrder = order;
            zip = new ZipStreamWriter(out, Zip.dosDateTime(metadata.createdAt()), zip64Size, zip64Count);
            Prepared p = prepare(ArchiveLayout.METADATA, json, json.length, false);
            zip.writeComplete(p.name, p.method, p.crc, p.size, p.data, 0, p.length);
            names.add(ArchiveLayout.METADATA);
            manifest.add(new ManifestCodec.Line(p.sha256, p.size, ArchiveLayout.METADATA));
        });
    }

    /** Where participant {@code name} writes its entries; paths it gives are relative to its folder. */
    public ExportSink participantSink(String name) {
        if (zip == null) {
            throw new IllegalStateException("write the metadata before any participant");
        }
        Integer index = participantOrder.get(name);
        if (index == null) {
            throw new IllegalArgumentException("Participant `" + name + "` is not listed in the metadata");
        }
        if (index < currentParticipant) {
            throw new IllegalStateException("Participant `" + name
                    + "` comes before one already written; write participants in the metadata's order");
        }
        if (openStream != null) {
            throw new IllegalStateException("entry `" + openStream.name + "` is still open");
        }
        currentParticipant = index;
        return new Sink(name, index);
    }

    /**
     * Releases what an unfinished writer holds (its output thread, queued compressions); the archive is
     * being given up. Does nothing after {@link #finish()}.
     */
    @Override
    public void close() {
        if (!finished && !failed) {
            giveUp();
        }
    }

    private void giveUp() {
        failed = true;
        pending.forEach(f -> f.cancel(false));
        pending.clear();
        if (zip != null) {
            zip.abandon();
        }
    }

    /** Writes manifest and central directory, flushes; returns counts, size and SHA-256 of what was written. */
    public ArchiveSummary finish() throws IOException {
        ArchiveSummary[] summary = new ArchiveSummary[1];
        guarded(() -> {
            if (zip == null) {
                throw new IllegalStateException("write the metadata before finishing");
            }
            if (openStream != null) {
                throw new IllegalStateException("entry `" + openStream.name + "` is still open");
            }
            drainPending();
            writeManifest();
            summary[0] = new ArchiveSummary(entries, expandedBytes, zip.finish());
            finished = true;
        });
        return summary[0];
    }

    private void writeManifest() throws IOException {
        zip.beginEntry(ArchiveLayout.MANIFEST, Zip.DEFLATED, -1);
        Hashing hashing = new Hashing();
        try (DeflatingOut deflating = new DeflatingOut(zip.data(), Deflater.DEFAULT_COMPRESSION)) {
            for (ManifestCodec.Line m : manifest) {
                byte[] bytes = ManifestCodec.encode(m);
                hashing.update(bytes, 0, bytes.length);
                deflating.write(bytes, 0, bytes.length);
            }
            deflating.finish();
        }
        zip.endEntry(hashing.crc(), hashing.count);
    }

    private final class Sink implements ExportSink {
        private final String participant;
        private final int index;

        Sink(String participant, int index) {
            this.participant = participant;
            this.index = index;
        }

        @Override
        public OutputStream newEntry(String path) throws IOException {
            String name = claim(path);
            EntryStream stream = new EntryStream(name);
            openStream = stream;
            return stream;
        }

        @Override
        public void addEntry(String path, long size, InputStream content) throws IOException {
            if (size < 0) {
                throw new IllegalArgumentException("entry size must not be negative: " + size);
            }
            java.util.Objects.requireNonNull(content, "content");
            String name = claim(path);
            guarded(() -> {
                if (size <= SMALL_ENTRY) {
                    byte[] data = content.readNBytes((int) size);
                    if (data.length < size) {
                        throw shortContent(name, data.length, size);
                    }
                    submit(name, data, data.length);
                } else {
                    writeLargeKnown(name, size, content);
                }
            });
        }

        /** Checks {@code path} and reserves its archive name. */
        private String claim(String path) {
            java.util.Objects.requireNonNull(path, "path");
            if (failed || finished) {
                throw new IllegalStateException(failed ? "the archive writer failed earlier and cannot go on"
                        : "the archive writer is finished");
            }
            if (currentParticipant != index) {
                throw new IllegalStateException("participant `" + participant + "`'s sink is no longer current");
            }
            if (openStream != null) {
                throw new IllegalStateException("entry `" + openStream.name + "` is still open; close it first");
            }
            String problem = Zip.problemWithName(path);
            if (problem != null) {
                throw new IllegalArgumentException(problem);
            }
            String name = ArchiveLayout.folder(participant) + path;
            if (!names.add(name)) {
                throw new IllegalArgumentException("Entry `" + path + "` of participant `" + participant
                        + "` was already written");
            }
            return name;
        }
    }

    private static IOException shortContent(String name, long got, long announced) {
        return new IOException("The content of `" + name + "` ended after " + got + " of the " + announced
                + " bytes announced");
    }

    /** Queues a small entry for compression; writes the oldest queued ones while too many wait. */
    private void submit(String name, byte[] data, int length) throws IOException {
        Future<Prepared> future;
        if (length <= INLINE_ENTRY) {
            future = CompletableFuture.completedFuture(prepare(name, data, length, Compression.compressedByName(name)));
        } else {
            future = DEFLATE_POOL.submit(() -> prepare(name, data, length, Compression.compressedByName(name)));
        }
        pending.addLast(future);
        pendingBytes += length;
        while (pending.size() > MAX_PENDING || pendingBytes > MAX_PENDING_BYTES) {
            writeOldest();
        }
    }

    private void drainPending() throws IOException {
        while (!pending.isEmpty()) {
            writeOldest();
        }
    }

    private void writeOldest() throws IOException {
        Prepared p;
        try {
            p = pending.peekFirst().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while compressing archive entries");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IOException("compressing an archive entry failed", cause);
        }
        pending.removeFirst();
        pendingBytes -= p.size;
        zip.writeComplete(p.name, p.method, p.crc, p.size, p.data, 0, p.length);
        entryWritten(p.name, p.sha256, p.size);
        if (p.size > 0) {
            observer.copied(p.size);
        }
        observer.entryDone(p.name, p.size);
    }

    private void entryWritten(String name, byte[] sha256, long size) {
        manifest.add(new ManifestCodec.Line(sha256, size, name));
        entries++;
        expandedBytes += size;
    }

    /** CRC, digest and, unless the name says it is pointless, deflate of an in-memory entry. */
    private static Prepared prepare(String name, byte[] data, int length, boolean compressedByName) {
        Hashing hashing = new Hashing();
        hashing.update(data, 0, length);
        if (!compressedByName && length > 0) {
            Deflater deflater = POOLED_DEFLATER.get();
            deflater.reset();
            deflater.setInput(data, 0, length);
            deflater.finish();
            // Output only counts if it is clearly smaller, so a buffer of that size is enough.
            byte[] packed = new byte[Math.max(64, (int) (length * 0.9))];
            int packedLength = 0;
            while (!deflater.finished() && packedLength < packed.length) {
                packedLength += deflater.deflate(packed, packedLength, packed.length - packedLength);
            }
            if (deflater.finished() && Compression.worthIt(packedLength, length)) {
                return new Prepared(name, Zip.DEFLATED, hashing.crc(), length, packed, packedLength, hashing.sha256());
            }
        }
        return new Prepared(name, Zip.STORED, hashing.crc(), length, data, length, hashing.sha256());
    }

    /** A known-size entry over {@link #SMALL_ENTRY}: stored or deflated as it streams through. */
    private void writeLargeKnown(String name, long size, InputStream content) throws IOException {
        drainPending();
        byte[] sample = new byte[0];
        boolean store = Compression.compressedByName(name);
        if (!store) {
            sample = content.readNBytes((int) Math.min(Compression.SAMPLE_BYTES, size));
            store = !Compression.sampleCompresses(sample, sample.length);
        }
        Hashing hashing = new Hashing();
        DeflatingOut deflating = null;
        OutputStream target;
        if (store) {
            zip.beginEntry(name, Zip.STORED, size);
            target = zip.data();
        } else {
            zip.beginEntry(name, Zip.DEFLATED, size);
            deflating = new DeflatingOut(zip.data(), Deflater.DEFAULT_COMPRESSION);
            target = deflating;
        }
        try {
            hashing.update(sample, 0, sample.length);
            target.write(sample, 0, sample.length);
            byte[] buffer = new byte[LARGE_COPY_BUFFER];
            while (hashing.count < size) {
                int n = content.read(buffer, 0, (int) Math.min(buffer.length, size - hashing.count));
                if (n < 0) {
                    throw shortContent(name, hashing.count, size);
                }
                hashing.update(buffer, 0, n);
                target.write(buffer, 0, n);
                reportProgress(hashing);
            }
            if (deflating != null) {
                deflating.finish();
            }
        } finally {
            if (deflating != null) {
                deflating.close();
            }
        }
        zip.endEntry(hashing.crc(), size);
        finishStreamed(name, hashing);
    }

    private void reportProgress(Hashing hashing) {
        if (hashing.unreported >= PROGRESS_STEP) {
            long n = hashing.unreported;
            hashing.unreported = 0;
            observer.copied(n);
        }
    }

    private void finishStreamed(String name, Hashing hashing) {
        entryWritten(name, hashing.sha256(), hashing.count);
        if (hashing.unreported > 0) {
            long n = hashing.unreported;
            hashing.unreported = 0;
            observer.copied(n);
        }
        observer.entryDone(name, hashing.count);
    }

    /** An entry of unknown size: kept in memory while small, streamed (deflated) once it grows. */
    private final class EntryStream extends OutputStream {
        private final String name;
        private byte[] buffer = new byte[8 * 1024];
        private int buffered;
        private DeflatingOut deflating;
        private Hashing hashing;
        private boolean closed;

        EntryStream(String name) {
            this.name = name;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            java.util.Objects.checkFromIndexSize(off, len, b.length);
            if (closed) {
                throw new IOException("entry `" + name + "` is closed");
            }
            guarded(() -> {
                if (deflating == null) {
                    if ((long) buffered + len <= SMALL_ENTRY) {
                        if (buffered + len > buffer.length) {
                            buffer = Arrays.copyOf(buffer, Math.min(SMALL_ENTRY, Math.max(buffered + len, buffer.length * 2)));
                        }
                        System.arraycopy(b, off, buffer, buffered, len);
                        buffered += len;
                        return;
                    }
                    startStreaming();
                }
                hashing.update(b, off, len);
                deflating.write(b, off, len);
                reportProgress(hashing);
            });
        }

        private void startStreaming() throws IOException {
            drainPending();
            boolean incompressible = Compression.compressedByName(name)
                    || !Compression.sampleCompresses(buffer, Math.min(buffered, Compression.SAMPLE_BYTES));
            zip.beginEntry(name, Zip.DEFLATED, -1);
            hashing = new Hashing();
            deflating = new DeflatingOut(zip.data(),
                    incompressible ? Deflater.NO_COMPRESSION : Deflater.DEFAULT_COMPRESSION);
            hashing.update(buffer, 0, buffered);
            deflating.write(buffer, 0, buffered);
            buffer = null;
        }

        @Override
        public void close() throws IOException {
            if (closed) {
                return;
            }
            closed = true;
            guarded(() -> {
                openStream = null;
                if (deflating == null) {
                    byte[] data = buffer;
                    buffer = null;
                    submit(name, data, buffered);
                } else {
                    try {
                        deflating.finish();
                    } finally {
                        deflating.close();
                    }
                    zip.endEntry(hashing.crc(), hashing.count);
                    finishStreamed(name, hashing);
                }
            });
        }
    }

    /** CRC-32, SHA-256 and count of an entry's uncompressed bytes. */
    static final class Hashing {
        private final java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        private final java.security.MessageDigest sha;
        long count;
        long unreported;

        Hashing() {
            sha = Sha256.newDigest();
        }

        void update(byte[] b, int off, int len) {
            crc.update(b, off, len);
            sha.update(b, off, len);
            count += len;
            unreported += len;
        }

        int crc() {
            return (int) crc.getValue();
        }

        byte[] sha256() {
            return sha.digest();
        }
    }

    /** Raw deflate into {@code out}, which it does not close. */
    private static final class DeflatingOut extends OutputStream {
        private final OutputStream out;
        private final Deflater deflater;
        private final byte[] buffer = new byte[COPY_BUFFER];

        DeflatingOut(OutputStream out, int level) {
            this.out = out;
            this.deflater = new Deflater(level, true);
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return;
            }
            deflater.setInput(b, off, len);
            while (!deflater.needsInput()) {
                int n = deflater.deflate(buffer);
                out.write(buffer, 0, n);
            }
        }

        void finish() throws IOException {
            deflater.finish();
            while (!deflater.finished()) {
                int n = deflater.deflate(buffer);
                out.write(buffer, 0, n);
            }
        }

        @Override
        public void close() {
            deflater.end();
        }
    }

    private static ExecutorService deflatePool() {
        int threads = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 5, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), DaemonThreads.named("snapkeep-archive-deflate"));
        // Idle threads go away, so a library embedded in a host leaves nothing running between snapshots.
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }
}
