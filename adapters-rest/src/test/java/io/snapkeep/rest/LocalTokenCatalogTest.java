package io.snapkeep.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snapkeep.core.error.AlreadyExistsException;
import io.snapkeep.core.port.out.TokenCatalog;
import io.snapkeep.core.port.out.TokenCatalog.StoredToken;
import io.snapkeep.core.testing.InMemoryTokenCatalog;
import java.time.Instant;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The catalog an embedding host gets when it passes none, held to what the core's in-memory catalog does:
 * the same calls, the same answers on both.
 */
class LocalTokenCatalogTest {
    private static final Instant T0 = Instant.parse("2026-03-01T08:00:00Z");

    static Stream<Arguments> catalogs() {
        return Stream.of(
                Arguments.of("local", (Supplier<TokenCatalog>) LocalTokenCatalog::new),
                Arguments.of("core in-memory", (Supplier<TokenCatalog>) InMemoryTokenCatalog::new));
    }

    private static StoredToken token(String id, String user, int issuedSecond, int lifetimeSeconds) {
        Instant issued = T0.plusSeconds(issuedSecond);
        return new StoredToken(id, "digest-" + id, user, Set.of("user"), issued, issued.plusSeconds(lifetimeSeconds));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("catalogs")
    void findsByIdAndByDigestAndForgetsWhatIsDeleted(String name, Supplier<TokenCatalog> make) {
        TokenCatalog c = make.get();
        StoredToken a = token("a", "ann", 0, 60);
        assertThat(c.insert(a, 5)).isEmpty();
        assertThat(c.find("a")).contains(a);
        assertThat(c.findByDigest("digest-a")).contains(a);
        assertThat(c.find("b")).isEmpty();
        assertThat(c.delete("a")).isTrue();
        assertThat(c.delete("a")).isFalse();
        assertThat(c.find("a")).isEmpty();
        assertThat(c.findByDigest("digest-a")).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("catalogs")
    void refusesATakenIdOrDigest(String name, Supplier<TokenCatalog> make) {
        TokenCatalog c = make.get();
        c.insert(token("a", "ann", 0, 60), 5);
        assertThatThrownBy(() -> c.insert(token("a", "bob", 1, 60), 5)).isInstanceOf(AlreadyExistsException.class);
        StoredToken sameDigest = new StoredToken("b", "digest-a", "bob", Set.of(), T0, T0.plusSeconds(60));
        assertThatThrownBy(() -> c.insert(sameDigest, 5)).isInstanceOf(AlreadyExistsException.class);
        assertThat(c.find("b")).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("catalogs")
    void beyondTheBoundTheUsersOldestGoByIssueTimeThenId(String name, Supplier<TokenCatalog> make) {
        TokenCatalog c = make.get();
        c.insert(token("m", "ann", 5, 60), 2);
        c.insert(token("z", "ann", 1, 60), 2);
        c.insert(token("other", "bob", 0, 60), 2);
        assertThat(c.insert(token("b", "ann", 1, 60), 2)).containsExactly("b");
        assertThat(c.insert(token("n", "ann", 9, 60), 2)).containsExactly("z");
        assertThat(c.ofUser("ann")).extracting(StoredToken::id).containsExactly("m", "n");
        assertThat(c.ofUser("bob")).extracting(StoredToken::id).containsExactly("other");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("catalogs")
    void deleteExpiredRemovesWhatExpiredAtOrBeforeNow(String name, Supplier<TokenCatalog> make) {
        TokenCatalog c = make.get();
        c.insert(token("short", "ann", 0, 10), 5);
        c.insert(token("long", "ann", 0, 11), 5);
        c.insert(token("gone", "bob", 0, 5), 5);
        assertThat(c.deleteExpired(T0.plusSeconds(10))).isEqualTo(2);
        assertThat(c.find("short")).isEmpty();
        assertThat(c.findByDigest("digest-gone")).isEmpty();
        assertThat(c.find("long")).isPresent();
        assertThat(c.deleteExpired(T0.plusSeconds(10))).isZero();
    }
}
