package io.snapkeep.core.testing;

import io.snapkeep.core.port.out.SnapshotCatalog;
import io.snapkeep.core.port.out.SnapshotCatalogContract;

class InMemorySnapshotCatalogTest extends SnapshotCatalogContract {
    @Override
    protected SnapshotCatalog newCatalog() {
        return new InMemorySnapshotCatalog();
    }
}
