package io.snapkeep.app;

import io.snapkeep.app.config.DataDirectory;
import io.snapkeep.app.config.SnapkeepConfig;
import io.snapkeep.app.config.TlsKeys;
import io.snapkeep.app.logging.AccessLog;
import io.snapkeep.app.logging.RequestIds;
import io.snapkeep.app.users.ConfiguredUsers;
import io.snapkeep.core.Snapkeep;
import io.snapkeep.core.support.DaemonThreads;
import io.snapkeep.core.support.Secrets;
import io.snapkeep.rest.LoginLimits;
import io.snapkeep.rest.Monitoring;
import io.snapkeep.rest.NetworkRange;
import io.snapkeep.rest.PasswordCheckLimits;
import io.snapkeep.rest.RestSettings;
import io.snapkeep.rest.SnapkeepRestApi;
import io.snapkeep.rest.UrlFetchPolicy;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.ee11.servlet.ServletHolder;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.ssl.SslContextFactory;
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

    private final Backend backend;
    private final Server jetty;
    private final Duration gracePeriod;
    private final URI uri;
    private final AtomicBoolean closed = new AtomicBoolean();

    private SnapkeepServer(Backend backend, Server jetty, Duration gracePeriod, URI uri) {
        this.backend = backend;
        this.jetty = jetty;
        this.gracePeriod = gracePeriod;
        this.uri = uri;
    }

    /**
     * Builds everything from {@code config} and starts serving.
     *
     * @param announce where a generated admin password is told, once
     */
    public static SnapkeepServer start(SnapkeepConfig config, Consumer<String> announce) throws Exception {
        DataDirectory.create(config.dataDir());
        WorkPriority.install(config.executions().nice());
        ConfiguredUsers users = ConfiguredUsers.load(config, announce);
        Backend backend = Backend.open(config);
        Snapkeep snapkeep = backend.snapkeep();
        // The engine's start (recovery, reconciliation) and Jetty's and Jersey's need each other only at the
        // first request: they run at once, on two cores, and requests wait at the StartGate meanwhile.
        CompletableFuture<Snapkeep> engineStart = new CompletableFuture<>();
        DaemonThreads.start("snapkeep-start", () -> {
            try {
                engineStart.complete(snapkeep.start());
            } catch (Throwable t) {
                engineStart.completeExceptionally(t);
            }
        });
        Server jetty = null;
        StartGate[] gate = new StartGate[1];
        try {
            Duration grace = config.shutdown().gracePeriod();
            Listening listening = Listening.of(config);
            jetty = jetty(listening, api(config, backend, snapkeep, users), grace, handler -> {
                gate[0] = new StartGate(handler);
                return gate[0];
            });
            backend.metrics().bindJetty(jetty);
            jetty.start();
            awaitStart(engineStart);
            gate[0].open();
            if (backend.isClustered()) {
                warnOfLocalParticipants(config, backend);
            }
            int port = ((ServerConnector) jetty.getConnectors()[0]).getLocalPort();
            URI uri = URI.create(listening.scheme() + "://" + hostForUri(config.server().host()) + ":" + port);
            LOG.info("Snapkeep {} serving on {} (node: {}{}, storage: {}, catalog: {})", VERSION, uri, backend.node(),
                    backend.isClustered() ? " in a cluster" : "", config.storage().type() + " "
                    + config.storage().where(), Secrets.maskUrl(config.catalog().url()));
            if (jetty.getConnectors().length > 1) {
                LOG.info("Plain HTTP on port {} only redirects to {}",
                        ((ServerConnector) jetty.getConnectors()[1]).getLocalPort(), uri);
            }
            if (listening.tls().isEmpty() && !listening.plainPasswordsReachBeyondLoopback()
                    && !isLoopback(config.server().host())) {
                LOG.warn("Serving plain HTTP on {}: Basic authentication is accepted only from loopback (and "
                        + "http.plain_basic_networks); serve HTTPS (tls.*) or put a TLS reverse proxy in front and "
                        + "list it in http.trusted_proxies", config.server().host());
            }
            return new SnapkeepServer(backend, jetty, grace, uri);
        } catch (Exception | Error e) {
            if (gate[0] != null) {
                gate[0].fail();
            }
            if (jetty != null) {
                try {
                    jetty.stop();
                } catch (Exception stop) {
                    e.addSuppressed(stop);
                }
            }
            // Closed only once the engine's start has ended, so that nothing closes under a running recovery.
            engineStart.handle((started, failed) -> null).join();
            backend.close();
            throw e;
        }
    }

    /** Waits for the engine's start; its failure is thrown as it was thrown. */
    private static void awaitStart(CompletableFuture<Snapkeep> engineStart) throws Exception {
        try {
            engineStart.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e;
        }
    }

    public URI uri() {
        return uri;
    }

    /** The plain HTTP address that redirects to {@link #uri()}, when HTTPS is served with one. */
    java.util.Optional<URI> redirectUri() {
        if (jetty.getConnectors().length < 2) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(URI.create("http://" + uri.getRawAuthority().replaceFirst(":\\d+$", "") + ":"
                + ((ServerConnector) jetty.getConnectors()[1]).getLocalPort()));
    }

    /** Blocks until the server stops. */
    public void join() throws InterruptedException {
        jetty.join();
    }

    /**
     * The orderly stop, in this order: a running create or restore is interrupted at once and recorded as
     * "interrupted by a shutdown" (it would not finish anyway, and must not eat the grace period), no queued
     * one starts and no policy starts one; the listener closes and requests on connections already open are
     * answered 503; running requests (downloads, uploads) get the grace period to finish and are cut off after
     * it; the engine stops, then the archive store closes, and the catalog last, so that every end is recorded.
     * Runs once; later calls return at once.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        long started = System.nanoTime();
        GracefulHandler graceful = jetty.getDescendant(GracefulHandler.class);
        LOG.info("Stopping: a running create or restore is interrupted, new requests are refused; {} running "
                + "request(s) get up to {} ms to finish", graceful == null ? 0 : graceful.getCurrentRequestCount(),
                gracePeriod.toMillis());
        try {
            backend.snapkeep().stopExecutions();
        } catch (RuntimeException e) {
            LOG.warn("Executions could not all be stopped before the requests ({}); the engine's stop tries again",
                    e.toString());
        }
        try {
            jetty.stop();
        } catch (Exception e) {
            LOG.warn("Requests still running after the grace period of {} ms were cut off ({})", gracePeriod.toMillis(),
                    e.toString());
        }
        LOG.info("HTTP stopped; stopping the engine");
        backend.close();
        LOG.info("Snapkeep stopped in {} ms", (System.nanoTime() - started) / 1_000_000);
    }

    /**
     * A {@code directory} participant captures this node's own disk: in a cluster a create exports the
     * directory of whichever node runs it, and a restore writes only the directory of the node that runs it.
     * That fits only a directory every node mounts; the start says so when other nodes are alive.
     */
    private static void warnOfLocalParticipants(SnapkeepConfig config, Backend backend) {
        List<String> others = backend.otherLiveNodes();
        if (others.isEmpty()) {
            return;
        }
        for (SnapkeepConfig.Participant p : config.participants()) {
            if (p.type().equals("directory")) {
                LOG.warn("Participant `{}` ({}) is a directory, and this node shares its catalog with the live "
                        + "node(s) {}: a create captures the directory of the node that runs it, and a restore "
                        + "writes only that node's directory. In a cluster use a directory every node mounts at "
                        + "the same path, or a jdbc_tables participant on the shared database", p.name(),
                        p.describe(), String.join(", ", others));
            }
        }
    }

    /** The REST API with its snapshot policies, health checks and metrics, and every request it answers timed. */
    private static org.glassfish.jersey.server.ResourceConfig api(SnapkeepConfig config, Backend backend,
                                                                  Snapkeep snapkeep, ConfiguredUsers users) {
        Monitoring monitoring = new Monitoring(backend.readiness(), backend.metrics()::scrape,
                config.monitoring().metricsPublic());
        return SnapkeepRestApi.resourceConfig(snapkeep, backend.policies(), users, restSettings(config),
                backend.tokens(), Clock.systemUTC(), monitoring).register(backend.metrics().httpListener());
    }

    static RestSettings restSettings(SnapkeepConfig config) {
        SnapkeepConfig.ArchiveUrl url = config.archiveUrl();
        UrlFetchPolicy policy = UrlFetchPolicy.DEFAULTS
                .withSchemes(url.allowedSchemes())
                .withAllowedHosts(url.allowedHosts())
                .withAllowedNetworks(url.allowedNetworks().stream().map(NetworkRange::parse).toList())
                .withTimeouts(url.connectTimeout(), url.readTimeout())
                .withTotalTimeout(url.totalTimeout())
                .withMinRate(url.minRate(), url.minRateWindow())
                .withMaxBytes(url.maxSize());
        String host = config.server().host();
        return RestSettings.DEFAULTS.withServer(hostName(), host).withVersion(VERSION).withUrlFetch(policy)
                .withTokenLifetime(config.tokens().lifetime()).withMaxTokensPerUser(config.tokens().maxPerUser())
                .withLoginLimits(loginLimits(config.auth())).withReaderRoles(config.auth().readerRoles())
                .withPasswordChecks(new PasswordCheckLimits(config.auth().maxConcurrentChecks(),
                        config.auth().checkWait(), config.auth().verifiedTtl(), PasswordCheckLimits.DEFAULTS.verifiedMax()));
    }

    static LoginLimits loginLimits(SnapkeepConfig.Auth auth) {
        return new LoginLimits(auth.maxFailuresPerAddress(), auth.maxFailuresPerUser(), auth.failureWindow(),
                auth.block(), auth.maxBlock());
    }

    /**
     * Jetty serving {@code api} (and the web console at {@code /console/}) at {@code host:port} over plain
     * HTTP, not yet started: the servlet context behind a {@link StopGate} that counts running requests, so
     * that {@link Server#stop()} lets them finish for up to
     * {@code gracePeriod}. Errors that Jetty answers itself get the API's error body.
     */
    static Server jetty(String host, int port, org.glassfish.jersey.server.ResourceConfig api, Duration gracePeriod) {
        return jetty(host, port, api, gracePeriod, SnapkeepConfig.Http.DEFAULT_IDLE_TIMEOUT);
    }

    /**
     * The same, with connections given up after {@code idleTimeout} without a byte either way; a request
     * whose body stalls that long is answered 408.
     */
    static Server jetty(String host, int port, org.glassfish.jersey.server.ResourceConfig api, Duration gracePeriod,
                        Duration idleTimeout) {
        return jetty(Listening.plain(host, port, idleTimeout), api, gracePeriod);
    }

    /** The largest buffer Jetty's default {@code ArrayByteBufferPool} pools. */
    static final int OUTPUT_BUFFER_BYTES = 64 * 1024;

    /**
     * Jetty serving {@code api} as {@code listening} says: its first connector the server's port (HTTPS when
     * TLS is set), a second one the redirecting plain port when there is one.
     */
    static Server jetty(Listening listening, org.glassfish.jersey.server.ResourceConfig api, Duration gracePeriod) {
        return jetty(listening, api, gracePeriod, StartGate::opened);
    }

    /** As above, with {@code gate} around the servlet context: what holds requests while the engine starts. */
    static Server jetty(Listening listening, org.glassfish.jersey.server.ResourceConfig api, Duration gracePeriod,
                        java.util.function.UnaryOperator<Handler> gate) {
        QueuedThreadPool threads = new QueuedThreadPool(200, 8);
        threads.setName("snapkeep-http");
        Server server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        // Every response takes an output buffer of this size from Jetty's pool. The pool keeps buffers of up to
        // 64 KiB only: a larger one is a new direct buffer per response, freed only when a GC runs, and under
        // load those piled up to hundreds of MiB outside the heap. Downloads lose nothing: their 256 KiB
        // writes are larger than what Jetty aggregates and go to the socket as they come.
        http.setOutputBufferSize(OUTPUT_BUFFER_BYTES);
        // Ids with an encoded `/` must reach the API, which refuses them with its own 400 and message.
        // So do empty segments (an empty id) and encoded dot segments: the API names the id rule broken.
        http.setUriCompliance(UriCompliance.DEFAULT.with("snapkeep",
                UriCompliance.Violation.AMBIGUOUS_PATH_SEPARATOR, UriCompliance.Violation.AMBIGUOUS_PATH_ENCODING,
                UriCompliance.Violation.AMBIGUOUS_EMPTY_SEGMENT, UriCompliance.Violation.AMBIGUOUS_PATH_SEGMENT));
        TrustedProxies proxies = new TrustedProxies(listening.trustedProxies());
        if (!proxies.isEmpty()) {
            http.addCustomizer(proxies);
        }
        ServerConnector main;
        if (listening.tls().isPresent()) {
            HttpConfiguration https = new HttpConfiguration(http);
            https.addCustomizer(new SecureRequestCustomizer());
            main = new ServerConnector(server, new SslConnectionFactory(sslContext(listening.tls().get()),
                    HttpVersion.HTTP_1_1.asString()), new HttpConnectionFactory(https));
        } else {
            main = new ServerConnector(server, new HttpConnectionFactory(http));
        }
        main.setHost(listening.host());
        main.setPort(listening.port());
        main.setIdleTimeout(listening.idleTimeout().toMillis());
        server.addConnector(main);
        listening.redirectHttpPort().ifPresent(port -> {
            ServerConnector redirect = new ServerConnector(server, new HttpConnectionFactory(http));
            redirect.setHost(listening.host());
            redirect.setPort(port);
            redirect.setIdleTimeout(listening.idleTimeout().toMillis());
            server.addConnector(redirect);
        });
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        context.addServlet(new ServletHolder("snapkeep", new ServletContainer(api)), "/*");
        context.addServlet(new ServletHolder("console", new ConsoleFiles()), ConsoleFiles.MAPPING);
        context.getServletHandler().setDecodeAmbiguousURIs(true);
        context.setErrorHandler(new JsonErrorHandler.InContext());
        Handler gated = gate.apply(context);
        Handler.Wrapper transport = listening.tls().isPresent()
                ? TransportRules.redirectToHttps(new StopGate(gated), main::getLocalPort)
                : TransportRules.passwordsOnlyFrom(new StopGate(gated), listening.plainBasicNetworks());
        // Request ids outermost, so that every answer, a redirect, a refused password and a stopping server's
        // 503 included, has its id and its access line.
        server.setHandler(new RequestIds(transport));
        server.setRequestLog(new AccessLog());
        server.setErrorHandler(new JsonErrorHandler());
        // The grace period of an orderly stop: Jetty waits this long for the requests the StopGate counts.
        server.setStopTimeout(gracePeriod.toMillis());
        server.setStopAtShutdown(false);
        return server;
    }

    private static SslContextFactory.Server sslContext(TlsKeys keys) {
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setKeyStore(keys.keyStore());
        ssl.setKeyStorePassword(new String(keys.password()));
        ssl.setKeyManagerPassword(new String(keys.password()));
        ssl.setCertAlias(TlsKeys.ALIAS);
        return ssl;
    }

    /**
     * How the server listens.
     *
     * @param tls                the keys when the port serves HTTPS
     * @param redirectHttpPort   with TLS, a plain port that only redirects to HTTPS
     * @param plainBasicNetworks without TLS, the clients that may send a Basic password in clear text
     * @param trustedProxies     the peers whose {@code X-Forwarded-*} headers are believed
     */
    record Listening(String host, int port, Duration idleTimeout, java.util.Optional<TlsKeys> tls,
                     java.util.Optional<Integer> redirectHttpPort, List<NetworkRange> plainBasicNetworks,
                     List<NetworkRange> trustedProxies) {

        static Listening plain(String host, int port, Duration idleTimeout) {
            return new Listening(host, port, idleTimeout, java.util.Optional.empty(), java.util.Optional.empty(),
                    SnapkeepConfig.Http.DEFAULT_PLAIN_BASIC_NETWORKS.stream().map(NetworkRange::parse).toList(),
                    List.of());
        }

        static Listening of(SnapkeepConfig config) {
            SnapkeepConfig.Tls tls = config.tls();
            return new Listening(config.server().host(), config.server().port(), config.http().idleTimeout(),
                    tls.enabled() ? java.util.Optional.of(TlsKeys.load(tls)) : java.util.Optional.empty(),
                    tls.enabled() ? tls.redirectHttpPort() : java.util.Optional.empty(),
                    config.http().plainBasicNetworks().stream().map(NetworkRange::parse).toList(),
                    config.http().trustedProxies().stream().map(NetworkRange::parse).toList());
        }

        String scheme() {
            return tls.isPresent() ? "https" : "http";
        }

        /** Whether clear-text passwords are accepted from more than loopback. */
        boolean plainPasswordsReachBeyondLoopback() {
            // A range's network address is masked: one wider than loopback starts outside it.
            return plainBasicNetworks.stream().anyMatch(r -> !r.network().isLoopbackAddress());
        }
    }

    private static boolean isLoopback(String host) {
        return host.equals("localhost") || host.startsWith("127.") || host.equals("::1") || host.equals("[::1]");
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
}
