package io.snapkeep.core.port.out;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snapkeep.core.error.AlreadyExistsException;
import io.snapkeep.core.port.out.TokenCatalog.StoredToken;
import io.snapkeep.core.support.Sha256;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The promises every {@link TokenCatalog} keeps. An implementation's test extends this class and returns a
 * fresh, empty catalog from {@link #newCatalog()}. Every time is a fixed instant.
 */
public abstract class TokenCatalogContract {

    protected abstract TokenCatalog newCatalog() throws Exception;

    protected TokenCatalog catalog;

    protected static final Instant T0 = Instant.parse("2026-11-28T12:00:00.123Z");
    private static final int DAY = 86_400;

    @BeforeEach
    void createCatalog() throws Exception {
        catalog = newCatalog();
    }

    /** A token of {@code user} issued {@code secondsAfterT0} after T0, valid for a day. */
    protected static StoredToken token(String id, String user, int secondsAfterT0) {
        Instant issued = T0.plusSeconds(secondsAfterT0);
        return new StoredToken(id, digestOf(id), user, Set.of("user"), issued, issued.plusSeconds(DAY));
    }

    /** A digest of its own for every id, as a caller would store it. */
    private static String digestOf(String id) {
        return Sha256.hexOf(("secret of " + id).getBytes(StandardCharsets.UTF_8));
    }

    private static List<String> ids(List<StoredToken> tokens) {
        return tokens.stream().map(StoredToken::id).toList();
    }

    @Test
    void an_inserted_token_is_found_by_id_and_by_digest_as_written() {
        StoredToken t = new StoredToken("tok-1", digestOf("tok-1"), "alice", Set.of("admin", "user", "ünï"), T0,
                T0.plusSeconds(3600));
        assertThat(catalog.insert(t, 5)).isEmpty();
        assertThat(catalog.find("tok-1")).contains(t);
        assertThat(catalog.findByDigest(t.digest())).contains(t);
        assertThat(catalog.find("tok-2")).isEmpty();
        assertThat(catalog.findByDigest(digestOf("tok-2"))).isEmpty();
        StoredToken roleless = new StoredToken("tok-2", digestOf("tok-2"), "bob", Set.of(), T0, T0.plusSeconds(1));
        catalog.insert(roleless, 5);
        assertThat(catalog.find("tok-2")).contains(roleless);
    }

    @Test
    void a_users_tokens_are_listed_oldest_first_by_issue_time_then_id() {
        catalog.insert(token("c", "alice", 5), 10);
        catalog.insert(token("b", "alice", 1), 10);
        catalog.insert(token("a", "alice", 5), 10);
        catalog.insert(token("x", "bob", 0), 10);
        assertThat(ids(catalog.ofUser("alice"))).containsExactly("b", "a", "c");
        assertThat(ids(catalog.ofUser("bob"))).containsExactly("x");
        assertThat(catalog.ofUser("carol")).isEmpty();
    }

    @Test
    void an_insert_beyond_the_per_user_bound_drops_that_users_oldest_tokens() {
        catalog.insert(token("a1", "alice", 1), 3);
        catalog.insert(token("a2", "alice", 2), 3);
        catalog.insert(token("b1", "bob", 0), 3);
        assertThat(catalog.insert(token("a3", "alice", 3), 3)).isEmpty();
        assertThat(catalog.insert(token("a4", "alice", 4), 3)).containsExactly("a1");
        assertThat(ids(catalog.ofUser("alice"))).containsExactly("a2", "a3", "a4");
        assertThat(catalog.insert(token("a5", "alice", 5), 1)).containsExactly("a2", "a3", "a4");
        assertThat(ids(catalog.ofUser("alice"))).containsExactly("a5");
        assertThat(catalog.insert(token("a0", "alice", 0), 1)).as("older than the one kept").containsExactly("a0");
        assertThat(catalog.find("a0")).isEmpty();
        assertThat(ids(catalog.ofUser("bob"))).as("another user's tokens are not counted").containsExactly("b1");
    }

    @Test
    void of_concurrent_inserts_for_one_user_the_bound_still_holds() throws Exception {
        int racers = 8;
        int bound = 3;
        ExecutorService pool = Executors.newFixedThreadPool(racers);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<List<String>>> results = new ArrayList<>();
            for (int i = 0; i < racers; i++) {
                StoredToken t = token("race-" + i, "alice", i);
                results.add(pool.submit(() -> {
                    start.await();
                    return catalog.insert(t, bound);
                }));
            }
            start.countDown();
            List<String> dropped = new ArrayList<>();
            for (Future<List<String>> f : results) {
                dropped.addAll(f.get(60, TimeUnit.SECONDS));
            }
            assertThat(catalog.ofUser("alice")).hasSize(bound);
            assertThat(dropped).hasSize(racers - bound).doesNotHaveDuplicates()
                    .doesNotContainAnyElementsOf(ids(catalog.ofUser("alice")));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void a_duplicate_id_or_digest_is_refused_and_changes_nothing() {
        StoredToken t = token("tok", "alice", 0);
        catalog.insert(t, 1);
        StoredToken sameId = new StoredToken("tok", digestOf("other"), "bob", Set.of(), T0, T0.plusSeconds(9));
        StoredToken sameDigest = new StoredToken("tok-b", t.digest(), "alice", Set.of(), T0.plusSeconds(1),
                T0.plusSeconds(9));
        assertThatThrownBy(() -> catalog.insert(sameId, 1)).isInstanceOf(AlreadyExistsException.class);
        assertThatThrownBy(() -> catalog.insert(sameDigest, 1)).isInstanceOf(AlreadyExistsException.class);
        assertThat(catalog.find("tok")).contains(t);
        assertThat(catalog.find("tok-b")).isEmpty();
        assertThat(ids(catalog.ofUser("alice"))).containsExactly("tok");
        assertThat(catalog.ofUser("bob")).isEmpty();
    }

    @Test
    void delete_removes_a_token_and_says_whether_it_was_there() {
        catalog.insert(token("a", "alice", 0), 5);
        catalog.insert(token("b", "alice", 1), 5);
        assertThat(catalog.delete("a")).isTrue();
        assertThat(catalog.delete("a")).isFalse();
        assertThat(catalog.delete("never")).isFalse();
        assertThat(catalog.find("a")).isEmpty();
        assertThat(catalog.findByDigest(digestOf("a"))).isEmpty();
        assertThat(ids(catalog.ofUser("alice"))).containsExactly("b");
    }

    @Test
    void delete_expired_removes_every_token_expired_at_or_before_the_time() {
        catalog.insert(new StoredToken("early", digestOf("early"), "alice", Set.of(), T0, T0.plusSeconds(10)), 5);
        catalog.insert(new StoredToken("exact", digestOf("exact"), "bob", Set.of(), T0, T0.plusSeconds(20)), 5);
        catalog.insert(new StoredToken("later", digestOf("later"), "alice", Set.of(), T0,
                T0.plusSeconds(20).plusMillis(1)), 5);
        assertThat(catalog.deleteExpired(T0.plusSeconds(5))).isZero();
        assertThat(catalog.deleteExpired(T0.plusSeconds(20))).isEqualTo(2);
        assertThat(catalog.find("early")).isEmpty();
        assertThat(catalog.find("exact")).isEmpty();
        assertThat(catalog.find("later")).isPresent();
        assertThat(catalog.deleteExpired(T0.plusSeconds(20))).isZero();
    }
}
