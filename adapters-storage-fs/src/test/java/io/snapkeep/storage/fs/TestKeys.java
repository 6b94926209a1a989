package io.snapkeep.storage.fs;

import io.snapkeep.core.port.out.StoreKey;

/** Store keys written as text in tests. */
final class TestKeys {
    private TestKeys() {
    }

    static StoreKey key(String value) {
        return new StoreKey(value);
    }
}
