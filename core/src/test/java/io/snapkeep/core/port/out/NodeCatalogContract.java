package io.snapkeep.core.port.out;

import static org.assertj.core.api.Assertions.assertThat;

import io.snapkeep.core.port.out.NodeCatalog.NodeLease;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The promises every {@link NodeCatalog} keeps. An implementation's test extends this class and returns a
 * fresh, empty catalog from {@link #newCatalog()}. Every time is a fixed instant: leases live for
 * {@link #LEASE} seconds from {@link #T0}.
 */
public abstract class NodeCatalogContract {

    protected abstract NodeCatalog newCatalog() throws Exception;

    protected NodeCatalog catalog;

    protected static final Instant T0 = Instant.parse("2026-11-28T12:00:00.123Z");
    protected static final int LEASE = 30;
    private static final Instant EXPIRY = T0.plusSeconds(LEASE);
    private static final int RACERS = 8;

    @BeforeEach
    void createCatalog() throws Exception {
        catalog = newCatalog();
    }

    protected static NodeLease lease(String node, String instance) {
        return new NodeLease(node, instance, T0, EXPIRY);
    }

    @Test
    void joined_nodes_are_listed_by_node_id() {
        assertThat(catalog.nodes()).isEmpty();
        assertThat(catalog.join(lease("b", "b1"))).isEmpty();
        assertThat(catalog.join(lease("a", "a1"))).isEmpty();
        assertThat(catalog.nodes()).containsExactly(lease("a", "a1"), lease("b", "b1"));
    }

    @Test
    void a_join_replaces_the_row_of_its_node_and_returns_it() {
        catalog.join(lease("a", "first-life"));
        NodeLease again = new NodeLease("a", "second-life", T0.plusSeconds(5), EXPIRY.plusSeconds(5));
        assertThat(catalog.join(again)).contains(lease("a", "first-life"));
        assertThat(catalog.nodes()).containsExactly(again);
    }

    @Test
    void renew_moves_the_expiry_only_for_the_instance_the_row_names() {
        catalog.join(lease("a", "a1"));
        assertThat(catalog.renew("a", "a1", EXPIRY.plusSeconds(10))).isTrue();
        assertThat(catalog.nodes()).containsExactly(new NodeLease("a", "a1", T0, EXPIRY.plusSeconds(10)));
        assertThat(catalog.renew("a", "another-life", EXPIRY.plusSeconds(99))).isFalse();
        assertThat(catalog.renew("missing", "a1", EXPIRY.plusSeconds(99))).isFalse();
        assertThat(catalog.nodes()).containsExactly(new NodeLease("a", "a1", T0, EXPIRY.plusSeconds(10)));
    }

    @Test
    void leave_removes_only_the_instance_the_row_names_and_is_idempotent() {
        catalog.join(lease("a", "a1"));
        catalog.join(lease("b", "b1"));
        catalog.leave("a", "another-life");
        assertThat(catalog.nodes()).hasSize(2);
        catalog.leave("a", "a1");
        catalog.leave("a", "a1");
        catalog.leave("missing", "x");
        assertThat(catalog.nodes()).containsExactly(lease("b", "b1"));
    }

    @Test
    void remove_expired_removes_a_row_only_once_its_lease_has_run_out() {
        catalog.join(lease("a", "a1"));
        assertThat(catalog.removeExpired("a", "a1", EXPIRY.minusMillis(1))).as("still live").isFalse();
        assertThat(catalog.removeExpired("a", "another-life", EXPIRY)).as("another instance").isFalse();
        assertThat(catalog.removeExpired("missing", "a1", EXPIRY)).isFalse();
        assertThat(catalog.nodes()).hasSize(1);
        assertThat(catalog.removeExpired("a", "a1", EXPIRY)).as("expired at its expiry").isTrue();
        assertThat(catalog.nodes()).isEmpty();
        assertThat(catalog.removeExpired("a", "a1", EXPIRY)).isFalse();
    }

    @Test
    void of_nodes_racing_to_remove_an_expired_node_exactly_one_wins() throws Exception {
        for (int round = 0; round < 3; round++) {
            catalog.join(lease("dead", "life" + round));
            String instance = "life" + round;
            List<Callable<Boolean>> racers = new ArrayList<>();
            for (int i = 0; i < RACERS; i++) {
                racers.add(() -> catalog.removeExpired("dead", instance, EXPIRY.plusSeconds(1)));
            }
            assertThat(race(racers)).as("round %d", round).isEqualTo(1);
            assertThat(catalog.nodes()).isEmpty();
        }
    }

    @Test
    void a_lock_is_taken_when_free_and_refused_while_its_holder_lives() {
        catalog.join(lease("a", "a1"));
        catalog.join(lease("b", "b1"));
        assertThat(catalog.lockHolder("reconcile", T0)).isEmpty();
        assertThat(catalog.tryLock("reconcile", "a", "a1", T0)).isTrue();
        assertThat(catalog.tryLock("reconcile", "b", "b1", T0.plusSeconds(1))).isFalse();
        assertThat(catalog.tryLock("reconcile", "a", "a1", T0.plusSeconds(1))).as("not re-entrant").isFalse();
        assertThat(catalog.lockHolder("reconcile", T0.plusSeconds(1))).contains("a");
        assertThat(catalog.tryLock("other", "b", "b1", T0.plusSeconds(1))).as("locks are by name").isTrue();
        assertThat(catalog.lockHolder("other", T0.plusSeconds(1))).contains("b");
        assertThat(catalog.lockHolder("never-taken", T0.plusSeconds(1))).isEmpty();
    }

    @Test
    void unlock_releases_only_the_holders_lock_and_is_idempotent() {
        catalog.join(lease("a", "a1"));
        catalog.join(lease("b", "b1"));
        catalog.tryLock("l", "a", "a1", T0);
        catalog.unlock("l", "b", "b1");
        catalog.unlock("l", "a", "another-life");
        assertThat(catalog.lockHolder("l", T0)).contains("a");
        catalog.unlock("l", "a", "a1");
        catalog.unlock("l", "a", "a1");
        assertThat(catalog.lockHolder("l", T0)).isEmpty();
        assertThat(catalog.tryLock("l", "b", "b1", T0)).isTrue();
        assertThat(catalog.lockHolder("l", T0)).contains("b");
    }

    @Test
    void a_lock_whose_holders_lease_expired_is_free_to_take_over() {
        catalog.join(lease("a", "a1"));
        catalog.join(new NodeLease("b", "b1", T0, EXPIRY.plusSeconds(60)));
        catalog.tryLock("l", "a", "a1", T0);
        assertThat(catalog.lockHolder("l", EXPIRY.minusMillis(1))).contains("a");
        assertThat(catalog.tryLock("l", "b", "b1", EXPIRY.minusMillis(1))).isFalse();
        assertThat(catalog.lockHolder("l", EXPIRY)).as("its holder's lease ran out").isEmpty();
        assertThat(catalog.tryLock("l", "b", "b1", EXPIRY)).isTrue();
        assertThat(catalog.lockHolder("l", EXPIRY)).contains("b");
        assertThat(catalog.renew("a", "a1", EXPIRY.plusSeconds(60))).isTrue();
        assertThat(catalog.lockHolder("l", EXPIRY)).as("a renewed lease does not bring the lock back").contains("b");
    }

    @Test
    void a_lock_whose_holders_row_is_gone_or_names_another_instance_is_free_to_take_over() {
        catalog.join(lease("a", "a1"));
        catalog.join(lease("b", "b1"));
        catalog.tryLock("gone", "a", "a1", T0);
        catalog.tryLock("restarted", "a", "a1", T0);
        catalog.leave("a", "a1");
        assertThat(catalog.lockHolder("gone", T0)).isEmpty();
        assertThat(catalog.tryLock("gone", "b", "b1", T0)).isTrue();

        catalog.join(lease("a", "a2"));
        assertThat(catalog.lockHolder("restarted", T0)).as("held by a previous life of a").isEmpty();
        assertThat(catalog.tryLock("restarted", "a", "a2", T0)).isTrue();
        assertThat(catalog.lockHolder("restarted", T0)).contains("a");
        assertThat(catalog.tryLock("restarted", "b", "b1", T0)).isFalse();
    }

    @Test
    void a_holder_is_refused_its_own_lock_while_its_lease_lives_and_retakes_it_after() {
        catalog.join(lease("a", "a1"));
        catalog.tryLock("l", "a", "a1", T0);
        assertThat(catalog.renew("a", "a1", EXPIRY.plusSeconds(LEASE))).isTrue();
        assertThat(catalog.tryLock("l", "a", "a1", EXPIRY)).as("held, by itself").isFalse();
        assertThat(catalog.tryLock("l", "a", "a1", EXPIRY.plusSeconds(LEASE))).isTrue();
    }

    @Test
    void of_nodes_racing_for_a_free_lock_exactly_one_wins() throws Exception {
        for (int i = 0; i < RACERS; i++) {
            catalog.join(lease("n" + i, "i" + i));
        }
        for (int round = 0; round < 3; round++) {
            String name = "free-" + round;
            List<Callable<Boolean>> racers = new ArrayList<>();
            for (int i = 0; i < RACERS; i++) {
                String node = "n" + i;
                String instance = "i" + i;
                racers.add(() -> catalog.tryLock(name, node, instance, T0));
            }
            assertThat(race(racers)).as("round %d", round).isEqualTo(1);
            assertThat(catalog.lockHolder(name, T0)).isPresent();
        }
    }

    @Test
    void of_nodes_racing_to_take_over_a_dead_holders_lock_exactly_one_wins() throws Exception {
        for (int i = 0; i < RACERS; i++) {
            catalog.join(new NodeLease("n" + i, "i" + i, T0, EXPIRY.plusSeconds(60)));
        }
        for (int round = 0; round < 3; round++) {
            String name = "contested-" + round;
            String deadNode = "dead-" + round;
            catalog.join(lease(deadNode, "d"));
            assertThat(catalog.tryLock(name, deadNode, "d", T0)).isTrue();
            if (round == 1) {
                catalog.leave(deadNode, "d");
            } else if (round == 2) {
                catalog.join(lease(deadNode, "d-next-life"));
            }
            List<Callable<Boolean>> racers = new ArrayList<>();
            for (int i = 0; i < RACERS; i++) {
                String node = "n" + i;
                String instance = "i" + i;
                racers.add(() -> catalog.tryLock(name, node, instance, EXPIRY));
            }
            assertThat(race(racers)).as("round %d", round).isEqualTo(1);
            assertThat(catalog.lockHolder(name, EXPIRY)).hasValueSatisfying(n -> assertThat(n).startsWith("n"));
        }
    }

    /** Starts every racer at once; the number that returned true. */
    private static int race(List<Callable<Boolean>> racers) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(racers.size());
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (Callable<Boolean> racer : racers) {
                results.add(pool.submit(() -> {
                    start.await();
                    return racer.call();
                }));
            }
            start.countDown();
            int wins = 0;
            for (Future<Boolean> f : results) {
                wins += f.get(60, TimeUnit.SECONDS) ? 1 : 0;
            }
            return wins;
        } finally {
            pool.shutdownNow();
        }
    }
}
