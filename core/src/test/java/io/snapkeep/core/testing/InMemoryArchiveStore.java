package io.snapkeep.core.testing;

import io.snapkeep.core.error.NotFoundException;
import io.snapkeep.core.error.StorageUnavailableException;
import io.snapkeep.core.port.out.ArchiveStore;
import io.snapkeep.core.port.out.StoreKey;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * An {@link ArchiveStore} on the heap, for tests of small archives. It also counts the staged writes that
 * are still open, so tests can check that every write was committed or aborted.
 *
 * <p>{@link #anotherInstance()} opens a second instance on the same heap storage, as another node of a
 * cluster opens the same bucket: each instance owns its own staged writes, and every instance sees them all.
 */
public class InMemoryArchiveStore implements ArchiveStore {
    private final Storage storage;
    private final AtomicInteger openWrites = new AtomicInteger();

    public InMemoryArchiveStore() {
        this(new Storage());
    }

    private InMemoryArchiveStore(Storage storage) {
        this.storage = storage;
    }

    /** A second instance on this one's storage; its staged writes are its own. */
    public InMemoryArchiveStore anotherInstance() {
        return new InMemoryArchiveStore(storage);
    }

    /** What instances on one storage share, as nodes share a bucket. */
    private static final class Storage {
        final Map<StoreKey, byte[]> archives = new ConcurrentHashMap<>();
        final Map<StoreKey, byte[]> records = new ConcurrentHashMap<>();
        final Map<StoreKey, byte[]> legacy = new ConcurrentHashMap<>();
        /** Staged writes not ended yet, of every instance; one removed here can no longer commit. */
        final Set<MemoryWrite> staged = ConcurrentHashMap.newKeySet();
    }

    @Override
    public StagedWrite beginWrite(StoreKey key) {
        openWrites.incrementAndGet();
        MemoryWrite write = new MemoryWrite(key);
        storage.staged.add(write);
        return write;
    }

    private final class MemoryWrite implements StagedWrite {
        private final StoreKey key;
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        private boolean finished;

        MemoryWrite(StoreKey key) {
            this.key = key;
        }

        InMemoryArchiveStore owner() {
            return InMemoryArchiveStore.this;
        }

        @Override
        public OutputStream stream() {
            return buffer;
        }

        @Override
        public StoredArchive commit() {
            if (finished) {
                throw new IllegalStateException("this write has already ended");
            }
            finish();
            if (!storage.staged.remove(this)) {
                throw new StorageUnavailableException("Cannot commit archive `" + key + "`: its staged write was"
                        + " removed while it was being written, by a clean-up that found its key not in use");
            }
            byte[] bytes = buffer.toByteArray();
            storage.archives.put(key, bytes);
            return new StoredArchive(key, bytes.length);
        }

        @Override
        public void abort() {
            if (!finished) {
                finish();
                storage.staged.remove(this);
            }
        }

        private void finish() {
            finished = true;
            openWrites.decrementAndGet();
        }
    }

    @Override
    public Optional<StoredArchive> stat(StoreKey key) {
        return Optional.ofNullable(storage.archives.get(key)).map(b -> new StoredArchive(key, b.length));
    }

    @Override
    public InputStream openRange(StoreKey key, long offset, long length) {
        byte[] bytes = storage.archives.get(key);
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
        storage.records.remove(key);
        storage.archives.remove(key);
        storage.legacy.remove(key);
    }

    @Override
    public void writeRecord(StoreKey key, byte[] record) {
        if (!storage.archives.containsKey(key)) {
            throw new NotFoundException("No archive is stored for `" + key + "`: a record needs its archive");
        }
        storage.records.put(key, record.clone());
    }

    @Override
    public Optional<byte[]> readRecord(StoreKey key) {
        return Optional.ofNullable(storage.records.get(key)).map(byte[]::clone);
    }

    @Override
    public Inventory inventory() {
        Map<StoreKey, StoredArchive> listed = new HashMap<>();
        storage.archives.forEach((k, v) -> listed.put(k, new StoredArchive(k, v.length)));
        return new Inventory(listed, storage.records.keySet());
    }

    @Override
    public Optional<StoredArchive> adoptLegacy(StoreKey key) {
        byte[] old = storage.legacy.remove(key);
        if (old == null || storage.archives.containsKey(key)) {
            return Optional.empty();
        }
        storage.archives.put(key, old);
        return stat(key);
    }

    /** Puts {@code bytes} where the previous release would have kept the archive of {@code key}. */
    public void putLegacy(StoreKey key, byte[] bytes) {
        storage.legacy.put(key, bytes.clone());
    }

    /** Replaces the committed archive's bytes behind the store's back, as damage at rest would. */
    public void damage(StoreKey key, java.util.function.UnaryOperator<byte[]> change) {
        storage.archives.computeIfPresent(key, (k, v) -> change.apply(v.clone()));
    }

    /** Removes a record behind the store's back, as a crash between an archive and its record would leave. */
    public void dropRecord(StoreKey key) {
        storage.records.remove(key);
    }

    /**
     * Removes the staged writes of other instances whose key is not in use, as the stores of a shared medium
     * do: listed first, then {@code keysInUse} asked once.
     */
    @Override
    public int removeStaged(Supplier<Set<StoreKey>> keysInUse) {
        List<MemoryWrite> listed = List.copyOf(storage.staged);
        Set<StoreKey> inUse = keysInUse.get();
        int removed = 0;
        for (MemoryWrite write : listed) {
            if (write.owner() != this && !inUse.contains(write.key) && storage.staged.remove(write)) {
                removed++;
            }
        }
        return removed;
    }

    /** Staged writes begun and neither committed nor aborted yet. */
    public int openWrites() {
        return openWrites.get();
    }
}
