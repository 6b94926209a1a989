package io.snapkeep.app;

import io.snapkeep.rest.NetworkRange;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.IntSupplier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpScheme;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * What a request that did not come over HTTPS may do, decided before the API sees it.
 *
 * <ul>
 *   <li>When the server serves HTTPS, a plain request (one its redirect port took) is sent to the same
 *       path over HTTPS with a 308, which keeps the method and body, and is served nothing else.</li>
 *   <li>Otherwise a plain request may carry a password ({@code Authorization: Basic}) only from the
 *       configured networks, loopback by default; from anywhere else it is answered 401 without the
 *       password being checked, so a password that crossed a network in clear text never works.</li>
 * </ul>
 * Requests forwarded by a trusted proxy count as HTTPS when the proxy says so (see {@link TrustedProxies}).
 */
final class TransportRules {
    static final String PLAIN_BASIC_REFUSED = "Basic authentication over plain HTTP is accepted only from "
            + "loopback (and the networks in http.plain_basic_networks): use HTTPS, or an Authentication-Token";

    private TransportRules() {
    }

    /** Plain requests are redirected to HTTPS on the port {@code httpsPort} gives once the server runs. */
    static Handler.Wrapper redirectToHttps(Handler next, IntSupplier httpsPort) {
        return new Handler.Wrapper(next) {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                if (request.isSecure()) {
                    return super.handle(request, response, callback);
                }
                String location = HttpURI.build(request.getHttpURI()).scheme(HttpScheme.HTTPS)
                        .port(httpsPort.getAsInt()).asString();
                Response.sendRedirect(request, response, callback, 308, location, true);
                return true;
            }
        };
    }

    /** Basic credentials over plain HTTP are refused from outside {@code networks}. */
    static Handler.Wrapper passwordsOnlyFrom(Handler next, List<NetworkRange> networks) {
        List<NetworkRange> allowed = List.copyOf(networks);
        return new Handler.Wrapper(next) {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                if (request.isSecure() || !carriesPassword(request) || from(request, allowed)) {
                    return super.handle(request, response, callback);
                }
                response.setStatus(401);
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
                response.write(true, ByteBuffer.wrap(JsonErrorHandler.body(401, PLAIN_BASIC_REFUSED,
                        io.snapkeep.app.logging.RequestIds.of(request))), callback);
                return true;
            }
        };
    }

    private static boolean carriesPassword(Request request) {
        for (String value : request.getHeaders().getValuesList(HttpHeader.AUTHORIZATION)) {
            if (value.regionMatches(true, 0, "Basic", 0, 5)) {
                return true;
            }
        }
        return false;
    }

    private static boolean from(Request request, List<NetworkRange> networks) {
        SocketAddress peer = request.getConnectionMetaData().getRemoteSocketAddress();
        if (!(peer instanceof InetSocketAddress socket) || socket.getAddress() == null) {
            return false;
        }
        for (NetworkRange range : networks) {
            if (range.contains(socket.getAddress())) {
                return true;
            }
        }
        return false;
    }
}
