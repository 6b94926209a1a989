package io.snapkeep.app.logging;

import io.snapkeep.rest.Authenticator;
import java.util.Locale;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.RequestLog;
import org.eclipse.jetty.server.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One line per answered request, on the logger {@value #LOGGER} at info:
 * {@code GET /api/v3.1/snapshots 200 512B 3ms from 127.0.0.1 user admin}, with the same values as key-value
 * pairs (which the JSON lines show as fields) and the request id. Only the path is logged, never the query
 * (a client may put a secret there) and never a header, so neither {@code Authorization} nor
 * {@code Authentication-Token} can reach the log.
 */
public final class AccessLog implements RequestLog {
    public static final String LOGGER = "io.snapkeep.access";
    /** The request attribute where the REST adapter keeps who was authenticated. */
    static final String USER_ATTRIBUTE = "snapkeep.user";
    /** A path longer than this is cut: a line stays readable, and a client cannot make lines huge. */
    static final int MAX_PATH = 1024;
    private static final Logger LOG = LoggerFactory.getLogger(LOGGER);

    @Override
    public void log(Request request, Response response) {
        if (!LOG.isInfoEnabled()) {
            return;
        }
        String method = request.getMethod();
        String path = path(request);
        int status = response.getStatus();
        long bytes = Response.getContentBytesWritten(response);
        long millis = Math.max(0, (System.nanoTime() - request.getBeginNanoTime()) / 1_000_000);
        String remote = Request.getRemoteAddr(request);
        String user = request.getAttribute(USER_ATTRIBUTE) instanceof Authenticator.User u ? u.name() : null;
        String before = MDC.get(RequestIds.MDC_KEY);
        MDC.put(RequestIds.MDC_KEY, requestId(request, response));
        try {
            LOG.atInfo()
                    .addKeyValue("method", method)
                    .addKeyValue("path", path)
                    .addKeyValue("status", status)
                    .addKeyValue("bytes", bytes)
                    .addKeyValue("duration_ms", millis)
                    .addKeyValue("remote", remote)
                    .addKeyValue("user", user)
                    .log(String.format(Locale.ROOT, "%s %s %d %dB %dms from %s%s", method, path, status, bytes,
                            millis, remote, user == null ? "" : " user " + user));
        } finally {
            RequestIds.restore(before);
        }
    }

    /**
     * The id the request was given, or for a request too broken to be handled (Jetty logs those too) the one
     * its error answer carries.
     */
    private static String requestId(Request request, Response response) {
        if (request.getAttribute(RequestIds.ATTRIBUTE) instanceof String id) {
            return id;
        }
        String answered = response.getHeaders().get(RequestIds.HEADER);
        return answered != null ? answered : RequestIds.generate();
    }

    private static String path(Request request) {
        String path = request.getHttpURI() == null ? null : request.getHttpURI().getPath();
        if (path == null || path.isEmpty()) {
            return "/";
        }
        return path.length() > MAX_PATH ? path.substring(0, MAX_PATH) + "..." : path;
    }
}
