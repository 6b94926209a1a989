package io.snapkeep.rest;

import io.snapkeep.core.port.in.SnapshotService;
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
     * {@code /api/v3} and {@code /api/v3.1}, plus {@code /api/version}; users checked by
     * {@code authenticator}.
     */
    public static ResourceConfig resourceConfig(SnapshotService service, Authenticator authenticator,
                                                RestSettings settings) {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(authenticator, "authenticator");
        Objects.requireNonNull(settings, "settings");
        TokenIssuer tokens = new TokenIssuer(settings.tokenLifetime(), Clock.systemUTC());
        ArchiveUrlFetcher fetcher = new ArchiveUrlFetcher(settings.urlFetch());
        ResourceConfig config = new ResourceConfig();
        config.setApplicationName("snapkeep");
        config.register(SnapshotsResource.class);
        config.register(ExecutionsResource.class);
        config.register(EventsResource.class);
        config.register(ManagerResource.class);
        config.register(UnversionedResource.class);
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
                bind(authenticator).to(Authenticator.class);
                bind(settings).to(RestSettings.class);
                bind(tokens).to(TokenIssuer.class);
                bind(fetcher).to(ArchiveUrlFetcher.class);
            }
        });
        // Errors are ours to render: never the container's HTML page, never a WADL.
        config.property(ServerProperties.RESPONSE_SET_STATUS_OVER_SEND_ERROR, true);
        config.property(ServerProperties.WADL_FEATURE_DISABLE, true);
        return config;
    }
}
