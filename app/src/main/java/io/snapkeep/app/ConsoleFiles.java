package io.snapkeep.app;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

/**
 * The web console at {@code /console/}: a fixed set of static files from the jar, each with its content type
 * and headers that keep a browser strict with it (only the console's own script and style run, nothing
 * frames it, nothing is sniffed). Everything the console shows it gets from the API at {@code /api/...}.
 */
final class ConsoleFiles extends HttpServlet {
    /** The servlet's mapping; {@code /console} alone is redirected to {@code /console/}. */
    static final String MAPPING = "/console/*";
    private static final String ROOT = "/console/";
    private static final String RESOURCES = "console/";
    /**
     * Only the console's own files, and never inline code: a token in sessionStorage is worth stealing, so an
     * injected script must have nowhere to come from.
     */
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
            + "img-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; "
            + "frame-ancestors 'none'";
    private static final Map<String, String> TYPES = Map.of(
            "index.html", "text/html; charset=utf-8",
            "console.css", "text/css; charset=utf-8",
            "console.js", "text/javascript; charset=utf-8");

    private final Map<String, byte[]> files = new HashMap<>();

    ConsoleFiles() {
        for (String name : TYPES.keySet()) {
            // Read once at start: the files are small, and a jar without them should not start serving.
            try (InputStream in = ConsoleFiles.class.getClassLoader().getResourceAsStream(RESOURCES + name)) {
                if (in == null) {
                    throw new IllegalStateException("The console's " + name + " is missing from the class path");
                }
                files.put(name, in.readAllBytes());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getPathInfo();
        if (path == null) {
            response.setStatus(HttpServletResponse.SC_MOVED_PERMANENTLY);
            response.setHeader("Location", ROOT);
            return;
        }
        String name = path.equals("/") ? "index.html" : path.substring(1);
        byte[] body = files.get(name);
        if (body == null) {
            response.sendError(HttpServletResponse.SC_NOT_FOUND, "The console has no file `" + name + "`");
            return;
        }
        response.setContentType(TYPES.get(name));
        response.setContentLength(body.length);
        // Always asked again, so an upgraded server never runs with an old script.
        response.setHeader("Cache-Control", "no-cache");
        response.setHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("X-Frame-Options", "DENY");
        response.setHeader("Referrer-Policy", "no-referrer");
        response.getOutputStream().write(body);
    }
}
