package io.snapkeep.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Failed logins over real HTTP: 429 with Retry-After and the contract's body, per address and per user name. */
class LoginThrottleApiTest {
    private static final String STATUS = "/api/v3.1/status";
    private final SettableClock clock = new SettableClock(Instant.parse("2026-03-01T08:00:00Z"));
    private final AtomicInteger checks = new AtomicInteger();
    private final Authenticator counting = (user, password) -> {
        checks.incrementAndGet();
        return new TestUsers().authenticate(user, password);
    };
    private TestServer server;

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    private void start(LoginLimits limits) {
        server = new TestServer(new FakeSnapshotService(), counting, RestSettings.DEFAULTS.withLoginLimits(limits), clock);
    }

    private TestServer.Reply get(String peer, String authorization) {
        HttpRequest.Builder r = HttpRequest.newBuilder(server.uri(STATUS)).header(TestServer.PEER, peer);
        if (authorization != null) {
            r.header("Authorization", authorization);
        }
        return server.send(r.GET().build());
    }

    private static LoginLimits limits(int perAddress, int perUser) {
        return new LoginLimits(perAddress, perUser, Duration.ofMinutes(1), Duration.ofMinutes(1), Duration.ofMinutes(5));
    }

    @Test
    void an_address_past_its_limit_gets_429_with_retry_after_and_the_error_body_even_for_a_correct_password() {
        start(limits(3, 100));
        for (int i = 0; i < 3; i++) {
            assertThat(get("client-1", TestUsers.WRONG_PASSWORD).status()).as("failure %s", i + 1).isEqualTo(401);
        }
        int checksBefore = checks.get();

        TestServer.Reply refused = get("client-1", TestUsers.ADMIN);

        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.header("Retry-After")).isEqualTo("60");
        assertThat(refused.header("Content-Type")).startsWith("application/json");
        JsonNode body = refused.json();
        assertThat(body.fieldNames()).toIterable().containsExactly("message", "error_code", "server_traceback");
        assertThat(body.get("error_code").asText()).isEqualTo("too_many_requests_error");
        assertThat(body.get("server_traceback").isNull()).isTrue();
        assertThat(body.get("message").asText()).contains("address").doesNotContain("admin-secret");
        assertThat(checks.get()).as("a blocked address costs no password check").isEqualTo(checksBefore);
        assertThat(get("client-1", TestUsers.VIEWER).status()).as("any user from that address").isEqualTo(429);

        assertThat(get("client-2", TestUsers.ADMIN).status()).as("another address").isEqualTo(200);
        assertThat(get("client-2", TestUsers.WRONG_PASSWORD).status()).as("its own count").isEqualTo(401);
    }

    @Test
    void a_block_ends_with_its_time_and_the_next_one_lasts_longer() {
        start(limits(2, 100));
        get("client-1", TestUsers.WRONG_PASSWORD);
        get("client-1", TestUsers.WRONG_PASSWORD);
        assertThat(get("client-1", TestUsers.ADMIN).header("Retry-After")).isEqualTo("60");

        clock.advance(Duration.ofSeconds(30));
        assertThat(get("client-1", TestUsers.ADMIN).header("Retry-After")).isEqualTo("30");
        clock.advance(Duration.ofSeconds(30));
        assertThat(get("client-1", TestUsers.ADMIN).status()).as("block over").isEqualTo(200);

        get("client-1", TestUsers.WRONG_PASSWORD);
        get("client-1", TestUsers.WRONG_PASSWORD);
        assertThat(get("client-1", TestUsers.ADMIN).header("Retry-After")).as("second block doubles").isEqualTo("120");
        clock.advance(Duration.ofSeconds(120));
        get("client-1", TestUsers.WRONG_PASSWORD);
        get("client-1", TestUsers.WRONG_PASSWORD);
        assertThat(get("client-1", TestUsers.ADMIN).header("Retry-After")).isEqualTo("240");
        clock.advance(Duration.ofSeconds(240));
        get("client-1", TestUsers.WRONG_PASSWORD);
        get("client-1", TestUsers.WRONG_PASSWORD);
        assertThat(get("client-1", TestUsers.ADMIN).header("Retry-After")).as("capped").isEqualTo("300");

        clock.advance(Duration.ofMinutes(10));
        get("client-1", TestUsers.WRONG_PASSWORD);
        get("client-1", TestUsers.WRONG_PASSWORD);
        assertThat(get("client-1", TestUsers.ADMIN).header("Retry-After")).as("quiet long enough: short again")
                .isEqualTo("60");
    }

    @Test
    void failures_count_only_within_their_window() {
        start(limits(3, 100));
        get("client-1", TestUsers.WRONG_PASSWORD);
        get("client-1", TestUsers.WRONG_PASSWORD);
        clock.advance(Duration.ofSeconds(61));
        get("client-1", TestUsers.WRONG_PASSWORD);
        get("client-1", TestUsers.WRONG_PASSWORD);

        assertThat(get("client-1", TestUsers.ADMIN).status()).isEqualTo(200);
    }

    @Test
    void a_blocked_user_name_refuses_failing_addresses_but_lets_a_correct_password_in_from_a_clean_one() {
        start(limits(100, 3));
        for (int i = 0; i < 3; i++) {
            assertThat(get("client-" + (i + 1), TestUsers.WRONG_PASSWORD).status()).isEqualTo(401);
        }

        TestServer.Reply fromFailing = get("client-1", TestUsers.ADMIN);
        assertThat(fromFailing.status()).as("an address that failed in its window").isEqualTo(429);
        assertThat(fromFailing.header("Retry-After")).isEqualTo("60");
        assertThat(fromFailing.json().get("message").asText()).contains("user");

        TestServer.Reply guess = get("client-9", TestUsers.WRONG_PASSWORD);
        assertThat(guess.status()).as("a wrong password from a clean address").isEqualTo(429);
        assertThat(get("client-9", TestUsers.ADMIN).status()).as("that address has now failed").isEqualTo(429);

        assertThat(get("client-8", TestUsers.ADMIN).status()).as("the owner, from a clean address").isEqualTo(200);
        assertThat(get("client-1", TestUsers.VIEWER).status()).as("another user from a failing address").isEqualTo(200);

        clock.advance(Duration.ofSeconds(60));
        assertThat(get("client-1", TestUsers.ADMIN).status()).as("after the block").isEqualTo(200);
    }

    @Test
    void tokens_are_never_throttled() {
        start(limits(1, 1));
        String token = server.send(HttpRequest.newBuilder(server.uri("/api/v3.1/tokens"))
                .header(TestServer.PEER, "client-1").header("Authorization", TestUsers.ADMIN).GET().build())
                .json().get("value").asText();
        assertThat(get("client-1", TestUsers.WRONG_PASSWORD).status()).isEqualTo(401);
        assertThat(get("client-1", TestUsers.ADMIN).status()).isEqualTo(429);

        TestServer.Reply withToken = server.send(HttpRequest.newBuilder(server.uri(STATUS))
                .header(TestServer.PEER, "client-1").header("Authentication-Token", token).GET().build());

        assertThat(withToken.status()).isEqualTo(200);
        assertThat(Optional.ofNullable(withToken.header("Retry-After"))).isEmpty();
    }
}
