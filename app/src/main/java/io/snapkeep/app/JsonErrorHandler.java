package io.snapkeep.app;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
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
 * would not send for the same status.
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
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.write(true, ByteBuffer.wrap(body(code, message)), callback);
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(HttpHeader.CONTENT_TYPE, "application/json");
        return ByteBuffer.wrap(body(status, reason));
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
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
            response.write(true, ByteBuffer.wrap(body(code, message)), callback);
            return true;
        }
    }

    /** The contract's error body for {@code status}, its {@code error_code} from the error table. */
    static byte[] body(int status, String message) {
        String text = message == null || message.isBlank() ? "HTTP error " + status : message;
        try {
            return JSON.writeValueAsBytes(ErrorTable.body(ErrorTable.forStatus(status).errorCode(), text));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A map of two strings and a null cannot fail to render", e);
        }
    }
}
