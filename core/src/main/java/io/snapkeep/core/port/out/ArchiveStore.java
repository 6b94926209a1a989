package io.snapkeep.core.port.out;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Optional;

/**
 * Where archives are kept: a flat namespace of {@link StoreKey}s, each naming one immutable blob.
 *
 * <p>Implementations must keep these promises, which {@code ArchiveStoreContract} checks:
 * <ul>
 *   <li><b>Staged writes.</b> Bytes written through {@link #beginWrite} are invisible to {@link #stat},
 *       {@link #open} and {@link #list} until {@link StagedWrite#commit()} returns. {@link StagedWrite#abort()}
 *       (or closing an uncommitted write) leaves nothing behind, not even hidden parts.</li>
 *   <li><b>Atomic commit.</b> A reader sees either no archive, or the previous one whole, or the new one
 *       whole; never a mix. Committing over an existing key replaces it atomically.</li>
 *   <li><b>Streams.</b> The length of a write is not known in advance and may be many GiB; memory use must
 *       not grow with it. The caller closes every stream it gets.</li>
 *   <li><b>Errors.</b> A missing key on {@link #open} throws {@code NotFoundException}; failures of the
 *       medium (unreachable, denied, full) throw {@code StorageUnavailableException} whose message names
 *       where (never a secret). I/O methods on returned streams throw {@code IOException}s as usual.</li>
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

    /** Deletes the committed archive under {@code key}. Idempotent: deleting a missing key is not an error. */
    void delete(StoreKey key);

    /** Every committed key, in no particular order; used by consistency checks, not on hot paths. */
    List<StoreKey> list();

    /**
     * Removes staged data that no live {@link StagedWrite} owns: temporary files or pending uploads left
     * by a process that died. Called once at start-up, before any write begins.
     *
     * @return how many leftovers were removed
     */
    int removeLeftovers();

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
}
