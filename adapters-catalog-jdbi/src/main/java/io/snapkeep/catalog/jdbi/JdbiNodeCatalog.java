package io.snapkeep.catalog.jdbi;

import io.snapkeep.core.error.AlreadyExistsException;
import io.snapkeep.core.error.StorageUnavailableException;
import io.snapkeep.core.port.out.NodeCatalog;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * {@link NodeCatalog} on the {@code nodes} and {@code locks} tables.
 *
 * <p>Every decision between racing nodes is one statement whose condition the database checks again on the
 * row it locked: a delete or update of a row that a racer changed or removed first matches nothing. Where a
 * row may be missing, the insert runs in a transaction of its own: PostgreSQL aborts a transaction at its
 * first failed statement, so a lost insert race is answered in a new transaction, never in the failed one.
 */
final class JdbiNodeCatalog implements NodeCatalog {
    /** A missing row that a racer inserts first, again and again: a bound, not an expected count. */
    private static final int ATTEMPTS = 20;


    private final Database db;

    JdbiNodeCatalog(Database db) {
        this.db = db;
    }

    @Override
    public Optional<NodeLease> join(NodeLease lease) {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            try {
                return db.inTransaction("register node `" + lease.node() + "`", h -> {
                    Optional<NodeLease> previous = h.createQuery("SELECT node_id, instance, started_at, expires_at"
                                    + " FROM nodes WHERE node_id = :node FOR UPDATE")
                            .bind("node", lease.node())
                            .map(JdbiNodeCatalog::lease)
                            .findOne();
                    if (previous.isPresent()) {
                        h.createUpdate("UPDATE nodes SET instance = :instance, started_at = :started,"
                                        + " expires_at = :expires WHERE node_id = :node")
                                .bind("instance", lease.instance())
                                .bind("started", SqlTime.of(lease.startedAt()))
                                .bind("expires", SqlTime.of(lease.expiresAt()))
                                .bind("node", lease.node())
                                .execute();
                        return previous;
                    }
                    Database.conflictAs(() -> new AlreadyExistsException("Node " + lease.node() + " joined meanwhile"),
                            () -> h.createUpdate("INSERT INTO nodes (node_id, instance, started_at, expires_at)"
                                            + " VALUES (:node, :instance, :started, :expires)")
                                    .bind("node", lease.node())
                                    .bind("instance", lease.instance())
                                    .bind("started", SqlTime.of(lease.startedAt()))
                                    .bind("expires", SqlTime.of(lease.expiresAt()))
                                    .execute());
                    return Optional.<NodeLease>empty();
                });
            } catch (AlreadyExistsException e) {
                // Another process inserted this node's row first: the next attempt replaces it.
            }
        }
        throw new StorageUnavailableException("Node `" + lease.node() + "` could not join: its row was inserted"
                + " and removed by others " + ATTEMPTS + " times in a row");
    }

    @Override
    public boolean renew(String node, String instance, Instant expiresAt) {
        return db.inTransaction("renew the lease of node `" + node + "`", h ->
                h.createUpdate("UPDATE nodes SET expires_at = :expires WHERE node_id = :node AND instance = :instance")
                        .bind("expires", SqlTime.of(expiresAt))
                        .bind("node", node)
                        .bind("instance", instance)
                        .execute() == 1);
    }

    @Override
    public void leave(String node, String instance) {
        db.inTransaction("remove node `" + node + "`", h ->
                h.createUpdate("DELETE FROM nodes WHERE node_id = :node AND instance = :instance")
                        .bind("node", node)
                        .bind("instance", instance)
                        .execute());
    }

    @Override
    public List<NodeLease> nodes() {
        return db.inTransaction("list the nodes", h ->
                h.createQuery("SELECT node_id, instance, started_at, expires_at FROM nodes ORDER BY node_id")
                        .map(JdbiNodeCatalog::lease)
                        .list());
    }

    @Override
    public boolean removeExpired(String node, String instance, Instant now) {
        return db.inTransaction("remove the expired node `" + node + "`", h ->
                h.createUpdate("DELETE FROM nodes WHERE node_id = :node AND instance = :instance"
                                + " AND expires_at <= :now")
                        .bind("node", node)
                        .bind("instance", instance)
                        .bind("now", SqlTime.of(now))
                        .execute() == 1);
    }

    @Override
    public boolean tryLock(String name, String node, String instance, Instant now) {
        String what = "take the lock `" + name + "`";
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            try {
                db.inTransaction(what, h -> Database.conflictAs(
                        () -> new AlreadyExistsException("The lock `" + name + "` exists"),
                        () -> h.createUpdate("INSERT INTO locks (name, node_id, instance, acquired_at)"
                                        + " VALUES (:name, :node, :instance, :now)")
                                .bind("name", name)
                                .bind("node", node)
                                .bind("instance", instance)
                                .bind("now", SqlTime.of(now))
                                .execute()));
                return true;
            } catch (AlreadyExistsException e) {
                // Held, or held once: take it over below if its holder is dead.
            }
            Boolean taken = db.inTransaction(what, h -> takeOver(h, name, node, instance, now));
            if (taken != null) {
                return taken;
            }
        }
        throw new StorageUnavailableException("The lock `" + name + "` could not be taken: its row was removed"
                + " and inserted by others " + ATTEMPTS + " times in a row");
    }

    /**
     * Moves the existing lock {@code name} to this holder if its holder is dead: true when it did, false when
     * a live holder has it, null when the row went away meanwhile (free again: insert it anew).
     *
     * <p>The update compares the holder it read, not only a condition on {@code nodes}: when racers wait for
     * one row lock, PostgreSQL checks again only the conditions on the updated row itself (a join or a
     * correlated subquery on another table may be answered from before), so of racers that all saw the dead
     * holder, exactly one still finds it there.
     */
    private static Boolean takeOver(Handle h, String name, String node, String instance, Instant now) {
        Optional<String[]> holder = h.createQuery("SELECT node_id, instance FROM locks WHERE name = :name")
                .bind("name", name)
                .map((rs, ctx) -> new String[] {rs.getString("node_id"), rs.getString("instance")})
                .findOne();
        if (holder.isEmpty()) {
            return null;
        }
        int moved = h.createUpdate("UPDATE locks SET node_id = :node, instance = :instance, acquired_at = :now"
                        + " WHERE name = :name AND node_id = :held_by AND instance = :held_in"
                        + " AND NOT EXISTS (SELECT 1 FROM nodes n WHERE n.node_id = :held_by"
                        + " AND n.instance = :held_in AND n.expires_at > :now)")
                .bind("node", node)
                .bind("instance", instance)
                .bind("now", SqlTime.of(now))
                .bind("name", name)
                .bind("held_by", holder.get()[0])
                .bind("held_in", holder.get()[1])
                .execute();
        if (moved == 1) {
            return true;
        }
        // The holder read is live, or a racer took the lock over first; or it released it, and it is free.
        boolean exists = h.createQuery("SELECT COUNT(*) FROM locks WHERE name = :name")
                .bind("name", name)
                .mapTo(Long.class)
                .one() > 0;
        return exists ? Boolean.FALSE : null;
    }

    @Override
    public void unlock(String name, String node, String instance) {
        db.inTransaction("release the lock `" + name + "`", h ->
                h.createUpdate("DELETE FROM locks WHERE name = :name AND node_id = :node AND instance = :instance")
                        .bind("name", name)
                        .bind("node", node)
                        .bind("instance", instance)
                        .execute());
    }

    @Override
    public Optional<String> lockHolder(String name, Instant now) {
        return db.inTransaction("read the holder of the lock `" + name + "`", h ->
                h.createQuery("SELECT l.node_id FROM locks l JOIN nodes n ON n.node_id = l.node_id"
                                + " AND n.instance = l.instance WHERE l.name = :name AND n.expires_at > :now")
                        .bind("name", name)
                        .bind("now", SqlTime.of(now))
                        .mapTo(String.class)
                        .findOne());
    }

    private static NodeLease lease(ResultSet rs, StatementContext ctx) throws SQLException {
        return new NodeLease(rs.getString("node_id"), rs.getString("instance"), SqlTime.read(rs, "started_at"),
                SqlTime.read(rs, "expires_at"));
    }
}
