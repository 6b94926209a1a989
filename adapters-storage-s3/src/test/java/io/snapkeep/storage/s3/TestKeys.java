package io.snapkeep.storage.s3;

import io.snapkeep.core.port.out.StoreKey;

/** Store keys written as text in tests. */
final class TestKeys {
    private TestKeys() {
    }

    static StoreKey key(String value) {
        return new StoreKey(value);
    }
}
