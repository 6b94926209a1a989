package io.snapkeep.catalog.jdbi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.snapkeep.core.error.AlreadyExistsException;
import io.snapkeep.core.port.out.TokenCatalog;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * {@link TokenCatalog} on the {@code tokens} table. The primary key and the unique digest make an insert
 * exclusive; every insert first locks the one row of {@code token_issue_lock}, so that the per-user bound is
 * applied to the user's tokens as they are once the insert commits, also when two nodes issue at once.
 */
final class JdbiTokenCatalog implements TokenCatalog {
    private static final String COLUMNS = "id, digest, user_name, roles, issued_at, expires_at";
    private static final TypeReference<List<String>> LIST = new TypeReference<>() {
    };

    private final Database db;
    private final ObjectMapper mapper = new ObjectMapper();

    JdbiTokenCatalog(Database db) {
        this.db = db;
    }

    @Override
    public List<String> insert(StoredToken token, int maxPerUser) {
        return db.inTransaction("insert token " + token.id(), h -> {
            h.createUpdate("UPDATE token_issue_lock SET lock_count = lock_count + 1 WHERE id = 1").execute();
            Database.conflictAs(() -> new AlreadyExistsException("Token " + token.id() + " already exists"),
                    () -> h.createUpdate("INSERT INTO tokens (" + COLUMNS + ") VALUES (:id, :digest, :user, :roles,"
                                    + " :issued, :expires)")
                            .bind("id", token.id())
                            .bind("digest", token.digest())
                            .bind("user", token.user())
                            .bind("roles", writeRoles(token.roles()))
                            .bind("issued", SqlTime.of(token.issuedAt()))
                            .bind("expires", SqlTime.of(token.expiresAt()))
                            .execute());
            List<String> mine = h.createQuery("SELECT id FROM tokens WHERE user_name = :user"
                            + " ORDER BY issued_at ASC, id ASC")
                    .bind("user", token.user())
                    .mapTo(String.class)
                    .list();
            List<String> dropped = mine.subList(0, Math.max(0, mine.size() - maxPerUser));
            if (!dropped.isEmpty()) {
                h.createUpdate("DELETE FROM tokens WHERE id IN (<ids>)").bindList("ids", dropped).execute();
            }
            return List.copyOf(dropped);
        });
    }

    @Override
    public Optional<StoredToken> findByDigest(String digest) {
        return db.inTransaction("read a token by its digest", h ->
                h.createQuery("SELECT " + COLUMNS + " FROM tokens WHERE digest = :digest")
                        .bind("digest", digest)
                        .map(this::map)
                        .findOne());
    }

    @Override
    public Optional<StoredToken> find(String id) {
        return db.inTransaction("read token " + id, h ->
                h.createQuery("SELECT " + COLUMNS + " FROM tokens WHERE id = :id")
                        .bind("id", id)
                        .map(this::map)
                        .findOne());
    }

    @Override
    public List<StoredToken> ofUser(String user) {
        return db.inTransaction("list the tokens of a user", h ->
                h.createQuery("SELECT " + COLUMNS + " FROM tokens WHERE user_name = :user"
                                + " ORDER BY issued_at ASC, id ASC")
                        .bind("user", user)
                        .map(this::map)
                        .list());
    }

    @Override
    public boolean delete(String id) {
        return db.inTransaction("delete token " + id, h ->
                h.createUpdate("DELETE FROM tokens WHERE id = :id").bind("id", id).execute() == 1);
    }

    @Override
    public int deleteExpired(Instant now) {
        return db.inTransaction("delete expired tokens", h ->
                h.createUpdate("DELETE FROM tokens WHERE expires_at <= :now").bind("now", SqlTime.of(now)).execute());
    }

    /** Sorted, so that one set of roles is always one text. */
    private String writeRoles(Set<String> roles) {
        try {
            return mapper.writeValueAsString(new TreeSet<>(roles));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Token roles cannot be written as JSON: " + e.getMessage(), e);
        }
    }

    private StoredToken map(ResultSet rs, StatementContext ctx) throws SQLException {
        Set<String> roles;
        try {
            roles = Set.copyOf(mapper.readValue(rs.getString("roles"), LIST));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored token roles are not a JSON array: " + e.getMessage(), e);
        }
        return new StoredToken(rs.getString("id"), rs.getString("digest"), rs.getString("user_name"), roles,
                SqlTime.read(rs, "issued_at"), SqlTime.read(rs, "expires_at"));
    }
}
