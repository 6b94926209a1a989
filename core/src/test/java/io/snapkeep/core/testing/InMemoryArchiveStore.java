package io.snapkeep.core.testing;

import io.snapkeep.core.error.NotFoundException;
import io.snapkeep.core.port.out.ArchiveStore;
import io.snapkeep.core.port.out.StoreKey;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An {@link ArchiveStore} on the heap, for tests of small archives. It also counts the staged writes that
 * are still open, so tests can check that every write was committed or aborted.
 */
public class InMemoryArchiveStore implements ArchiveStore {
    private final Map<StoreKey, byte[]> archives = new ConcurrentHashMap<>();
    private final Map<StoreKey, byte[]> records = new ConcurrentHashMap<>();
    private final Map<StoreKey, byte[]> legacy = new ConcurrentHashMap<>();
    private final AtomicInteger openWrites = new AtomicInteger();

    @Override
    public StagedWrite beginWrite(StoreKey key) {
        openWrites.incrementAndGet();
        return new StagedWrite() {
            private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
            private boolean finished;

            @Override
            public OutputStream stream() {
                return buffer;
            }

            @Override
            public StoredArchive commit() {
                if (finished) {
                    throw new IllegalStateException("this write has already ended");
                }
                finished = true;
                openWrites.decrementAndGet();
                byte[] bytes = buffer.toByteArray();
                archives.put(key, bytes);
                return new StoredArchive(key, bytes.length);
            }

            @Override
            public void abort() {
                if (!finished) {
                    finished = true;
                    openWrites.decrementAndGet();
                }
            }
        };
    }

    @Override
    public Optional<StoredArchive> stat(StoreKey key) {
        return Optional.ofNullable(archives.get(key)).map(b -> new StoredArchive(key, b.length));
    }

    @Override
    public InputStream openRange(StoreKey key, long offset, long length) {
        byte[] bytes = archives.get(key);
        if (bytes == null) {
            throw new NotFoundException("No archive is stored for `" + key + "`");
        }
        if (offset < 0 || length < 0 || offset > bytes.length) {
            throw new IllegalArgumentException("range " + offset + "+" + length + " outside 0.." + bytes.length);
        }
        int from = (int) offset;
        int len = (int) Math.min(length, bytes.length - offset);
        return new ByteArrayInputStream(bytes, from, len);
    }

    @Override
    public void delete(StoreKey key) {
        records.remove(key);
        archives.remove(key);
        legacy.remove(key);
    }

    @Override
    public void writeRecord(StoreKey key, byte[] record) {
        if (!archives.containsKey(key)) {
            throw new NotFoundException("No archive is stored for `" + key + "`: a record needs its archive");
        }
        records.put(key, record.clone());
    }

    @Override
    public Optional<byte[]> readRecord(StoreKey key) {
        return Optional.ofNullable(records.get(key)).map(byte[]::clone);
    }

    @Override
    public Inventory inventory() {
        Map<StoreKey, StoredArchive> listed = new HashMap<>();
        archives.forEach((k, v) -> listed.put(k, new StoredArchive(k, v.length)));
        return new Inventory(listed, records.keySet());
    }

    @Override
    public Optional<StoredArchive> adoptLegacy(StoreKey key) {
        byte[] old = legacy.remove(key);
        if (old == null || archives.containsKey(key)) {
            return Optional.empty();
        }
        archives.put(key, old);
        return stat(key);
    }

    /** Puts {@code bytes} where the previous release would have kept the archive of {@code key}. */
    public void putLegacy(StoreKey key, byte[] bytes) {
        legacy.put(key, bytes.clone());
    }

    /** Replaces the committed archive's bytes behind the store's back, as damage at rest would. */
    public void damage(StoreKey key, java.util.function.UnaryOperator<byte[]> change) {
        archives.computeIfPresent(key, (k, v) -> change.apply(v.clone()));
    }

    /** Removes a record behind the store's back, as a crash between an archive and its record would leave. */
    public void dropRecord(StoreKey key) {
        records.remove(key);
    }

    @Override
    public int removeStaged(java.util.function.Supplier<java.util.Set<StoreKey>> keysInUse) {
        return 0;
    }

    /** Staged writes begun and neither committed nor aborted yet. */
    public int openWrites() {
        return openWrites.get();
    }
}
