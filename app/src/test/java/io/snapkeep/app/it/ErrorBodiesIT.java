package io.snapkeep.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every error the packaged server sends carries the contract's {@code {message, error_code,
 * server_traceback}} body, including the ones Jetty decides on while it reads a request: a request body
 * that stalls past the idle timeout, a malformed chunk, an over-long header, a bad request line. The
 * requests are written as raw bytes over a plain socket to 127.0.0.1; the idle timeout is set small through
 * {@code SNAPKEEP_HTTP_IDLE_TIMEOUT} so that a stalled client waits only that long.
 */
class ErrorBodiesIT {
    private static final String PASSWORD = "it-admin-password";
    private static final String AUTH = "Basic " + Base64.getEncoder()
            .encodeToString(("admin:" + PASSWORD).getBytes(StandardCharsets.UTF_8));
    /** The server's idle timeout here. */
    private static final String IDLE_TIMEOUT = "1s";
    /** How long the test waits for any answer: far longer than the idle timeout, so it never decides. */
    private static final int READ_LIMIT_MS = 60_000;

    @TempDir
    static Path temp;
    private static ServerProcess server;
    private static Api api;

    @BeforeAll
    static void start() throws Exception {
        Path data = Files.createDirectories(temp.resolve("data"));
        server = ServerProcess.start(data, Map.of("SNAPKEEP_ADMIN_PASSWORD", PASSWORD,
                "SNAPKEEP_HTTP_IDLE_TIMEOUT", IDLE_TIMEOUT));
        api = new Api(server.uri(), PASSWORD);
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void an_upload_whose_body_stalls_is_answered_408_with_the_error_body_and_leaves_no_snapshot() throws Exception {
        // One well-formed chunk (the start of a zip's first local header), then nothing more.
        stall("stalled", "Transfer-Encoding: chunked", "4\r\nPK\u0003\u0004\r\n");
        // A chunk cut short, and a chunked body that never starts.
        stall("stalled-mid-chunk", "Transfer-Encoding: chunked", "100\r\nPK\u0003\u0004");
        stall("stalled-at-once", "Transfer-Encoding: chunked", "");
    }

    @Test
    void an_upload_of_a_declared_length_that_stalls_is_answered_408_too() throws Exception {
        stall("stalled-length", "Content-Length: 100000", "PK\u0003\u0004");
    }

    /** Sends the head of an upload and {@code sent} of its body, then nothing: the answer is the 408. */
    private static void stall(String id, String framing, String sent) throws Exception {
        try (Socket socket = connect()) {
            OutputStream out = socket.getOutputStream();
            out.write(head("PUT /api/v3.1/snapshots/" + id + "/archive", framing, "Content-Type: application/json"));
            out.write(sent.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            assertErrorBody(Answer.read(socket.getInputStream()), 408, "request_timeout_error");
        }
        assertGone(id);
    }

    @Test
    void a_malformed_chunk_is_answered_400_with_the_error_body_and_leaves_no_snapshot() throws Exception {
        try (Socket socket = connect()) {
            OutputStream out = socket.getOutputStream();
            out.write(head("PUT /api/v3.1/snapshots/badchunk/archive", "Transfer-Encoding: chunked",
                    "Content-Type: application/json"));
            out.write("4\r\nPK\u0003\u0004\r\nzz\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            Answer answer = Answer.read(socket.getInputStream());
            assertThat(answer.status()).as(answer.toString()).isEqualTo(400);
            assertThat(answer.json()).as(answer.toString()).isNotNull();
            assertErrorBody(answer, 400, answer.json().path("error_code").asText());
            assertThat(answer.json().path("error_code").asText()).as(answer.toString())
                    .isIn("bad_parameters_error", "invalid_archive_error");
        }
        assertGone("badchunk");
    }

    @Test
    void a_malformed_first_chunk_is_answered_400_with_the_error_body() throws Exception {
        try (Socket socket = connect()) {
            OutputStream out = socket.getOutputStream();
            out.write(head("PUT /api/v3.1/snapshots/badfirst/archive", "Transfer-Encoding: chunked",
                    "Content-Type: application/json"));
            out.write("zz\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            Answer answer = Answer.read(socket.getInputStream());
            assertThat(answer.status()).as(answer.toString()).isEqualTo(400);
            assertThat(answer.json()).as(answer.toString()).isNotNull();
            assertErrorBody(answer, 400, answer.json().path("error_code").asText());
        }
        assertGone("badfirst");
    }

    @Test
    void requests_jetty_refuses_while_reading_them_get_the_error_body() throws Exception {
        refused(("GET /api/v3.1/snapshots HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: " + AUTH
                + "\r\nX-Big: " + "b".repeat(64 * 1024) + "\r\n\r\n"), 431);
        refused("GET\u0001/api/v3.1/snapshots HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", 400);
        refused("GET /api/v3.1/snapshots HTTP/9.9\r\nHost: 127.0.0.1\r\n\r\n", 505);
        refused("PATCH /api/v3.1/snapshots/x HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: " + AUTH
                + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", 405);
        refused("BREW /api/v3.1/snapshots/x HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: " + AUTH
                + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", 405);
        refused("PUT /api/v3.1/snapshots/x/archive HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: " + AUTH
                + "\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400);
    }

    /**
     * Sends {@code request} whole and checks its answer: {@code status} with the contract's body, whose code is
     * the status's own in the contract's table (405) or, for a status the table lacks, bad_parameters_error
     * below 500 and internal_server_error from 500.
     */
    private static void refused(String request, int status) throws IOException {
        try (Socket socket = connect()) {
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            Answer answer = Answer.read(socket.getInputStream());
            String line = request.substring(0, Math.min(40, request.indexOf('\r')));
            assertThat(answer.status()).as(line + " -> " + answer).isEqualTo(status);
            assertErrorBody(answer, status, status == 405 ? "method_not_allowed_error"
                    : status >= 500 ? "internal_server_error" : "bad_parameters_error");
        }
    }

    private static void assertErrorBody(Answer answer, int status, String errorCode) {
        assertThat(answer.status()).as(answer.toString()).isEqualTo(status);
        assertThat(answer.header("content-type")).as(answer.toString()).startsWith("application/json");
        JsonNode body = answer.json();
        assertThat(body).as(answer.toString()).isNotNull();
        List<String> names = new ArrayList<>();
        body.fieldNames().forEachRemaining(names::add);
        assertThat(names).as(answer.toString()).containsExactlyInAnyOrder("message", "error_code", "server_traceback");
        assertThat(body.get("error_code").asText()).as(answer.toString()).isEqualTo(errorCode);
        assertThat(body.get("message").asText()).as(answer.toString()).isNotBlank();
        assertThat(body.get("server_traceback").isNull()).as(answer.toString()).isTrue();
    }

    /** The snapshot {@code id} is not there, or is gone within a bounded wait (a refused upload removes its row). */
    private static void assertGone(String id) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (api.snapshot(id).isPresent()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the refused upload's snapshot " + id + " is still there");
            }
            Thread.sleep(20);
        }
        assertThat(api.get("snapshots/" + id).statusCode()).isEqualTo(404);
    }

    private static Socket connect() throws IOException {
        Socket socket = new Socket("127.0.0.1", server.uri().getPort());
        socket.setSoTimeout(READ_LIMIT_MS);
        return socket;
    }

    private static byte[] head(String requestLine, String... headers) {
        StringBuilder b = new StringBuilder(requestLine).append(" HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: ")
                .append(AUTH).append("\r\n");
        for (String h : headers) {
            b.append(h).append("\r\n");
        }
        return b.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** One HTTP answer read off a socket: its head, and its body by length, chunks, or up to the close. */
    private record Answer(String head, byte[] body) {
        static Answer read(InputStream in) throws IOException {
            ByteArrayOutputStream headBytes = new ByteArrayOutputStream();
            String head = "";
            while (!head.endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0 || headBytes.size() > 64 * 1024) {
                    throw new AssertionError("no whole answer head before the connection closed: " + head);
                }
                headBytes.write(b);
                head = headBytes.toString(StandardCharsets.ISO_8859_1);
            }
            Answer bare = new Answer(head, new byte[0]);
            String length = bare.header("content-length");
            byte[] body;
            if (!length.isEmpty()) {
                body = in.readNBytes(Integer.parseInt(length));
            } else if (bare.header("transfer-encoding").toLowerCase(Locale.ROOT).contains("chunked")) {
                body = unchunk(in);
            } else {
                body = in.readAllBytes();
            }
            return new Answer(head, body);
        }

        private static byte[] unchunk(InputStream in) throws IOException {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (int chunks = 0; chunks < 10_000; chunks++) {
                int size = Integer.parseInt(line(in).split(";")[0].trim(), 16);
                if (size == 0) {
                    return out.toByteArray();
                }
                out.write(in.readNBytes(size));
                line(in);
            }
            throw new AssertionError("an error body of more than 10000 chunks");
        }

        private static String line(InputStream in) throws IOException {
            StringBuilder b = new StringBuilder();
            for (int c = in.read(); c >= 0 && c != '\n'; c = in.read()) {
                b.append((char) c);
            }
            return b.toString();
        }

        int status() {
            return Integer.parseInt(head.split(" ", 3)[1]);
        }

        String header(String name) {
            for (String line : head.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                    return line.substring(colon + 1).trim();
                }
            }
            return "";
        }

        JsonNode json() {
            try {
                return body.length == 0 ? null : Api.JSON.readTree(body);
            } catch (IOException notJson) {
                return null;
            }
        }

        @Override
        public String toString() {
            return head.strip() + "\n\n" + new String(body, StandardCharsets.UTF_8);
        }
    }
}
