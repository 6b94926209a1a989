package io.snapkeep.app;

import io.snapkeep.rest.NetworkRange;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpScheme;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.server.ConnectionMetaData;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Request;

/**
 * Believes {@code X-Forwarded-For} and {@code X-Forwarded-Proto} only from a peer in the configured proxy
 * ranges. The client is the rightmost address of {@code X-Forwarded-For} that is not itself a trusted proxy:
 * a proxy appends the address it saw, so everything to the left of that came from the client and may be
 * invented. From every other peer the headers are ignored, so a client cannot pose as another address to
 * the login throttle, nor as HTTPS.
 */
final class TrustedProxies implements HttpConfiguration.Customizer {
    private final List<NetworkRange> proxies;

    TrustedProxies(List<NetworkRange> proxies) {
        this.proxies = List.copyOf(proxies);
    }

    boolean isEmpty() {
        return proxies.isEmpty();
    }

    @Override
    public Request customize(Request request, HttpFields.Mutable responseHeaders) {
        SocketAddress peer = request.getConnectionMetaData().getRemoteSocketAddress();
        if (!(peer instanceof InetSocketAddress socket) || !trusted(socket.getAddress())) {
            return request;
        }
        InetAddress client = client(request.getHeaders().getValuesList("X-Forwarded-For"));
        String proto = last(request.getHeaders().getValuesList("X-Forwarded-Proto"));
        boolean secure = proto == null ? request.isSecure() : HttpScheme.HTTPS.is(proto);
        if (client == null && secure == request.isSecure()) {
            return request;
        }
        InetSocketAddress remote = client == null ? socket : new InetSocketAddress(client, socket.getPort());
        HttpURI uri = secure == request.isSecure() ? request.getHttpURI()
                : HttpURI.build(request.getHttpURI()).scheme(secure ? HttpScheme.HTTPS : HttpScheme.HTTP).asImmutable();
        return new Forwarded(request, remote, secure, uri);
    }

    private boolean trusted(InetAddress address) {
        for (NetworkRange range : proxies) {
            if (range.contains(address)) {
                return true;
            }
        }
        return false;
    }

    /** The rightmost untrusted hop; null when the header is absent or a hop is not an address. */
    private InetAddress client(List<String> headers) {
        List<String> hops = new ArrayList<>();
        for (String header : headers) {
            for (String hop : header.split(",")) {
                if (!hop.isBlank()) {
                    hops.add(hop.strip());
                }
            }
        }
        InetAddress leftmost = null;
        for (int i = hops.size() - 1; i >= 0; i--) {
            InetAddress hop = address(hops.get(i));
            if (hop == null) {
                return null;
            }
            if (!trusted(hop)) {
                return hop;
            }
            leftmost = hop;
        }
        return leftmost;
    }

    /** An address literal, with the brackets or port a proxy may add; never a name lookup. */
    private static InetAddress address(String hop) {
        String text = hop;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            text = close < 0 ? text : text.substring(1, close);
        } else if (text.indexOf(':') > 0 && text.indexOf(':') == text.lastIndexOf(':')) {
            text = text.substring(0, text.indexOf(':'));
        }
        try {
            NetworkRange one = NetworkRange.parse(text);
            return one.prefix() == one.network().getAddress().length * 8 ? one.network() : null;
        } catch (IllegalArgumentException notAnAddress) {
            return null;
        }
    }

    private static String last(List<String> headers) {
        String last = null;
        for (String header : headers) {
            for (String value : header.split(",")) {
                if (!value.isBlank()) {
                    last = value.strip();
                }
            }
        }
        return last;
    }

    private static final class Forwarded extends Request.Wrapper {
        private final ConnectionMetaData metaData;
        private final boolean secure;
        private final HttpURI uri;

        Forwarded(Request request, InetSocketAddress remote, boolean secure, HttpURI uri) {
            super(request);
            this.secure = secure;
            this.uri = uri;
            this.metaData = new ConnectionMetaData.Wrapper(request.getConnectionMetaData()) {
                @Override
                public SocketAddress getRemoteSocketAddress() {
                    return remote;
                }

                @Override
                public boolean isSecure() {
                    return secure;
                }
            };
        }

        @Override
        public ConnectionMetaData getConnectionMetaData() {
            return metaData;
        }

        @Override
        public boolean isSecure() {
            return secure;
        }

        @Override
        public HttpURI getHttpURI() {
            return uri;
        }
    }
}
