package io.snapkeep.rest;

import io.snapkeep.core.error.StorageUnavailableException;
import io.snapkeep.core.port.out.TokenCatalog;
import io.snapkeep.core.testing.InMemoryTokenCatalog;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The core's in-memory token catalog, shared by the nodes of a test, that counts the calls the REST API
 * makes and can be made unreachable, as a database can be.
 */
final class WatchedTokenCatalog implements TokenCatalog {
    private final TokenCatalog tokens = new InMemoryTokenCatalog();
    final AtomicInteger reads = new AtomicInteger();
    final AtomicInteger purges = new AtomicInteger();
    volatile boolean unreachable;
    volatile boolean purgeFails;

    @Override
    public List<String> insert(StoredToken token, int maxPerUser) {
        reachable();
        return tokens.insert(token, maxPerUser);
    }

    @Override
    public Optional<StoredToken> findByDigest(String digest) {
        reachable();
        reads.incrementAndGet();
        return tokens.findByDigest(digest);
    }

    @Override
    public Optional<StoredToken> find(String id) {
        reachable();
        reads.incrementAndGet();
        return tokens.find(id);
    }

    @Override
    public List<StoredToken> ofUser(String user) {
        reachable();
        reads.incrementAndGet();
        return tokens.ofUser(user);
    }

    @Override
    public boolean delete(String id) {
        reachable();
        return tokens.delete(id);
    }

    @Override
    public int deleteExpired(Instant now) {
        purges.incrementAndGet();
        if (purgeFails) {
            throw new StorageUnavailableException("the token table at db-1 is locked");
        }
        reachable();
        return tokens.deleteExpired(now);
    }

    private void reachable() {
        if (unreachable) {
            throw new StorageUnavailableException("the catalog database at db-1 is not reachable");
        }
    }
}
