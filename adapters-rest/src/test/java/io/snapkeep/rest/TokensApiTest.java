package io.snapkeep.rest;

import static io.snapkeep.rest.Wire.assertError;
import static io.snapkeep.rest.Wire.fieldNames;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.snapkeep.core.support.Sha256;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Tokens kept in a shared catalog, over real HTTP: every node accepts them, a restart keeps them, they end
 * at their expiry or when revoked, and each user holds a bounded number of them.
 */
class TokensApiTest {
    private static final String API = "/api/v3.1";
    private static final Duration LIFETIME = Duration.ofHours(1);
    private static final RestSettings SETTINGS = RestSettings.DEFAULTS.withTokenLifetime(LIFETIME);

    private final FakeSnapshotService service = new FakeSnapshotService();
    private final WatchedTokenCatalog catalog = new WatchedTokenCatalog();
    private final SettableClock clock = new SettableClock(Instant.parse("2026-03-01T08:00:00Z"));
    private final List<TestServer> nodes = new ArrayList<>();

    @AfterEach
    void stopNodes() throws Exception {
        for (TestServer node : nodes) {
            node.close();
        }
    }

    private TestServer node(RestSettings settings) {
        TestServer node = new TestServer(service, settings, catalog, clock);
        nodes.add(node);
        return node;
    }

    private static JsonNode issue(TestServer node, String basic) {
        TestServer.Reply r = node.send(HttpRequest.newBuilder(node.uri(API + "/tokens"))
                .header("Authorization", basic).GET().build());
        assertThat(r.status()).as("%s", r).isEqualTo(200);
        return r.json();
    }

    /** {@code GET /status} with a token: 200 while the token is good, 401 once it is not. */
    private static int statusWith(TestServer node, JsonNode token) {
        return node.send(HttpRequest.newBuilder(node.uri(API + "/status"))
                .header("Authentication-Token", token.get("value").asText()).GET().build()).status();
    }

    private static TestServer.Reply call(TestServer node, String method, String path, String basic) {
        return node.send(HttpRequest.newBuilder(node.uri(API + path)).header("Authorization", basic)
                .method(method, HttpRequest.BodyPublishers.noBody()).build());
    }

    @Test
    void aTokenWorksOnEveryNodeSharingTheCatalogAndAfterARestart() throws Exception {
        TestServer first = node(SETTINGS);
        TestServer second = node(SETTINGS);
        JsonNode token = issue(first, TestUsers.ADMIN);

        assertThat(statusWith(first, token)).isEqualTo(200);
        assertThat(statusWith(second, token)).isEqualTo(200);
        first.close();
        nodes.remove(first);
        TestServer restarted = node(SETTINGS);
        assertThat(statusWith(restarted, token)).isEqualTo(200);
        assertThat(restarted.send(HttpRequest.newBuilder(restarted.uri(API + "/snapshots"))
                .header("Authentication-Token", token.get("value").asText()).GET().build()).status())
                .as("an admin's token carries the admin's role").isEqualTo(200);

        var stored = catalog.find(token.get("id").asText()).orElseThrow();
        String value = token.get("value").asText();
        assertThat(stored.digest()).isEqualTo(Sha256.hexOf(value.getBytes(StandardCharsets.UTF_8)))
                .doesNotContain(value);
        assertThat(stored.user()).isEqualTo("admin");
        assertThat(stored.issuedAt()).isEqualTo(Instant.parse("2026-03-01T08:00:00Z"));
        assertThat(stored.expiresAt()).isEqualTo(Instant.parse("2026-03-01T09:00:00Z"));
    }

    @Test
    void theIssuedTokenKeepsItsShapeAndAddsItsId() {
        JsonNode token = issue(node(SETTINGS), TestUsers.VIEWER);
        assertThat(fieldNames(token)).containsExactly("value", "id", "username", "role", "issued_at",
                "expiration_date", "description", "last_used");
        assertThat(token.get("value").asText()).hasSizeGreaterThanOrEqualTo(43);
        assertThat(token.get("id").asText()).matches("[0-9a-f]{16}");
        assertThat(token.get("username").asText()).isEqualTo("viewer");
        assertThat(token.get("role").asText()).isEqualTo("default");
        assertThat(token.get("expiration_date").asText()).isEqualTo("2026-03-01T09:00:00.000Z");
    }

