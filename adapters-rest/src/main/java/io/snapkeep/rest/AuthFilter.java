package io.snapkeep.rest;

import jakarta.annotation.Priority;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;

/**
 * Authenticates by {@code Authorization: Basic} or {@code Authentication-Token}, applies the {@code Tenant}
 * header rule, and lets only {@code sys_admin} through to snapshot actions. Runs after matching, so an
 * unknown route is a 404 whoever asks.
 *
 * <p>Password checks are throttled by {@link LoginThrottle}: a blocked client address is answered 429 before
 * any check; a blocked user name is answered 429 before any check when the address has failed in its
 * window, and checked (a correct password logs in) when it has not. Tokens are never throttled. The checks
 * themselves run through {@link PasswordChecks}: bounded in number at once, successes remembered.
 */
@Priority(Priorities.AUTHENTICATION)
final class AuthFilter implements ContainerRequestFilter {
    static final String USER_PROPERTY = "snapkeep.user";

    private final PasswordChecks checks;
    private final TokenIssuer tokens;
    private final LoginThrottle throttle;
    private final RestSettings settings;
    private final Monitoring monitoring;

    @Context
    private ResourceInfo resource;

    @Context
    private HttpServletRequest servletRequest;

    @Inject
    AuthFilter(PasswordChecks checks, TokenIssuer tokens, LoginThrottle throttle, RestSettings settings,
               Monitoring monitoring) {
        this.checks = checks;
        this.tokens = tokens;
        this.throttle = throttle;
        this.settings = settings;
        this.monitoring = monitoring;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        Access.Level level = accessLevel();
        if (level == Access.Level.ANYONE) {
            return;
        }
        Authenticator.User user = authenticate(request).orElseThrow(() -> new ApiError(401, ApiError.UNAUTHORIZED,
                "Authentication failed: send valid credentials (Basic auth or an Authentication-Token)"));
        String tenant = request.getHeaderString("Tenant");
        if (tenant != null && !tenant.isBlank() && !Representations.TENANT.equals(tenant.strip())) {
            throw new ApiError(403, ApiError.FORBIDDEN, "User `" + user.name() + "` has no access to tenant `"
                    + tenant.strip() + "`; the only tenant is `" + Representations.TENANT + "`");
        }
        if (level == Access.Level.READER && !user.isSysAdmin() && !settings.canRead(user)) {
            throw new ApiError(403, ApiError.FORBIDDEN, "User `" + user.name() + "` is not permitted to do this: "
                    + "reading snapshots needs the `" + Authenticator.User.SYS_ADMIN + "` role or a reader role"
                    + (settings.readerRoles().isEmpty() ? " (none is configured)"
                    : " (" + String.join(", ", new java.util.TreeSet<>(settings.readerRoles())) + ")"));
        }
        if (level == null && !user.isSysAdmin()) {
            throw new ApiError(403, ApiError.FORBIDDEN, "User `" + user.name() + "` is not permitted to do this: "
                    + "snapshot actions need the `" + Authenticator.User.SYS_ADMIN + "` role");
        }
        request.setProperty(USER_PROPERTY, user);
    }

    private Access.Level accessLevel() {
        // The host decides whether a scraper needs credentials; the health probes never do (their annotation).
        if (resource.getResourceClass() == MetricsResource.class && monitoring.metricsPublic()) {
            return Access.Level.ANYONE;
        }
        Access onMethod = resource.getResourceMethod() == null ? null
                : resource.getResourceMethod().getAnnotation(Access.class);
        if (onMethod != null) {
            return onMethod.value();
        }
        Access onClass = resource.getResourceClass() == null ? null
                : resource.getResourceClass().getAnnotation(Access.class);
        return onClass == null ? null : onClass.value();
    }

    private Optional<Authenticator.User> authenticate(ContainerRequestContext request) {
        String token = request.getHeaderString("Authentication-Token");
        if (token != null && !token.isBlank()) {
            return tokens.check(token.strip());
        }
        String authorization = request.getHeaderString("Authorization");
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return Optional.empty();
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(authorization.substring(6).strip()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException notBase64) {
            return Optional.empty();
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            return Optional.empty();
        }
        return checkPassword(decoded.substring(0, colon), decoded.substring(colon + 1));
    }

    private Optional<Authenticator.User> checkPassword(String name, String password) {
        String address = clientAddress();
        Duration addressWait = throttle.addressBlocked(address);
        if (!addressWait.isZero()) {
            throw ApiError.tooManyRequests(addressWait, "Too many failed logins from this address; try again in "
                    + ApiError.retryAfterSeconds(addressWait) + " s");
        }
        Duration userWait = throttle.userBlocked(name);
        if (!userWait.isZero() && throttle.addressHasFailures(address)) {
            throw tooManyForUser(userWait);
        }
        Optional<Authenticator.User> user = checks.check(name, password);
        if (user.isEmpty()) {
            throttle.failed(address, name);
            if (!userWait.isZero()) {
                throw tooManyForUser(userWait);
            }
        }
        return user;
    }

    private static ApiError tooManyForUser(Duration wait) {
        return ApiError.tooManyRequests(wait, "Too many failed logins for this user; try again in "
                + ApiError.retryAfterSeconds(wait) + " s");
    }

    /** The peer's address as the servlet container saw it; one shared key when the host gives none. */
    private String clientAddress() {
        String address = servletRequest == null ? null : servletRequest.getRemoteAddr();
        return address == null ? "" : address;
    }
}
