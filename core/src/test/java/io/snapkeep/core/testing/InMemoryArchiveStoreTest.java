package io.snapkeep.core.testing;

import io.snapkeep.core.port.out.ArchiveStore;
import io.snapkeep.core.port.out.ArchiveStoreContract;

class InMemoryArchiveStoreTest extends ArchiveStoreContract {
    @Override
    protected ArchiveStore newStore() {
        return new InMemoryArchiveStore();
    }
}
