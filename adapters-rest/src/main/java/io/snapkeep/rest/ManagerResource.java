package io.snapkeep.rest;

import io.snapkeep.core.domain.Page;
import io.snapkeep.core.domain.Timestamps;
import io.snapkeep.core.port.in.SnapshotService;
import io.snapkeep.core.port.out.TokenCatalog.StoredToken;
import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The manager's own endpoints: {@code version}, {@code snapshot-status}, {@code tokens} (issue one; describe
 * or revoke one by id), and what {@code cfy profiles use} calls to log in ({@code status},
 * {@code provider/context}, {@code managers}, {@code brokers}, {@code db-nodes}).
 */
@Path(Paths.VERSIONED)
public final class ManagerResource {
    /** What a token id can look like; anything else names no token, and is not looked up. */
    private static final Pattern TOKEN_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private final SnapshotService service;
    private final RestSettings settings;
    private final TokenIssuer tokens;
    private final Monitoring monitoring;

    @Context
    private ContainerRequestContext request;

    @Inject
    ManagerResource(SnapshotService service, RestSettings settings, TokenIssuer tokens, Monitoring monitoring) {
        this.service = service;
        this.settings = settings;
        this.tokens = tokens;
        this.monitoring = monitoring;
    }

    @GET
    @Path("version")
    @Access(Access.Level.ANYONE)
    public Response version() {
        return SnapshotsResource.json(200, version(settings));
    }

    @GET
    @Path("snapshot-status")
    @Access(Access.Level.ANYONE)
    public Response snapshotStatus() {
        return SnapshotsResource.json(200, Map.of("status", service.isRestoreRunning() ? "running" : "not-running"));
    }

    /**
     * The readiness checks in Cloudify's shape: {@code status} {@code OK} or {@code Fail}, and per service its
     * {@code status} ({@code Active} or {@code Inactive}). Always 200: the CLI logs in with it and reads the
     * body, as it does from a Cloudify manager with a service down.
     */
    @GET
    @Path("status")
    @Access(Access.Level.AUTHENTICATED)
    public Response status() {
        Map<String, Boolean> checks = monitoring.readiness().check();
        Map<String, Object> services = new LinkedHashMap<>();
        checks.forEach((name, up) -> {
            Map<String, Object> service = new LinkedHashMap<>();
            service.put("status", up ? "Active" : "Inactive");
            service.put("is_remote", false);
            service.put("extra_info", Map.of());
            services.put(name, service);
        });
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", Monitoring.allUp(checks) ? "OK" : "Fail");
        m.put("services", services);
        return SnapshotsResource.json(200, m);
    }

    @GET
    @Path("provider/context")
    @Access(Access.Level.AUTHENTICATED)
    public Response providerContext() {
        throw ApiError.notFound("Provider context not set");
    }

    @GET
    @Path("managers")
    @Access(Access.Level.AUTHENTICATED)
    public Response managers() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", 1);
        m.put("hostname", settings.serverName());
        m.put("private_ip", settings.serverHost());
        m.put("public_ip", settings.serverHost());
        m.put("version", settings.version());
        m.put("edition", "community");
        m.put("networks", Map.of("default", settings.serverHost()));
        return one(m);
    }

    @GET
    @Path("brokers")
    @Access(Access.Level.AUTHENTICATED)
    public Response brokers() {
        return one(node());
    }

    @GET
    @Path("db-nodes")
    @Access(Access.Level.AUTHENTICATED)
    public Response dbNodes() {
        return one(node());
    }

    @GET
    @Path("tokens")
    @Access(Access.Level.AUTHENTICATED)
    public Response token() {
        TokenIssuer.Issued issued = tokens.issue(caller());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("value", issued.value());
        m.putAll(describe(issued.token()));
        return SnapshotsResource.json(200, m);
    }

    /** A token's description, never its value: the catalog does not have it, and nobody gets it twice. */
    @GET
    @Path("tokens/{id}")
    @Access(Access.Level.AUTHENTICATED)
    public Response describeToken(@PathParam("id") String id) {
        return SnapshotsResource.json(200, describe(manageableToken(id)));
    }

    /** 204, as Cloudify answers a token's deletion; the contract's "never 204" is about snapshots. */
    @DELETE
    @Path("tokens/{id}")
    @Access(Access.Level.AUTHENTICATED)
    public Response revokeToken(@PathParam("id") String id) {
        StoredToken token = manageableToken(id);
        if (!tokens.revoke(token.id())) {
            throw tokenNotFound(id);
        }
        return Response.noContent().build();
    }

    static Map<String, Object> version(RestSettings settings) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("version", settings.version());
        m.put("edition", "community");
        m.put("build", null);
        m.put("date", null);
        m.put("commit", null);
        return m;
    }

    private Authenticator.User caller() {
        return (Authenticator.User) request.getProperty(AuthFilter.USER_PROPERTY);
    }

    /** The valid token {@code id}, if the caller may see and revoke it: their own, or any for sys_admin. */
    private StoredToken manageableToken(String id) {
        StoredToken token = (TOKEN_ID.matcher(id).matches() ? tokens.find(id) : Optional.<StoredToken>empty())
                .orElseThrow(() -> tokenNotFound(id));
        Authenticator.User caller = caller();
        if (!caller.isSysAdmin() && !token.user().equals(caller.name())) {
            throw new ApiError(ErrorTable.Entry.FORBIDDEN, "User `" + caller.name() + "` is not permitted to do "
                    + "this: a token of another user needs the `" + Authenticator.User.SYS_ADMIN + "` role");
        }
        return token;
    }

    private static ApiError tokenNotFound(String id) {
        return ApiError.notFound("Requested `Token` with ID `" + id + "` was not found");
    }

    private static Map<String, Object> describe(StoredToken token) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", token.id());
        m.put("username", token.user());
        m.put("role", token.roles().contains(Authenticator.User.SYS_ADMIN) ? Authenticator.User.SYS_ADMIN : "default");
        m.put("issued_at", Timestamps.format(token.issuedAt()));
        m.put("expiration_date", Timestamps.format(token.expiresAt()));
        m.put("description", null);
        m.put("last_used", null);
        return m;
    }

    private Map<String, Object> node() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", settings.serverName());
        m.put("host", settings.serverHost());
        return m;
    }

    private static Response one(Map<String, Object> item) {
        return SnapshotsResource.json(200, Representations.list(new Page<>(List.of(item), 1, 0, 1000), x -> x));
    }
}
