package io.snapkeep.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.snapkeep.core.port.in.SnapshotPolicies;
import io.snapkeep.core.port.in.SnapshotService;
import io.snapkeep.core.port.out.TokenCatalog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.EnumSet;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import org.eclipse.jetty.ee11.servlet.FilterHolder;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.ee11.servlet.ServletHolder;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.servlet.ServletContainer;

/** The API on Jetty at 127.0.0.1, port 0, as a host would mount it, plus a plain HTTP client for it. */
final class TestServer implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();

    private final Server server;
    final int port;
    final HttpClient http = HttpClient.newHttpClient();

    TestServer(SnapshotService service, RestSettings settings) {
        this(SnapkeepRestApi.resourceConfig(service, new TestUsers(), settings));
    }

    /** A server whose {@code /snapshot-policies} are served by {@code policies}. */
    TestServer(SnapshotService service, SnapshotPolicies policies, RestSettings settings) {
        this(SnapkeepRestApi.resourceConfig(service, policies, new TestUsers(), settings, new LocalTokenCatalog(),
                Clock.systemUTC()));
    }

    /** A node whose tokens live in {@code tokens}, issued and expired by {@code clock}. */
    TestServer(SnapshotService service, RestSettings settings, TokenCatalog tokens, Clock clock) {
        this(SnapkeepRestApi.resourceConfig(service, new TestUsers(), settings, tokens, clock));
    }

    /** A server whose users are {@code users} and whose tokens and login throttle run on {@code clock}. */
    TestServer(SnapshotService service, Authenticator users, RestSettings settings, Clock clock) {
        this(SnapkeepRestApi.resourceConfig(service, users, settings, new LocalTokenCatalog(), clock));
    }

    /** A server whose health checks and metrics come from {@code monitoring}. */
    TestServer(SnapshotService service, RestSettings settings, Monitoring monitoring) {
        this(SnapkeepRestApi.resourceConfig(service, new TestUsers(), settings, new LocalTokenCatalog(),
                Clock.systemUTC(), monitoring));
    }

    private TestServer(ResourceConfig api) {
        server = new Server();
        HttpConfiguration config = new HttpConfiguration();
        // Let encoded separators through to the API, which then refuses such ids with its own 400.
        config.setUriCompliance(UriCompliance.UNSAFE);
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(config));
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        context.getServletHandler().setDecodeAmbiguousURIs(true);
        context.addServlet(new ServletHolder(new ServletContainer(api)), "/*");
        context.addFilter(new FilterHolder(new PeerFilter()), "/*", EnumSet.of(DispatcherType.REQUEST));
        server.setHandler(context);
        try {
            server.start();
        } catch (Exception e) {
            throw new IllegalStateException("Jetty did not start", e);
        }
        port = connector.getLocalPort();
    }

    URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + port + pathAndQuery);
    }

    HttpRequest.Builder request(String pathAndQuery) {
        return HttpRequest.newBuilder(uri(pathAndQuery)).header("Authorization", TestUsers.ADMIN);
    }

    Reply send(HttpRequest request) {
        try {
            HttpResponse<byte[]> r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            return new Reply(r.statusCode(), r.headers(), r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    Reply get(String path) {
        return send(request(path).GET().build());
    }

    Reply put(String path, String json) {
        return send(request(path).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    Reply post(String path, String json) {
        return send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    Reply delete(String path) {
        return send(request(path).DELETE().build());
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }

    /**
     * Every test client connects from 127.0.0.1; a request with {@value #PEER} is seen by the API as coming
     * from that header's value instead (a name, not an address), so tests can act as several clients.
     */
    static final String PEER = "X-Test-Peer";

    private static final class PeerFilter implements Filter {
        @Override
        public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
                throws IOException, ServletException {
            HttpServletRequest http = (HttpServletRequest) request;
            String peer = http.getHeader(PEER);
            chain.doFilter(peer == null ? request : new HttpServletRequestWrapper(http) {
                @Override
                public String getRemoteAddr() {
                    return peer;
                }
            }, response);
        }
    }

    record Reply(int status, HttpHeaders headers, byte[] body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (" + status + "): " + text(), e);
            }
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        @Override
        public String toString() {
            return status + " " + text();
        }
    }
}
