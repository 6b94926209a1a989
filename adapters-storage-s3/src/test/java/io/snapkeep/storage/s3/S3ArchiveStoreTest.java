package io.snapkeep.storage.s3;

import io.snapkeep.core.port.out.ArchiveStore;
import io.snapkeep.core.port.out.ArchiveStoreContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The S3 store keeps every ArchiveStore promise, against a real S3 server, with 5 MiB parts. */
class S3ArchiveStoreTest extends ArchiveStoreContract {
    @RegisterExtension
    static final S3TestServer S3 = new S3TestServer();

    @Override
    protected ArchiveStore newStore() {
        return S3.newStore();
    }
}
