package io.snapkeep.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Requests that arrive while the engine starts wait for it, and are answered once it has, or 503 if it failed. */
class StartGateTest {
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private Server jetty;

    @AfterEach
    void stop() throws Exception {
        if (jetty != null) {
            jetty.stop();
        }
    }

    private URI serve(StartGate gate) throws Exception {
        jetty = new Server();
        ServerConnector connector = new ServerConnector(jetty);
        connector.setHost("127.0.0.1");
        jetty.addConnector(connector);
        jetty.setHandler(gate);
        jetty.start();
        return URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/");
    }

    private static Handler answering(String body) {
        return new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                response.write(true, java.nio.ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
                return true;
            }
        };
    }

    private CompletableFuture<HttpResponse<String>> get(URI uri) {
        return client.sendAsync(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void a_request_during_the_start_waits_and_is_answered_once_the_engine_has_started() throws Exception {
        StartGate gate = new StartGate(answering("served"));
        URI uri = serve(gate);
        CompletableFuture<HttpResponse<String>> early = get(uri);
        // The request is on its way but held: nothing answers it while the engine starts.
        assertThat(early.completeOnTimeout(null, 300, TimeUnit.MILLISECONDS).get()).isNull();
        early = get(uri);

        gate.open();
        HttpResponse<String> answer = early.get(30, TimeUnit.SECONDS);
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo("served");
        assertThat(get(uri).get(30, TimeUnit.SECONDS).body()).isEqualTo("served");
    }

    @Test
    void after_a_failed_start_held_and_later_requests_are_answered_503() throws Exception {
        StartGate gate = new StartGate(answering("served"));
        URI uri = serve(gate);
        CompletableFuture<HttpResponse<String>> held = get(uri);
        gate.fail();
        assertThat(held.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(503);
        HttpResponse<String> later = get(uri).get(30, TimeUnit.SECONDS);
        assertThat(later.statusCode()).isEqualTo(503);
        assertThat(later.body()).doesNotContain("served");
    }

    @Test
    void an_opened_gate_lets_everything_through() throws Exception {
        URI uri = serve(StartGate.opened(answering("served")));
        assertThat(get(uri).get(30, TimeUnit.SECONDS).body()).isEqualTo("served");
    }
}
