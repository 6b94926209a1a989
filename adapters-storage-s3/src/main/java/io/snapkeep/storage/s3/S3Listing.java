package io.snapkeep.storage.s3;

import io.minio.ListMultipartUploadsArgs;
import io.minio.ListObjectsArgs;
import io.minio.Result;
import io.minio.messages.Item;
import io.minio.messages.ListMultipartUploadsResult;
import io.snapkeep.core.error.StorageUnavailableException;
import io.snapkeep.core.port.out.ArchiveStore.Inventory;
import io.snapkeep.core.port.out.ArchiveStore.StoredArchive;
import io.snapkeep.core.port.out.StoreKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What the layout holds: the objects directly under its archives and records, by their exact names, and the
 * pending multipart uploads to its archive names.
 */
final class S3Listing {
    private S3Listing() {
    }

    static Inventory inventory(S3Client client, S3Calls calls, String bucket, S3Layout layout) {
        Map<StoreKey, StoredArchive> archives = new HashMap<>();
        Set<StoreKey> records = new HashSet<>();
        for (Item item : list(client, calls, bucket, "list archives", layout.archivesPrefix())) {
            StoreKey key = layout.archiveKey(item.objectName());
            if (key != null) {
                archives.put(key, new StoredArchive(key, item.size()));
            }
        }
        for (Item item : list(client, calls, bucket, "list records", layout.recordsPrefix())) {
            StoreKey key = layout.recordKey(item.objectName());
            if (key != null) {
                records.add(key);
            }
        }
        return new Inventory(archives, records);
    }

    /** One page of at most one name under the archives: a round trip that needs the bucket and the credentials. */
    static void probe(S3Client client, S3Calls calls, String bucket, S3Layout layout) {
        calls.call("list the bucket", () -> S3Calls.now(() -> {
            try {
                Iterator<Result<Item>> first = client.listObjects(ListObjectsArgs.builder().bucket(bucket)
                        .prefix(layout.archivesPrefix()).recursive(false).maxKeys(1).build()).iterator();
                if (first.hasNext()) {
                    first.next().get();
                }
            } catch (IllegalStateException e) {
                // The listing's iterator wraps what went wrong; an I/O failure is the server being unreachable.
                if (e.getCause() instanceof java.io.IOException io) {
                    throw io;
                }
                throw e;
            }
            return null;
        }));
    }

    /** The objects directly under {@code prefix}: not recursive, so deeper "directories" are left out. */
    private static List<Item> list(S3Client client, S3Calls calls, String bucket, String action, String prefix) {
        return calls.call(action, () -> S3Calls.now(() -> {
            List<Item> items = new ArrayList<>();
            for (Result<Item> result : client.listObjects(ListObjectsArgs.builder().bucket(bucket)
                    .prefix(prefix).recursive(false).build())) {
                Item item = result.get();
                if (!item.isDir()) {
                    items.add(item);
                }
            }
            return items;
        }));
    }

    /**
     * Every pending multipart upload to a layout archive name, page by page; uploads to other names are not
     * the store's and are left out.
     */
    static List<PendingUpload> pendingUploads(S3Client client, S3Calls calls, String bucket, S3Layout layout) {
        List<PendingUpload> pending = new ArrayList<>();
        String keyMarker = null;
        String uploadIdMarker = null;
        ListMultipartUploadsResult page;
        do {
            String keyFrom = keyMarker;
            String idFrom = uploadIdMarker;
            page = calls.call("list pending uploads", () -> client.listMultipartUploads(
                    ListMultipartUploadsArgs.builder().bucket(bucket).prefix(layout.archivesPrefix())
                            .keyMarker(keyFrom).uploadIdMarker(idFrom).build())).result();
            for (ListMultipartUploadsResult.Upload upload : page.uploads()) {
                StoreKey key = layout.archiveKey(upload.objectName());
                if (key != null) {
                    pending.add(new PendingUpload(key, upload.objectName(), upload.uploadId()));
                }
            }
            keyMarker = page.nextKeyMarker();
            uploadIdMarker = page.nextUploadIdMarker();
            if (page.isTruncated() && Objects.equals(keyMarker, keyFrom) && Objects.equals(uploadIdMarker, idFrom)) {
                // a server that never moves on would keep this listing going forever
                throw new StorageUnavailableException(calls.where() + ": the listing of pending uploads does not"
                        + " advance past key '" + keyFrom + "'");
            }
        } while (page.isTruncated());
        return pending;
    }

    /** A pending multipart upload to the archive name of {@code key}. */
    record PendingUpload(StoreKey key, String objectName, String uploadId) {
    }
}
