package io.snapkeep.app;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.snapkeep.app.logging.RequestIds;
import io.snapkeep.rest.ErrorTable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.util.List;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Errors that Jetty answers itself, before a request reaches the API (a malformed request line, a URI it
 * refuses, a server stopping), in the API's error body with the {@code error_code} of the REST adapter's
 * {@link ErrorTable}, so clients that index {@code error_code} never meet an HTML page, nor a code the API
 * would not send for the same status. Each answer carries the request's id in {@code X-Request-Id} and at the
 * end of its message; an answer to a request too broken to be handled at all gets a new id.
 */
final class JsonErrorHandler extends ErrorHandler {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Every method gets the body, not only Jetty's GET, POST and HEAD: a bad request line has no method at all. */
    @Override
    public boolean errorPageForMethod(String method) {
        return true;
    }

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                    Callback callback) throws IOException {
        answer(request, response, code, message, callback);
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        String id = RequestIds.generate();
        fields.put(HttpHeader.CONTENT_TYPE, "application/json");
        fields.put(RequestIds.HEADER, id);
        return ByteBuffer.wrap(body(status, reason, id));
    }

    /** The error body, and the request id again: an error answer may have reset the headers set before it. */
    private static void answer(Request request, Response response, int code, String message, Callback callback) {
        String id = RequestIds.of(request);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(RequestIds.HEADER, id);
        response.write(true, ByteBuffer.wrap(body(code, message, id)), callback);
    }

    /**
     * The same inside the servlet context, whose own error handler would answer a refused URI (say) with
     * an empty or HTML body.
     */
    static final class InContext extends org.eclipse.jetty.ee11.servlet.ErrorHandler {
        @Override
        public boolean errorPageForMethod(String method) {
            return true;
        }

        @Override
        protected boolean generateAcceptableResponse(Request request, Response response, Callback callback,
                                                     String contentType, List<Charset> charsets,
                                                     int code, String message, Throwable cause) {
            answer(request, response, code, message, callback);
            return true;
        }
    }

    /** The contract's error body for {@code status}, its {@code error_code} from the error table. */
    static byte[] body(int status, String message) {
        return body(status, message, null);
    }

    /** The same, its message ending with {@code (request id <id>)} when {@code requestId} is given. */
    static byte[] body(int status, String message, String requestId) {
        String text = (message == null || message.isBlank() ? "HTTP error " + status : message)
                + (requestId == null ? "" : " (request id " + requestId + ")");
        try {
            return JSON.writeValueAsBytes(ErrorTable.body(ErrorTable.forStatus(status).errorCode(), text));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A map of two strings and a null cannot fail to render", e);
        }
    }
}
