package io.snapkeep.core.testing;

import io.snapkeep.core.error.AlreadyExistsException;
import io.snapkeep.core.port.out.TokenCatalog;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A {@link TokenCatalog} in a map, one lock around every method. */
public class InMemoryTokenCatalog implements TokenCatalog {
    private static final Comparator<StoredToken> OLDEST_FIRST =
            Comparator.comparing(StoredToken::issuedAt).thenComparing(StoredToken::id);

    private final Map<String, StoredToken> byId = new LinkedHashMap<>();

    @Override
    public synchronized List<String> insert(StoredToken token, int maxPerUser) {
        if (byId.containsKey(token.id()) || findByDigest(token.digest()).isPresent()) {
            throw new AlreadyExistsException("Token " + token.id() + " already exists");
        }
        byId.put(token.id(), token);
        List<StoredToken> mine = ofUser(token.user());
        List<String> dropped = new ArrayList<>();
        for (int i = 0; i < mine.size() - maxPerUser; i++) {
            byId.remove(mine.get(i).id());
            dropped.add(mine.get(i).id());
        }
        return dropped;
    }

    @Override
    public synchronized Optional<StoredToken> findByDigest(String digest) {
        return byId.values().stream().filter(t -> t.digest().equals(digest)).findFirst();
    }

    @Override
    public synchronized Optional<StoredToken> find(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    @Override
    public synchronized List<StoredToken> ofUser(String user) {
        return byId.values().stream().filter(t -> t.user().equals(user)).sorted(OLDEST_FIRST).toList();
    }

    @Override
    public synchronized boolean delete(String id) {
        return byId.remove(id) != null;
    }

    @Override
    public synchronized int deleteExpired(Instant now) {
        int before = byId.size();
        byId.values().removeIf(t -> !t.isValidAt(now));
        return before - byId.size();
    }
}
