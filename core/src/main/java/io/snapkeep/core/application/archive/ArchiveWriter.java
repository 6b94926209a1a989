package io.snapkeep.core.application.archive;

import io.snapkeep.core.port.out.StateParticipant.ExportSink;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
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
 * held in memory and compressed on a small shared pool while the caller goes on, then written in order
 * ({@link PendingEntries}: at most {@value PendingEntries#MAX_PENDING} of them, and 16 MiB, wait at a time).
 * Larger entries stream through ({@link StreamedEntry}). A {@code newEntry} that grows past 1 MiB streams
 * deflated with a data descriptor; when its start does not compress it is deflated at level 0 (stored
 * blocks), which costs no CPU and still streams.
 *
 * <p>The observer hears of participant entries only: {@code copied} with every uncompressed byte (at least
 * every 4 MiB inside long entries, so the sum of all calls is the archive's expanded bytes), and
 * {@code entryDone} with the entry's full archive path ({@code participants/<name>/<path>}) once it is
 * written. It is called on the caller's thread; whatever it throws propagates unchanged. After any
 * exception the writer is unusable (the caller aborts what it was writing to).
 */
public final class ArchiveWriter implements AutoCloseable {
    private static final int SMALL_ENTRY = PendingEntries.SMALL_ENTRY;
    /** Large entries are read a MiB at a time: fewer system calls, and longer read-ahead on a cold disk. */
    private static final int LARGE_COPY_BUFFER = 1 << 20;

    private final OutputStream out;
    private final ArchiveObserver observer;
    private final long zip64Size;
    private final long zip64Count;
    private final PendingEntries pending = new PendingEntries(this::writePrepared);
    private ZipStreamWriter zip;
    private Map<String, Integer> participantOrder;
    private int currentParticipant = -1;
    private final Set<String> names = new HashSet<>();
    private final List<ManifestCodec.Line> manifest = new ArrayList<>();
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
        this.out = Objects.requireNonNull(out, "out");
        this.observer = Objects.requireNonNull(observer, "observer");
        this.zip64Size = zip64Size;
        this.zip64Count = zip64Count;
    }

    private interface Step {
        void run() throws IOException;
    }

    /** Runs {@code step}; any failure leaves the writer unusable, so nothing is written after a hole. */
    private void guarded(Step step) throws IOException {
        requireUsable();
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

    private void requireUsable() {
        if (failed) {
            throw new IllegalStateException("the archive writer failed earlier and cannot go on");
        }
        if (finished) {
            throw new IllegalStateException("the archive writer is finished");
        }
    }

    public void writeMetadata(ArchiveMetadata metadata) throws IOException {
        Objects.requireNonNull(metadata, "metadata");
        guarded(() -> {
            if (zip != null) {
                throw new IllegalStateException("metadata is already written");
            }
            byte[] json = MetadataCodec.encode(metadata); // refuses names that cannot be folders, and repeats
            Map<String, Integer> order = new HashMap<>();
            for (ArchiveMetadata.ParticipantInfo p : metadata.participants()) {
                order.put(p.name(), order.size());
            }
            participantOrder = order;
            zip = new ZipStreamWriter(out, Zip.dosDateTime(metadata.createdAt()), zip64Size, zip64Count);
            PendingEntries.Prepared p = PendingEntries.prepare(ArchiveLayout.METADATA, json, json.length, false);
            zip.writeComplete(p.name(), p.method(), p.crc(), p.size(), p.data(), 0, p.length());
            names.add(ArchiveLayout.METADATA);
            manifest.add(new ManifestCodec.Line(p.sha256(), p.size(), ArchiveLayout.METADATA));
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
        pending.cancel();
        if (openStream != null) {
            openStream.release();
        }
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
            pending.drain();
            StreamedEntry entry = StreamedEntry.deflated(zip, ArchiveLayout.MANIFEST, -1,
                    Deflater.DEFAULT_COMPRESSION, ArchiveObserver.NONE);
            ManifestCodec.write(manifest, entry);
            entry.finish();
            summary[0] = new ArchiveSummary(entries, expandedBytes, zip.finish());
            finished = true;
        });
        return summary[0];
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
            Objects.requireNonNull(content, "content");
            String name = claim(path);
            guarded(() -> {
                if (size <= SMALL_ENTRY) {
                    byte[] data = content.readNBytes((int) size);
                    if (data.length < size) {
                        throw shortContent(name, data.length, size);
                    }
                    pending.submit(name, data, data.length);
                } else {
                    writeLargeKnown(name, size, content);
                }
            });
        }

        /** Checks {@code path} and reserves its archive name. */
        private String claim(String path) {
            Objects.requireNonNull(path, "path");
            requireUsable();
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

    private void writePrepared(PendingEntries.Prepared p) throws IOException {
        zip.writeComplete(p.name(), p.method(), p.crc(), p.size(), p.data(), 0, p.length());
        entryWritten(p.name(), p.sha256(), p.size());
        EntryProgress.whole(observer, p.name(), p.size());
    }

    private void entryWritten(String name, byte[] sha256, long size) {
        manifest.add(new ManifestCodec.Line(sha256, size, name));
        entries++;
        expandedBytes += size;
    }

    /** A known-size entry over 1 MiB: stored or deflated as it streams through. */
    private void writeLargeKnown(String name, long size, InputStream content) throws IOException {
        pending.drain();
        byte[] sample = new byte[0];
        boolean store = Compression.compressedByName(name);
        if (!store) {
            sample = content.readNBytes((int) Math.min(Compression.SAMPLE_BYTES, size));
            store = !Compression.sampleCompresses(sample, sample.length);
        }
        try (StreamedEntry entry = store ? StreamedEntry.stored(zip, name, size, observer)
                : StreamedEntry.deflated(zip, name, size, Deflater.DEFAULT_COMPRESSION, observer)) {
            entry.write(sample, 0, sample.length);
            byte[] buffer = new byte[LARGE_COPY_BUFFER];
            while (entry.count() < size) {
                int n = content.read(buffer, 0, (int) Math.min(buffer.length, size - entry.count()));
                if (n < 0) {
                    throw shortContent(name, entry.count(), size);
                }
                entry.write(buffer, 0, n);
            }
            finishStreamed(name, entry);
        }
    }

    private void finishStreamed(String name, StreamedEntry entry) throws IOException {
        long size = entry.count();
        entryWritten(name, entry.finish(), size);
    }

    /** An entry of unknown size: kept in memory while small, streamed (deflated) once it grows. */
    private final class EntryStream extends OutputStream {
        private final String name;
        private byte[] buffer = new byte[8 * 1024];
        private int buffered;
        private StreamedEntry streamed;
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
            Objects.checkFromIndexSize(off, len, b.length);
            if (closed) {
                throw new IOException("entry `" + name + "` is closed");
            }
            guarded(() -> {
                if (streamed == null) {
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
                streamed.write(b, off, len);
            });
        }

        private void startStreaming() throws IOException {
            pending.drain();
            boolean incompressible = Compression.compressedByName(name)
                    || !Compression.sampleCompresses(buffer, Math.min(buffered, Compression.SAMPLE_BYTES));
            streamed = StreamedEntry.deflated(zip, name, -1,
                    incompressible ? Deflater.NO_COMPRESSION : Deflater.DEFAULT_COMPRESSION, observer);
            streamed.write(buffer, 0, buffered);
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
                if (streamed == null) {
                    byte[] data = buffer;
                    buffer = null;
                    pending.submit(name, data, buffered);
                } else {
                    try (StreamedEntry entry = streamed) {
                        finishStreamed(name, entry);
                    }
                }
            });
        }

        /** Frees the deflater of a stream that will not be finished. */
        void release() {
            if (streamed != null) {
                streamed.close();
            }
        }
    }
}
