package io.snapkeep.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Password checks are bounded in number at once, and neither tokens nor already verified Basic credentials
 * wait for them. The check slot is held deterministically by an authenticator that stops on a latch.
 */
class PasswordChecksApiTest {
    private static final String STATUS = "/api/v3.1/status";
    private static final String HOLD = TestUsers.basic("admin", "hold-the-slot");

    private final SettableClock clock = new SettableClock(Instant.parse("2026-03-01T08:00:00Z"));
    private final AtomicInteger checks = new AtomicInteger();
    private final CountDownLatch entered = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private final Authenticator holding = (user, password) -> {
        checks.incrementAndGet();
        if (password.equals("hold-the-slot")) {
            entered.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return new TestUsers().authenticate(user, password);
    };
    private TestServer server;

    @AfterEach
    void stop() throws Exception {
        release.countDown();
        if (server != null) {
            server.close();
        }
    }

    private void start(PasswordCheckLimits limits) {
        server = new TestServer(new FakeSnapshotService(), holding,
                RestSettings.DEFAULTS.withPasswordChecks(limits), clock);
    }

    private HttpRequest status(String header, String value) {
        return HttpRequest.newBuilder(server.uri(STATUS)).header(header, value).GET().build();
    }

    @Test
    void tokens_and_verified_credentials_pass_while_every_check_slot_is_busy() throws Exception {
        start(new PasswordCheckLimits(1, Duration.ofMillis(50), Duration.ofMinutes(5), 100));
        String token = server.send(HttpRequest.newBuilder(server.uri("/api/v3.1/tokens"))
                .header("Authorization", TestUsers.ADMIN).GET().build()).json().get("value").asText();
        assertThat(checks.get()).isEqualTo(1);

        CompletableFuture<HttpResponse<String>> holder = server.http.sendAsync(
                status("Authorization", HOLD), HttpResponse.BodyHandlers.ofString());
        assertThat(entered.await(30, TimeUnit.SECONDS)).as("the slot is held").isTrue();
        int checksWhileHeld = checks.get();

        assertThat(server.send(status("Authentication-Token", token)).status()).as("a token").isEqualTo(200);
        assertThat(server.send(status("Authorization", TestUsers.ADMIN)).status()).as("verified before").isEqualTo(200);
        assertThat(checks.get()).as("neither ran a check").isEqualTo(checksWhileHeld);

        TestServer.Reply refused = server.send(status("Authorization", TestUsers.VIEWER));
        assertThat(refused.status()).as("a new credential finds no free slot").isEqualTo(429);
        assertThat(refused.header("Retry-After")).isEqualTo("1");
        assertThat(refused.json().get("error_code").asText()).isEqualTo("too_many_requests_error");
        assertThat(checks.get()).as("and costs no check").isEqualTo(checksWhileHeld);

        release.countDown();
        assertThat(holder.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(401);
        assertThat(server.send(status("Authorization", TestUsers.VIEWER)).status()).as("slot free again").isEqualTo(200);
    }

    @Test
    void a_verified_credential_is_checked_again_after_its_time_and_a_failure_is_never_remembered() {
        start(new PasswordCheckLimits(1, Duration.ofSeconds(5), Duration.ofMinutes(5), 100));
        release.countDown();
        assertThat(server.send(status("Authorization", TestUsers.ADMIN)).status()).isEqualTo(200);
        assertThat(server.send(status("Authorization", TestUsers.ADMIN)).status()).isEqualTo(200);
        assertThat(checks.get()).as("the second was remembered").isEqualTo(1);

        assertThat(server.send(status("Authorization", TestUsers.WRONG_PASSWORD)).status()).isEqualTo(401);
        assertThat(server.send(status("Authorization", TestUsers.WRONG_PASSWORD)).status()).isEqualTo(401);
        assertThat(checks.get()).as("each failure checked").isEqualTo(3);

        clock.advance(Duration.ofMinutes(5));
        assertThat(server.send(status("Authorization", TestUsers.ADMIN)).status()).isEqualTo(200);
        assertThat(checks.get()).as("expired: checked again").isEqualTo(4);
    }
}
