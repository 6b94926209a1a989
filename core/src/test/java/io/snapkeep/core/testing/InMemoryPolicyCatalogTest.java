package io.snapkeep.core.testing;

import io.snapkeep.core.port.out.PolicyCatalog;
import io.snapkeep.core.port.out.PolicyCatalogContract;

class InMemoryPolicyCatalogTest extends PolicyCatalogContract {
    @Override
    protected PolicyCatalog newCatalog() {
        return new InMemoryPolicyCatalog();
    }
}
