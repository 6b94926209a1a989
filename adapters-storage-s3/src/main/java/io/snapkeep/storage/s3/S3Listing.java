package io.snapkeep.storage.s3;

import io.minio.ListObjectsArgs;
import io.minio.Result;
import io.minio.messages.Item;
import io.snapkeep.core.port.out.ArchiveStore.Inventory;
import io.snapkeep.core.port.out.ArchiveStore.StoredArchive;
import io.snapkeep.core.port.out.StoreKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The inventory of the layout: the objects directly under its archives and records, by their exact names. */
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
}
