package io.snapkeep.core.port.out;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Where archives are kept, and the durable record of every completed snapshot: a flat namespace of
 * {@link StoreKey}s, each naming one immutable archive and, once the archive is committed, the record that
 * describes it. The store is the truth about which snapshots are complete; the catalog is an index of it
 * that can be rebuilt from {@link #inventory} and {@link #readRecord}.
 *
 * <p>Everything a store writes lives under one layout of its own (archives, records, staging), documented by
 * each implementation; it lists, changes and removes nothing outside it, so a store can share a directory or
 * a bucket with anything else.
 *
 * <p>Implementations must keep these promises, which {@code ArchiveStoreContract} checks:
 * <ul>
 *   <li><b>Staged writes.</b> Bytes written through {@link #beginWrite} are invisible to {@link #stat},
 *       {@link #open} and {@link #inventory} until {@link StagedWrite#commit()} returns. {@link StagedWrite#abort()}
 *       (or closing an uncommitted write) leaves nothing behind, not even hidden parts.</li>
 *   <li><b>Atomic commit.</b> A reader sees either no archive, or the previous one whole, or the new one
 *       whole; never a mix. Committing over an existing key replaces it atomically.</li>
 *   <li><b>Streams.</b> The length of a write is not known in advance and may be many GiB; memory use must
 *       not grow with it. The caller closes every stream it gets.</li>
 *   <li><b>Errors.</b> A missing key on {@link #open} throws {@code NotFoundException}; failures of the
 *       medium (unreachable, denied, full) throw {@code StorageUnavailableException} whose message names
 *       where (never a secret). I/O methods on returned streams throw {@code IOException}s as usual; a
 *       stream that ends before the archive's committed size throws one rather than ending quietly.</li>
 *   <li><b>Records.</b> The core writes a record only after its archive is committed and the store deletes
 *       it before the archive, so a record always has its archive; an archive without a record is one whose
 *       snapshot was cut off between the two, which reconciliation completes or imports.</li>
 * </ul>
 * Implementations are thread-safe; concurrent writes to different keys do not interfere.
 */
public interface ArchiveStore {

    /**
     * Starts a staged write of the archive under {@code key}. Nothing is visible until
     * {@link StagedWrite#commit()}.
     */
    StagedWrite beginWrite(StoreKey key);

    /** The committed archive under {@code key}, or empty. Never sees a staged write. */
    Optional<StoredArchive> stat(StoreKey key);

    /**
     * Opens {@code length} bytes of the committed archive under {@code key}, from {@code offset}. A range
     * running past the end is cut at the end. The caller closes the stream.
     *
     * @throws io.snapkeep.core.error.NotFoundException when no archive is committed under {@code key}
     * @throws IllegalArgumentException when {@code offset} or {@code length} is negative, or
     *                                  {@code offset} is past the end
     */
    InputStream openRange(StoreKey key, long offset, long length);

    /** Opens the whole committed archive under {@code key}; see {@link #openRange}. */
    default InputStream open(StoreKey key) {
        return openRange(key, 0, Long.MAX_VALUE);
    }

    /**
     * Deletes the record under {@code key}, then its archive, and any copy the previous release left for
     * it (only that release's exact name for {@code key}), each removal durable before the next. Idempotent:
     * deleting a missing key is not an error. The record goes first, so that no reader ever finds a record
     * whose archive is gone.
     */
    void delete(StoreKey key);

    /**
     * Writes, or replaces, the record of the committed archive under {@code key}: a small document that
     * describes the snapshot (the core's own format; the store keeps its bytes as they are). Atomic (a reader
     * sees the old record or the new one whole) and durable once this returns.
     *
     * A staged write is no archive yet. The store keeps its own copy of {@code record}.
     *
     * @throws io.snapkeep.core.error.NotFoundException when no archive is committed under {@code key}: a
     *         record is only ever written after its archive
     */
    void writeRecord(StoreKey key, byte[] record);

    /** The record under {@code key} as it was written, or empty; the caller may change the array it gets. */
    Optional<byte[]> readRecord(StoreKey key);

    /**
     * What the store's layout holds: every key with a committed archive (and its size) and every key with a
     * record. Only names of the store's own layout are reported; nothing else under its root, bucket or
     * prefix is ever listed, changed or removed. Used by reconciliation, not on hot paths.
     */
    Inventory inventory();

    /**
     * Shows that the store can be reached now: the cheapest listing the medium offers. Readiness checks call
     * it often, so a store whose {@link #inventory} lists much overrides it with a smaller look.
     *
     * @throws io.snapkeep.core.error.StorageUnavailableException when the medium cannot be reached
     */
    default void probe() {
        inventory();
    }

    /**
     * Moves the archive that the previous release kept for {@code key} (in that release's layout) into this
     * layout, and returns it; empty when there is none. Only the previous release's exact name for
     * {@code key} is looked at. Nothing is written for keys this store already holds (their old copy, if
     * any, stays until {@link #delete}). The archive comes without a record: the previous release wrote none.
     *
     * <p>A store whose old names cannot be mistaken for anyone else's may also move all of them when it
     * opens (the filesystem store does); for those keys this then finds nothing, and {@link #inventory} lists
     * them from the start.
     */
    Optional<StoredArchive> adoptLegacy(StoreKey key);

    /**
     * Removes staged data, inside the layout's staging area only, that no live {@link StagedWrite} of this
     * instance owns and whose key is not in use: temporary files or pending multipart uploads left by a
     * process that died. A key is in use while some process (in a cluster, any live node) may still be
     * writing it; only one writer of a key exists at a time.
     *
     * <p>The store first lists what is staged, then asks {@code keysInUse}, then removes the staged writes whose
     * key is not in that answer: a write that begins after the listing is never touched, and a write that was
     * listed is only removed if its key was not in use after the listing.
     *
     * @param keysInUse asked once, after the listing; a single process with nothing running answers an empty set
     * @return how many staged writes were removed
     */
    int removeStaged(Supplier<Set<StoreKey>> keysInUse);

    /**
     * One staged write. Used by a single thread: write through {@link #stream()}, then either
     * {@link #commit()} or {@link #abort()}. {@link #close()} aborts unless committed, so
     * try-with-resources is always safe.
     */
    interface StagedWrite extends AutoCloseable {
        /**
         * The stream to write the archive into. Do not close it to finish: {@link #commit()} does.
         * Closing it early is harmless.
         */
        OutputStream stream();

        /**
         * Makes the written bytes visible under the key, atomically, and durably (it survives a crash once
         * this returns).
         *
         * @return what was committed
         */
        StoredArchive commit();

        /** Discards everything written. Idempotent; after a commit it does nothing. */
        void abort();

        @Override
        default void close() {
            abort();
        }
    }

    /** A committed archive's key and size in bytes. */
    record StoredArchive(StoreKey key, long size) {
    }

    /**
     * A listing of the layout.
     *
     * @param archives every committed archive, by key
     * @param records  every key that has a record
     */
    record Inventory(Map<StoreKey, StoredArchive> archives, Set<StoreKey> records) {
        public Inventory {
            archives = Map.copyOf(archives);
            records = Set.copyOf(records);
        }
    }
}
