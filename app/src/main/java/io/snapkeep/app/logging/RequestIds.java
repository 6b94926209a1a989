package io.snapkeep.app.logging;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Pattern;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.MDC;

/**
 * Gives every request an id: the client's {@code X-Request-Id} when it is short and harmless in a log line
 * and a header ({@link #SAFE}), a new random one otherwise. The id is a request attribute (for the access
 * line and the error bodies), in the MDC while the request is handled on its thread (so every log line of
 * the request carries it) and in the {@code X-Request-Id} header of the answer.
 */
public final class RequestIds extends Handler.Wrapper {
    public static final String HEADER = "X-Request-Id";
    /** The request attribute; the REST adapter's error bodies read the same name. */
    public static final String ATTRIBUTE = "snapkeep.request_id";
    public static final String MDC_KEY = "request_id";
    /** What a client's id may be: nothing that could forge a log line, break a header or fill a disk. */
    static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final SecureRandom RANDOM = new SecureRandom();

    public RequestIds(Handler handler) {
        super(handler);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String id = accepted(request.getHeaders().get(HEADER));
        request.setAttribute(ATTRIBUTE, id);
        response.getHeaders().put(HEADER, id);
        String before = MDC.get(MDC_KEY);
        MDC.put(MDC_KEY, id);
        try {
            return super.handle(request, response, callback);
        } finally {
            restore(before);
        }
    }

    /** The client's id when it is {@link #SAFE}, else a new one. */
    static String accepted(String offered) {
        return offered != null && SAFE.matcher(offered).matches() ? offered : generate();
    }

    /** A new id: 96 random bits, URL-safe base64 (16 characters). */
    public static String generate() {
        byte[] bytes = new byte[12];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /**
     * The id given to {@code request}, looked up through the wrappers an error answer may be given (a servlet
     * context's own requests keep attributes apart); a new one when it never passed through this handler.
     */
    public static String of(Request request) {
        if (request == null) {
            return generate();
        }
        if (request.getAttribute(ATTRIBUTE) instanceof String id) {
            return id;
        }
        if (Request.unWrap(request).getAttribute(ATTRIBUTE) instanceof String id) {
            return id;
        }
        return accepted(request.getHeaders().get(HEADER));
    }

    static void restore(String before) {
        if (before == null) {
            MDC.remove(MDC_KEY);
        } else {
            MDC.put(MDC_KEY, before);
        }
    }
}
