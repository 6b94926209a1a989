package io.snapkeep.core.testing;

import io.snapkeep.core.port.out.NodeCatalog;
import io.snapkeep.core.port.out.NodeCatalogContract;

class InMemoryNodeCatalogTest extends NodeCatalogContract {
    @Override
    protected NodeCatalog newCatalog() {
        return new InMemoryNodeCatalog();
    }
}
