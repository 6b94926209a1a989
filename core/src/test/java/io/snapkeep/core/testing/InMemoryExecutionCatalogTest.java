package io.snapkeep.core.testing;

import io.snapkeep.core.port.out.ExecutionCatalog;
import io.snapkeep.core.port.out.ExecutionCatalogContract;

class InMemoryExecutionCatalogTest extends ExecutionCatalogContract {
    @Override
    protected ExecutionCatalog newCatalog() {
        return new InMemoryExecutionCatalog();
    }
}
