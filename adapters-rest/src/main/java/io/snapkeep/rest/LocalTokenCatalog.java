package io.snapkeep.rest;

import io.snapkeep.core.error.AlreadyExistsException;
import io.snapkeep.core.port.out.TokenCatalog;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The token catalog of a host that embeds the API without one of its own: tokens live as long as this
 * object, on this one instance only. Indexed by digest too, since every request with a token looks it up
 * that way.
 */
final class LocalTokenCatalog implements TokenCatalog {
    private static final Comparator<StoredToken> OLDEST_FIRST =
            Comparator.comparing(StoredToken::issuedAt).thenComparing(StoredToken::id);

    private final Map<String, StoredToken> byId = new HashMap<>();
    private final Map<String, StoredToken> byDigest = new HashMap<>();

    @Override
    public synchronized List<String> insert(StoredToken token, int maxPerUser) {
        if (byId.containsKey(token.id()) || byDigest.containsKey(token.digest())) {
            throw new AlreadyExistsException("Token " + token.id() + " already exists");
        }
        byId.put(token.id(), token);
        byDigest.put(token.digest(), token);
        List<StoredToken> mine = ofUser(token.user());
        List<String> dropped = new ArrayList<>();
        for (int i = 0; i < mine.size() - maxPerUser; i++) {
            delete(mine.get(i).id());
            dropped.add(mine.get(i).id());
        }
        return dropped;
    }

    @Override
    public synchronized Optional<StoredToken> findByDigest(String digest) {
        return Optional.ofNullable(byDigest.get(digest));
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
        StoredToken gone = byId.remove(id);
        if (gone == null) {
            return false;
        }
        byDigest.remove(gone.digest());
        return true;
    }

    @Override
    public synchronized int deleteExpired(Instant now) {
        List<String> expired = byId.values().stream().filter(t -> !t.isValidAt(now)).map(StoredToken::id).toList();
        expired.forEach(this::delete);
        return expired.size();
    }
}
