package io.snapkeep.app;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Errors that Jetty answers itself, before a request reaches the API (a malformed request line, a URI it
 * refuses, a server stopping), in the API's error body, so clients that index {@code error_code} never
 * meet an HTML page.
 */
final class JsonErrorHandler extends ErrorHandler {

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
        protected boolean generateAcceptableResponse(Request request, Response response, Callback callback,
                                                     String contentType, java.util.List<java.nio.charset.Charset> charsets,
                                                     int code, String message, Throwable cause) {
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
            response.write(true, ByteBuffer.wrap(body(code, message)), callback);
            return true;
        }
    }

    static byte[] body(int code, String message) {
        String text = message == null || message.isBlank() ? "HTTP error " + code : message;
        return ("{\"message\": \"" + escape(text) + "\", \"error_code\": \"" + errorCode(code)
                + "\", \"server_traceback\": null}").getBytes(StandardCharsets.UTF_8);
    }

    static String errorCode(int code) {
        return switch (code) {
            case 401 -> "unauthorized_error";
            case 403 -> "forbidden_error";
            case 404 -> "not_found_error";
            case 405 -> "method_not_allowed_error";
            case 415 -> "unsupported_content_type_error";
            case 503 -> "storage_unavailable_error";
            default -> code >= 500 ? "internal_server_error" : "bad_parameters_error";
        };
    }

    private static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }
}