    @Test
    void aCheckReadsTheCatalogOnce() {
        TestServer node = node(SETTINGS);
        JsonNode token = issue(node, TestUsers.ADMIN);
        int before = catalog.reads.get();
        assertThat(statusWith(node, token)).isEqualTo(200);
        assertThat(catalog.reads.get() - before).isEqualTo(1);
    }

    @Test
    void aTokenIsRefusedFromItsExpiryOnAndLeavesTheCatalog() {
        TestServer node = node(SETTINGS);
        JsonNode token = issue(node, TestUsers.ADMIN);
        clock.advance(LIFETIME.minusMillis(1));
        assertThat(statusWith(node, token)).isEqualTo(200);
        clock.advance(Duration.ofMillis(1));
        assertError(node.send(HttpRequest.newBuilder(node.uri(API + "/status"))
                .header("Authentication-Token", token.get("value").asText()).GET().build()), 401, "unauthorized_error");
        assertThat(catalog.find(token.get("id").asText())).isEmpty();
    }

    @Test
    void aTokenRevokedOnOneNodeIsRefusedAtOnceOnTheOther() {
        TestServer first = node(SETTINGS);
        TestServer second = node(SETTINGS);
        JsonNode token = issue(first, TestUsers.ADMIN);
        assertThat(statusWith(first, token)).isEqualTo(200);

        TestServer.Reply revoked = call(second, "DELETE", "/tokens/" + token.get("id").asText(), TestUsers.ADMIN);
        assertThat(revoked.status()).isEqualTo(204);
        assertThat(revoked.body()).isEmpty();
        assertThat(statusWith(first, token)).isEqualTo(401);
        assertThat(catalog.find(token.get("id").asText())).isEmpty();
        assertError(call(first, "DELETE", "/tokens/" + token.get("id").asText(), TestUsers.ADMIN),
                404, "not_found_error");
    }

    @Test
    void aUserRevokesTheirOwnTokensAndSysAdminAnyone() {
        TestServer node = node(SETTINGS);
        JsonNode viewers = issue(node, TestUsers.VIEWER);
        JsonNode viewersOther = issue(node, TestUsers.VIEWER);
        JsonNode admins = issue(node, TestUsers.ADMIN);

        JsonNode refused = assertError(call(node, "DELETE", "/tokens/" + admins.get("id").asText(), TestUsers.VIEWER),
                403, "forbidden_error");
        assertThat(refused.get("message").asText()).contains("viewer").contains("sys_admin");
        assertThat(statusWith(node, admins)).as("a refused revocation leaves the token").isEqualTo(200);

        TestServer.Reply ownWithItself = node.send(HttpRequest.newBuilder(
                        node.uri(API + "/tokens/" + viewers.get("id").asText()))
                .header("Authentication-Token", viewers.get("value").asText()).DELETE().build());
        assertThat(ownWithItself.status()).isEqualTo(204);
        assertThat(statusWith(node, viewers)).isEqualTo(401);

        assertThat(call(node, "DELETE", "/tokens/" + viewersOther.get("id").asText(), TestUsers.ADMIN).status())
                .isEqualTo(204);
        assertThat(statusWith(node, viewersOther)).isEqualTo(401);
    }

    @Test
    void anUnknownTokenIsNotFoundInTheContractsErrorBody() {
        TestServer node = node(SETTINGS);
        for (String id : new String[] {"0123456789abcdef", "not%20a%20token", "x".repeat(65)}) {
            JsonNode body = assertError(call(node, "DELETE", "/tokens/" + id, TestUsers.ADMIN), 404, "not_found_error");
            assertThat(body.get("message").asText()).contains("Token");
            assertError(call(node, "GET", "/tokens/" + id, TestUsers.ADMIN), 404, "not_found_error");
        }
        assertError(node.send(HttpRequest.newBuilder(node.uri(API + "/tokens/0123456789abcdef")).DELETE().build()),
                401, "unauthorized_error");
    }

