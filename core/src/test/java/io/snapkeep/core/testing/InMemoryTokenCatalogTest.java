package io.snapkeep.core.testing;

import io.snapkeep.core.port.out.TokenCatalog;
import io.snapkeep.core.port.out.TokenCatalogContract;

class InMemoryTokenCatalogTest extends TokenCatalogContract {
    @Override
    protected TokenCatalog newCatalog() {
        return new InMemoryTokenCatalog();
    }
}
