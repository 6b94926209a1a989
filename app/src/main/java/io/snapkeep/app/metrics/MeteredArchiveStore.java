package io.snapkeep.app.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.snapkeep.core.error.StorageUnavailableException;
import io.snapkeep.core.port.out.ArchiveStore;
import io.snapkeep.core.port.out.StoreKey;
import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * An {@link ArchiveStore} that counts the bytes written to and read from the store it wraps, and its
 * failures: a {@link StorageUnavailableException} from a call, an {@link IOException} from a stream. What
 * the port treats as an answer (a missing key, a bad range) is not a failure. Closing closes the store.
 */
final class MeteredArchiveStore implements ArchiveStore, AutoCloseable {
    private final ArchiveStore store;
    private final Counter written;
    private final Counter read;
    private final Counter errors;

    MeteredArchiveStore(ArchiveStore store, String type, MeterRegistry registry) {
        this.store = store;
        this.written = Counter.builder(SnapkeepMetrics.PREFIX + "store.written").baseUnit("bytes")
                .description("Bytes written to the archive store: archives and records").tag("store", type)
                .register(registry);
        this.read = Counter.builder(SnapkeepMetrics.PREFIX + "store.read").baseUnit("bytes")
                .description("Bytes read from the archive store: archives and records").tag("store", type)
                .register(registry);
        // Registered at 0, so that a rate over it is defined before the first failure.
        this.errors = Counter.builder(SnapkeepMetrics.PREFIX + "store.errors")
                .description("Failures of the archive store: calls that found it unavailable, streams that broke")
                .tag("store", type).register(registry);
    }

    private void failed() {
        errors.increment();
    }

    private <T> T call(Supplier<T> body) {
        try {
            return body.get();
        } catch (StorageUnavailableException e) {
            failed();
            throw e;
        }
    }

    @Override
    public StagedWrite beginWrite(StoreKey key) {
        StagedWrite write = call(() -> store.beginWrite(key));
        OutputStream counted = new FilterOutputStream(write.stream()) {
            @Override
            public void write(int b) throws IOException {
                counted(() -> out.write(b));
                written.increment();
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                counted(() -> out.write(b, off, len));
                written.increment(len);
            }

            @Override
            public void flush() throws IOException {
                counted(out::flush);
            }
        };
        return new StagedWrite() {
            @Override
            public OutputStream stream() {
                return counted;
            }

            @Override
            public StoredArchive commit() {
                return call(write::commit);
            }

            @Override
            public void abort() {
                write.abort();
            }
        };
    }

    @Override
    public Optional<StoredArchive> stat(StoreKey key) {
        return call(() -> store.stat(key));
    }

    @Override
    public InputStream openRange(StoreKey key, long offset, long length) {
        return counting(call(() -> store.openRange(key, offset, length)));
    }

    @Override
    public InputStream open(StoreKey key) {
        return counting(call(() -> store.open(key)));
    }

    @Override
    public void delete(StoreKey key) {
        call(() -> {
            store.delete(key);
            return null;
        });
    }

    @Override
    public void writeRecord(StoreKey key, byte[] record) {
        call(() -> {
            store.writeRecord(key, record);
            return null;
        });
        written.increment(record.length);
    }

    @Override
    public Optional<byte[]> readRecord(StoreKey key) {
        Optional<byte[]> record = call(() -> store.readRecord(key));
        record.ifPresent(r -> read.increment(r.length));
        return record;
    }

    @Override
    public Inventory inventory() {
        return call(store::inventory);
    }

    @Override
    public Optional<StoredArchive> adoptLegacy(StoreKey key) {
        return call(() -> store.adoptLegacy(key));
    }

    @Override
    public int removeStaged(Supplier<Set<StoreKey>> keysInUse) {
        return call(() -> store.removeStaged(keysInUse));
    }

    @Override
    public void probe() {
        call(() -> {
            store.probe();
            return null;
        });
    }

    @Override
    public void close() throws Exception {
        if (store instanceof AutoCloseable closeable) {
            closeable.close();
        }
    }

    private InputStream counting(InputStream in) {
        return new FilterInputStream(in) {
            @Override
            public int read() throws IOException {
                int b = readCounted(super::read);
                if (b >= 0) {
                    read.increment();
                }
                return b;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = readCounted(() -> super.read(b, off, len));
                if (n > 0) {
                    read.increment(n);
                }
                return n;
            }
        };
    }

    private interface IoRun {
        void run() throws IOException;
    }

    private interface IoRead {
        int read() throws IOException;
    }

    private void counted(IoRun io) throws IOException {
        try {
            io.run();
        } catch (IOException e) {
            failed();
            throw e;
        }
    }

    private int readCounted(IoRead io) throws IOException {
        try {
            return io.read();
        } catch (IOException e) {
            failed();
            throw e;
        }
    }
}
