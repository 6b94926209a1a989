package io.snapkeep.app;

import io.snapkeep.app.config.SnapkeepConfig;
import io.snapkeep.app.users.ConfiguredUsers;
import io.snapkeep.catalog.jdbi.JdbiCatalog;
import io.snapkeep.core.Snapkeep;
import io.snapkeep.core.port.out.ArchiveStore;
import io.snapkeep.core.port.out.StateParticipant;
import io.snapkeep.core.support.Secrets;
import io.snapkeep.rest.RestSettings;
import io.snapkeep.rest.SnapkeepRestApi;
import io.snapkeep.rest.UrlFetchPolicy;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.ee11.servlet.ServletHolder;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.glassfish.jersey.servlet.ServletContainer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Snapkeep server: the core wired by hand to the adapters that the configuration names, served by
 * Jetty. Start-up recovery runs before the port opens, so no request ever sees a half-finished state.
 */
public final class SnapkeepServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SnapkeepServer.class);
    static final String VERSION = versionOfThisBuild();

    private final JdbiCatalog catalog;
    private final ArchiveStore store;
    private final Snapkeep snapkeep;
    private final Server jetty;
    private final URI uri;

    private SnapkeepServer(JdbiCatalog catalog, ArchiveStore store, Snapkeep snapkeep, Server jetty, URI uri) {
        this.catalog = catalog;
        this.store = store;
        this.snapkeep = snapkeep;
        this.jetty = jetty;
        this.uri = uri;
    }

    /**
     * Builds everything from {@code config} and starts serving.
     *
     * @param announce where a generated admin password is told, once
     */
    public static SnapkeepServer start(SnapkeepConfig config, Consumer<String> announce) throws Exception {
        Files.createDirectories(config.dataDir());
        ConfiguredUsers users = ConfiguredUsers.load(config, announce);
        JdbiCatalog catalog = JdbiCatalog.open(config.catalog().url(), config.catalog().user(),
                config.catalog().password().reveal());
        ArchiveStore store = null;
        Snapkeep snapkeep = null;
        try {
            store = config.storage().open();
            snapkeep = Snapkeep.builder()
                    .archiveStore(store)
                    .snapshotCatalog(catalog.snapshots())
                    .executionCatalog(catalog.executions())
                    .eventLog(catalog.events())
                    .participants(participants(config))
                    .archiveLimits(config.archiveLimits())
                    .build()
                    .start();
            Server jetty = jetty(config.server().host(), config.server().port(),
                    SnapkeepRestApi.resourceConfig(snapkeep, users, restSettings(config)));
            jetty.start();
            int port = ((ServerConnector) jetty.getConnectors()[0]).getLocalPort();
            URI uri = URI.create("http://" + hostForUri(config.server().host()) + ":" + port);
            LOG.info("Snapkeep {} serving on {} (storage: {}, catalog: {})", VERSION, uri,
                    config.storage().type() + " " + config.storage().where(), Secrets.maskUrl(config.catalog().url()));
            return new SnapkeepServer(catalog, store, snapkeep, jetty, uri);
        } catch (Exception | Error e) {
            closeQuietly(snapkeep, store, catalog);
            throw e;
        }
    }

    public URI uri() {
        return uri;
    }

    /** Blocks until the server stops. */
    public void join() throws InterruptedException {
        jetty.join();
    }

    /**
     * Stops accepting requests, lets running requests finish briefly, then interrupts a running execution
     * (it ends failed, or start-up recovery fails it if the process dies first) and closes the stores.
     */
    @Override
    public void close() {
        try {
            jetty.stop();
        } catch (Exception e) {
            LOG.warn("Stopping the HTTP server failed", e);
        }
        closeQuietly(snapkeep, store, catalog);
        LOG.info("Snapkeep stopped");
    }

    private static List<StateParticipant> participants(SnapkeepConfig config) {
        List<StateParticipant> list = new ArrayList<>();
        for (SnapkeepConfig.Participant p : config.participants()) {
            list.add(p.open());
        }
        return list;
    }

    private static RestSettings restSettings(SnapkeepConfig config) {
        SnapkeepConfig.ArchiveUrl url = config.archiveUrl();
        UrlFetchPolicy policy = UrlFetchPolicy.DEFAULTS
                .withSchemes(url.allowedSchemes())
                .withAllowedHosts(url.allowedHosts())
                .withTimeouts(url.connectTimeout(), url.readTimeout())
                .withMaxBytes(url.maxSize());
        String host = config.server().host();
        return RestSettings.DEFAULTS.withServer(hostName(), host).withVersion(VERSION).withUrlFetch(policy);
    }

    /**
     * Jetty serving {@code api} at {@code host:port}, not yet started, its handler the servlet context: errors
     * that Jetty answers itself get the API's error body.
     */
    static Server jetty(String host, int port, org.glassfish.jersey.server.ResourceConfig api) {
        QueuedThreadPool threads = new QueuedThreadPool(200, 8);
        threads.setName("snapkeep-http");
        Server server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        // Large output buffer: archive downloads stream in big writes.
        http.setOutputBufferSize(1 << 20);
        // Ids with an encoded `/` must reach the API, which refuses them with its own 400 and message.
        // So do empty segments (an empty id) and encoded dot segments: the API names the id rule broken.
        http.setUriCompliance(UriCompliance.DEFAULT.with("snapkeep",
                UriCompliance.Violation.AMBIGUOUS_PATH_SEPARATOR, UriCompliance.Violation.AMBIGUOUS_PATH_ENCODING,
                UriCompliance.Violation.AMBIGUOUS_EMPTY_SEGMENT, UriCompliance.Violation.AMBIGUOUS_PATH_SEGMENT));
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost(host);
        connector.setPort(port);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        context.addServlet(new ServletHolder("snapkeep", new ServletContainer(api)), "/*");
        context.getServletHandler().setDecodeAmbiguousURIs(true);
        context.setErrorHandler(new JsonErrorHandler.InContext());
        server.setHandler(context);
        server.setErrorHandler(new JsonErrorHandler());
        server.setStopTimeout(5_000);
        server.setStopAtShutdown(false);
        return server;
    }

    private static String hostForUri(String host) {
        return host.contains(":") ? "[" + host + "]" : host;
    }

    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }

    private static String versionOfThisBuild() {
        String v = SnapkeepServer.class.getPackage().getImplementationVersion();
        return v == null ? "0.1.0" : v;
    }

    /** Closes what can be closed (an S3 store holds connections; a file store holds nothing). */
    private static void closeQuietly(Object... parts) {
        for (Object part : parts) {
            if (!(part instanceof AutoCloseable c)) {
                continue;
            }
            try {
                c.close();
            } catch (Exception e) {
                LOG.warn("Closing {} failed", c.getClass().getSimpleName(), e);
            }
        }
    }
}