    @Test
    void aTokenIsDescribedByIdWithoutItsValue() {
        TestServer node = node(SETTINGS);
        JsonNode admins = issue(node, TestUsers.ADMIN);
        TestServer.Reply described = call(node, "GET", "/tokens/" + admins.get("id").asText(), TestUsers.ADMIN);
        assertThat(described.status()).isEqualTo(200);
        JsonNode d = described.json();
        assertThat(fieldNames(d)).doesNotContain("value").contains("id", "username", "issued_at", "expiration_date");
        assertThat(described.text()).doesNotContain(admins.get("value").asText());
        assertThat(d.get("id").asText()).isEqualTo(admins.get("id").asText());
        assertThat(d.get("username").asText()).isEqualTo("admin");
        assertThat(d.get("role").asText()).isEqualTo("sys_admin");
        assertThat(d.get("issued_at").asText()).isEqualTo("2026-03-01T08:00:00.000Z");
        assertThat(d.get("expiration_date").asText()).isEqualTo(admins.get("expiration_date").asText());
        assertError(call(node, "GET", "/tokens/" + admins.get("id").asText(), TestUsers.VIEWER), 403, "forbidden_error");

        clock.advance(LIFETIME);
        assertError(call(node, "GET", "/tokens/" + admins.get("id").asText(), TestUsers.ADMIN), 404, "not_found_error");
    }

    @Test
    void issuingBeyondTheBoundDropsThatUsersOldestToken() {
        TestServer node = node(SETTINGS.withMaxTokensPerUser(2));
        JsonNode viewers = issue(node, TestUsers.VIEWER);
        List<JsonNode> admins = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            clock.advance(Duration.ofSeconds(1));
            admins.add(issue(node, TestUsers.ADMIN));
        }
        assertThat(statusWith(node, admins.get(0))).isEqualTo(401);
        assertThat(statusWith(node, admins.get(1))).isEqualTo(200);
        assertThat(statusWith(node, admins.get(2))).isEqualTo(200);
        assertThat(statusWith(node, viewers)).as("another user's tokens are not counted").isEqualTo(200);
        assertThat(catalog.ofUser("admin")).extracting(t -> t.id())
                .containsExactly(admins.get(1).get("id").asText(), admins.get(2).get("id").asText());
    }

    @Test
    void expiredTokensArePurgedAtMostOnceAMinute() {
        TestServer node = node(SETTINGS);
        JsonNode old = issue(node, TestUsers.ADMIN);
        assertThat(catalog.purges.get()).as("the first issue purges").isEqualTo(1);
        clock.advance(LIFETIME.plusMinutes(1));

        JsonNode fresh = issue(node, TestUsers.VIEWER);
        assertThat(catalog.purges.get()).isEqualTo(2);
        assertThat(catalog.find(old.get("id").asText())).as("purged without ever being checked again").isEmpty();

        for (int i = 0; i < 5; i++) {
            clock.advance(Duration.ofSeconds(10));
            assertThat(statusWith(node, fresh)).isEqualTo(200);
        }
        assertThat(catalog.purges.get()).as("not again within the minute").isEqualTo(2);
        clock.advance(Duration.ofSeconds(10));
        assertThat(statusWith(node, fresh)).isEqualTo(200);
        assertThat(catalog.purges.get()).isEqualTo(3);
    }

    @Test
    void aFailedPurgeDoesNotFailTheRequest() {
        TestServer node = node(SETTINGS);
        catalog.purgeFails = true;
        JsonNode token = issue(node, TestUsers.ADMIN);
        assertThat(catalog.purges.get()).isEqualTo(1);
        assertThat(statusWith(node, token)).isEqualTo(200);
    }

    @Test
    void anUnreachableCatalogIs503ForATokenWhileBasicAuthStillWorks() {
        TestServer node = node(SETTINGS);
        JsonNode token = issue(node, TestUsers.ADMIN);
        catalog.unreachable = true;
        assertError(node.send(HttpRequest.newBuilder(node.uri(API + "/status"))
                        .header("Authentication-Token", token.get("value").asText()).GET().build()),
                503, "storage_unavailable_error");
        assertThat(call(node, "GET", "/status", TestUsers.ADMIN).status()).isEqualTo(200);
        assertError(call(node, "GET", "/tokens", TestUsers.ADMIN), 503, "storage_unavailable_error");
    }
}
