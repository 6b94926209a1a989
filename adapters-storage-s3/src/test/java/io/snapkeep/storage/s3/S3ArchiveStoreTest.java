package io.snapkeep.storage.s3;

import io.snapkeep.core.port.out.ArchiveStore;
import io.snapkeep.core.port.out.ArchiveStoreContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The S3 store keeps every ArchiveStore promise, against a real S3 server, with 5 MiB parts. */
class S3ArchiveStoreTest extends ArchiveStoreContract {
    @RegisterExtension
    static final S3TestServer S3 = new S3TestServer();

    private S3Settings settings;

    @Override
    protected ArchiveStore newStore() {
        settings = S3.settings();
        return S3.connect(settings);
    }

    /** Another store on the same bucket and prefix, as another node connects to it. */
    @Override
    protected ArchiveStore secondInstance() {
        return S3.connect(settings);
    }

    /**
     * S3 takes names of 1024 bytes, but S3Proxy keeps each object as one file, whose name stops at 255 bytes:
     * S3Proxy also needs room for a temporary name beside it, so keys here stay at 200 characters.
     */
    @Override
    protected String longestKey() {
        return "L" + "x".repeat(199);
    }
}
