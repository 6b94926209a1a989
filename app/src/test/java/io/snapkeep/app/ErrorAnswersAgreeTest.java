package io.snapkeep.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.snapkeep.core.port.in.SnapshotService;
import io.snapkeep.rest.Authenticator;
import io.snapkeep.rest.ErrorTable;
import io.snapkeep.rest.RestSettings;
import io.snapkeep.rest.SnapkeepRestApi;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Proxy;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.ee11.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The REST adapter and the app's Jetty answer every status of the error table with the same status and
 * {@code error_code}, over real HTTP: in the app's own Jetty set-up, a probe resource makes the API answer
 * a status (bare, and as an exception), a probe servlet makes the servlet container answer it, and
 * malformed requests make Jetty's connector answer on its own.
 */
class ErrorAnswersAgreeTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String AUTH = "Basic " + Base64.getEncoder()
            .encodeToString("admin:any".getBytes(StandardCharsets.UTF_8));
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static Server jetty;
    private static int port;

    /** Answers the status in its path, as the API's resources do. */
    @Path("/probe")
    public static final class ProbeResource {
        @GET
        @Path("bare/{status}")
        public Response bare(@PathParam("status") int status) {
            return Response.status(status).build();
        }

        @GET
        @Path("thrown/{status}")
        public Response thrown(@PathParam("status") int status) {
            throw new WebApplicationException(status);
        }
    }

    /** Answers the status in its path through the servlet container's error page. */
    static final class ContainerProbe extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.sendError(Integer.parseInt(request.getPathInfo().substring(1)));
        }
    }

    @BeforeAll
    static void start() throws Exception {
        SnapshotService nothing = (SnapshotService) Proxy.newProxyInstance(SnapshotService.class.getClassLoader(),
                new Class<?>[] {SnapshotService.class}, (proxy, method, args) -> {
                    throw new UnsupportedOperationException(method.getName());
                });
        Authenticator anyoneIsAdmin = (user, password) -> Optional.of(
                new Authenticator.User(user, Set.of(Authenticator.User.SYS_ADMIN)));
        jetty = SnapkeepServer.jetty("127.0.0.1", 0, SnapkeepRestApi
                .resourceConfig(nothing, anyoneIsAdmin, RestSettings.DEFAULTS).register(ProbeResource.class),
                java.time.Duration.ofSeconds(5));
        jetty.getDescendant(ServletContextHandler.class)
                .addServlet(new ServletHolder(new ContainerProbe()), "/container/*");
        jetty.start();
        port = ((ServerConnector) jetty.getConnectors()[0]).getLocalPort();
    }

    @AfterAll
    static void stop() throws Exception {
        jetty.stop();
    }

    @Test
    void every_status_of_the_table_gets_the_same_answer_from_the_api_and_from_the_container() throws Exception {
        List<String> compared = new ArrayList<>();
        for (int status : ErrorTable.statuses()) {
            String expected = ErrorTable.forStatus(status).errorCode();
            assertThat(errorCode(get("/probe/bare/" + status), status)).as("API, bare %s", status).isEqualTo(expected);
            if (status < 500) { // a 5xx exception in the API is an incident, answered 500 (ErrorTableTest)
                assertThat(errorCode(get("/probe/thrown/" + status), status)).as("API, thrown %s", status)
                        .isEqualTo(expected);
            }
            assertThat(errorCode(get("/container/" + status), status)).as("container %s", status)
                    .isEqualTo(expected);
            compared.add(status + " " + expected);
        }
        assertThat(compared).contains("406 not_acceptable_error", "409 conflict_error",
                "416 range_not_satisfiable_error");
    }

    @Test
    void statuses_outside_the_table_agree_too() throws Exception {
        for (int status : List.of(413, 414, 431, 501, 505)) {
            String api = errorCode(get("/probe/bare/" + status), status);
            assertThat(errorCode(get("/container/" + status), status)).as("container %s", status).isEqualTo(api);
            assertThat(api).isEqualTo(status < 500 ? "bad_parameters_error" : "internal_server_error");
        }
    }

    @Test
    void requests_that_jettys_connector_refuses_get_the_code_the_api_gives_their_status() throws Exception {
        Raw malformed = raw("GET /api/v3.1/snapshots HTTP/1.1\r\nHost: 127.0.0.1\r\nno colon here\r\n\r\n");
        Raw longUri = raw("GET /" + "a".repeat(20_000) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        Raw bigHeader = raw("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + "b".repeat(20_000) + "\r\n\r\n");
        // No method to read: Jetty's own handler keeps error bodies for GET, POST and HEAD.
        Raw badRequestLine = raw("GET\u0001/api/v3.1/snapshots HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        Raw badChunk = raw("PUT /container/400 HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n"
                + "Content-Length: 3\r\n\r\nzz\r\n");
        Set<Integer> seen = new TreeSet<>();
        for (Raw r : List.of(malformed, longUri, bigHeader, badRequestLine, badChunk)) {
            assertThat(r.contentType()).as(r.head()).startsWith("application/json");
            JsonNode body = JSON.readTree(r.body());
            assertThat(fieldNames(body)).as(r.head()).containsExactly("message", "error_code", "server_traceback");
            assertThat(body.get("error_code").asText()).as(r.head())
                    .isEqualTo(errorCode(get("/probe/bare/" + r.status()), r.status()))
                    .isEqualTo(ErrorTable.forStatus(r.status()).errorCode());
            seen.add(r.status());
        }
        assertThat(seen).contains(400, 431);
    }

    @Test
    void messages_are_json_text_whatever_they_hold() throws Exception {
        JsonNode body = JSON.readTree(JsonErrorHandler.body(409, "a \"quoted\" \\ line\nand\u0001control"));
        assertThat(body.get("message").asText()).isEqualTo("a \"quoted\" \\ line\nand\u0001control");
        assertThat(body.get("error_code").asText()).isEqualTo("conflict_error");
        assertThat(body.get("server_traceback").isNull()).isTrue();
        assertThat(JSON.readTree(JsonErrorHandler.body(416, null)).get("message").asText()).isEqualTo("HTTP error 416");
    }

    /** The error_code of an answer that must have {@code status}, JSON and the three keys. */
    private static String errorCode(HttpResponse<String> r, int status) throws IOException {
        String what = r.request().uri().getPath() + " -> " + r.statusCode() + " " + r.body();
        assertThat(r.statusCode()).as(what).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).as(what)
                .hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        JsonNode body = JSON.readTree(r.body());
        assertThat(fieldNames(body)).as(what).containsExactlyInAnyOrder("message", "error_code", "server_traceback");
        assertThat(body.get("server_traceback").isNull()).as(what).isTrue();
        return body.get("error_code").asText();
    }

    private static HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", AUTH).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** An answer read off a plain socket: Jetty closes the connection after refusing a malformed request. */
    private record Raw(String head, byte[] body) {
        int status() {
            return Integer.parseInt(head.split(" ", 3)[1]);
        }

        String contentType() {
            for (String line : head.split("\r\n")) {
                if (line.toLowerCase().startsWith("content-type:")) {
                    return line.substring("content-type:".length()).trim();
                }
            }
            return "";
        }
    }

    private static Raw raw(String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            socket.shutdownOutput();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            in.transferTo(all);
            String text = all.toString(StandardCharsets.ISO_8859_1);
            int end = text.indexOf("\r\n\r\n");
            assertThat(end).as("an HTTP answer: %s", text).isPositive();
            String head = text.substring(0, end);
            byte[] body = text.substring(end + 4).getBytes(StandardCharsets.ISO_8859_1);
            if (head.toLowerCase().contains("transfer-encoding: chunked")) {
                body = unchunk(body);
            }
            return new Raw(head, body);
        }
    }

    private static byte[] unchunk(byte[] chunked) {
        String text = new String(chunked, StandardCharsets.ISO_8859_1);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int at = 0;
        while (true) {
            int lineEnd = text.indexOf("\r\n", at);
            int size = Integer.parseInt(text.substring(at, lineEnd).trim(), 16);
            if (size == 0) {
                return out.toByteArray();
            }
            out.write(chunked, lineEnd + 2, size);
            at = lineEnd + 2 + size + 2;
        }
    }
}
