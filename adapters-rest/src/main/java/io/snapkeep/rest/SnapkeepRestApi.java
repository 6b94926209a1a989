package io.snapkeep.rest;

import io.snapkeep.core.port.in.SnapshotPolicies;
import io.snapkeep.core.port.in.SnapshotService;
import io.snapkeep.core.port.out.TokenCatalog;
import java.time.Clock;
import java.util.Objects;
import org.glassfish.jersey.inject.hk2.AbstractBinder;
import org.glassfish.jersey.jackson.JacksonFeature;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.server.ServerProperties;

/**
 * The Snapshots REST API as a Jersey application, ready to mount in a host's servlet container or Jersey
 * server. This is the adapter's one entry point.
 */
public final class SnapkeepRestApi {
    private SnapkeepRestApi() {
    }

    /**
     * The API over {@code service}: every endpoint of the contract under {@code /api/v2}, {@code /api/v2.1},
     * {@code /api/v3} and {@code /api/v3.1}, plus {@code /api/version} and the API's OpenAPI document at
     * {@code /api/v3.1/openapi.json}; users checked by
     * {@code authenticator}. Its tokens live in this instance's memory only: they end with it and no other
     * instance accepts them. A host that runs more than one instance, or wants tokens to outlive a restart,
     * passes a {@link TokenCatalog}.
     */
    public static ResourceConfig resourceConfig(SnapshotService service, Authenticator authenticator,
                                                RestSettings settings) {
        return resourceConfig(service, authenticator, settings, new LocalTokenCatalog());
    }

    /** The API as above, its tokens kept in {@code tokenCatalog}. */
    public static ResourceConfig resourceConfig(SnapshotService service, Authenticator authenticator,
                                                RestSettings settings, TokenCatalog tokenCatalog) {
        return resourceConfig(service, authenticator, settings, tokenCatalog, Clock.systemUTC());
    }

    /** The API as above, its tokens issued and expired, and its failed logins counted, by {@code clock}. */
    public static ResourceConfig resourceConfig(SnapshotService service, Authenticator authenticator,
                                                RestSettings settings, TokenCatalog tokenCatalog, Clock clock) {
        return build(service, SnapshotPolicies.disabled(), authenticator, settings, tokenCatalog, clock, Monitoring.NONE);
    }

    /**
     * The API as above, plus {@code GET /health/live}, {@code GET /health/ready} and {@code GET /metrics}
     * answered from {@code monitoring}, whose checks {@code GET /api/{v}/status} reports too.
     */
    public static ResourceConfig resourceConfig(SnapshotService service, Authenticator authenticator,
                                                RestSettings settings, TokenCatalog tokenCatalog, Clock clock,
                                                Monitoring monitoring) {
        return build(service, SnapshotPolicies.disabled(), authenticator, settings, tokenCatalog, clock, monitoring);
    }

    /**
     * The API as above with {@code /snapshot-policies} served by {@code policies}. Without it (the overloads
     * above) those routes answer 404 {@code not_found_error} saying that policies are not enabled.
     */
    public static ResourceConfig resourceConfig(SnapshotService service, SnapshotPolicies policies,
                                                Authenticator authenticator, RestSettings settings,
                                                TokenCatalog tokenCatalog, Clock clock) {
        return resourceConfig(service, policies, authenticator, settings, tokenCatalog, clock, Monitoring.NONE);
    }

    /** Everything: the policies and the monitoring as in the two overloads above. */
    public static ResourceConfig resourceConfig(SnapshotService service, SnapshotPolicies policies,
                                                Authenticator authenticator, RestSettings settings,
                                                TokenCatalog tokenCatalog, Clock clock, Monitoring monitoring) {
        return build(service, Objects.requireNonNull(policies, "policies"), authenticator, settings, tokenCatalog,
                clock, monitoring);
    }

    private static ResourceConfig build(SnapshotService service, SnapshotPolicies policies,
                                        Authenticator authenticator, RestSettings settings,
                                        TokenCatalog tokenCatalog, Clock clock, Monitoring monitoring) {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(authenticator, "authenticator");
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(tokenCatalog, "tokenCatalog");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(monitoring, "monitoring");
        TokenIssuer tokens = new TokenIssuer(tokenCatalog, settings.tokenLifetime(), settings.maxTokensPerUser(), clock);
        LoginThrottle throttle = new LoginThrottle(settings.loginLimits(), clock);
        PasswordChecks checks = new PasswordChecks(authenticator, settings.passwordChecks(), clock);
        ArchiveUrlFetcher fetcher = new ArchiveUrlFetcher(settings.urlFetch());
        ResourceConfig config = new ResourceConfig();
        config.setApplicationName("snapkeep");
        config.register(SnapshotsResource.class);
        config.register(ExecutionsResource.class);
        config.register(EventsResource.class);
        config.register(ManagerResource.class);
        config.register(PoliciesResource.class);
        config.register(UnversionedResource.class);
        config.register(ApiDocumentResource.class);
        config.register(HealthResource.class);
        config.register(MetricsResource.class);
        config.register(AuthFilter.class);
        config.register(ErrorMapper.class);
        config.register(ErrorBodyFilter.class);
        config.register(JsonMapperResolver.class);
        // Our own mapper renders JSON errors; Jackson's would answer in its own format.
        config.register(JacksonFeature.withoutExceptionMappers());
        config.register(new AbstractBinder() {
            @Override
            protected void configure() {
                bind(service).to(SnapshotService.class);
                bind(policies).to(SnapshotPolicies.class);
                bind(authenticator).to(Authenticator.class);
                bind(settings).to(RestSettings.class);
                bind(tokens).to(TokenIssuer.class);
                bind(fetcher).to(ArchiveUrlFetcher.class);
                bind(throttle).to(LoginThrottle.class);
                bind(checks).to(PasswordChecks.class);
                bind(monitoring).to(Monitoring.class);
            }
        });
        // Errors are ours to render: never the container's HTML page, never a WADL.
        config.property(ServerProperties.RESPONSE_SET_STATUS_OVER_SEND_ERROR, true);
        config.property(ServerProperties.WADL_FEATURE_DISABLE, true);
        return config;
    }
}
