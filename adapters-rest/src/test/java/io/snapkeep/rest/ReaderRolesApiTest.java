package io.snapkeep.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Reader roles open the reading of snapshots, executions and events to users without {@code sys_admin}, and
 * nothing else: no archive bytes, no change. Without them (the default, as in Cloudify) such a user reads
 * nothing.
 */
class ReaderRolesApiTest {
    private static final String BASE = "/api/v3.1";
    private final FakeSnapshotService service = new FakeSnapshotService();
    private TestServer server;

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    @Test
    void aReaderRoleReadsButNeitherDownloadsNorChanges() {
        server = new TestServer(service, RestSettings.DEFAULTS.withReaderRoles(Set.of("user")));
        TestServer.Reply created = server.put(BASE + "/snapshots/s1", "{}");
        assertThat(created.status()).isEqualTo(201);
        String execution = created.json().get("id").asText();

        assertThat(asViewer("GET", "/snapshots")).isEqualTo(200);
        assertThat(asViewer("GET", "/snapshots/s1")).isEqualTo(200);
        assertThat(asViewer("GET", "/executions")).isEqualTo(200);
        assertThat(asViewer("GET", "/executions/" + execution)).isEqualTo(200);
        assertThat(asViewer("GET", "/events?execution_id=" + execution)).isEqualTo(200);

        assertThat(asViewer("GET", "/snapshots/s1/archive")).isEqualTo(403);
        assertThat(asViewer("PUT", "/snapshots/s2")).isEqualTo(403);
        assertThat(asViewer("DELETE", "/snapshots/s1")).isEqualTo(403);
        assertThat(asViewer("POST", "/snapshots/s1/restore")).isEqualTo(403);
        assertThat(asViewer("POST", "/snapshots/s1/verify")).isEqualTo(403);
        assertThat(asViewer("POST", "/executions/" + execution)).isEqualTo(403);
    }

    @Test
    void withoutReaderRolesAUserWithoutSysAdminReadsNothingAndIsToldWhy() {
        server = new TestServer(service, RestSettings.DEFAULTS);
        TestServer.Reply refused = server.send(HttpRequest.newBuilder(server.uri(BASE + "/snapshots"))
                .header("Authorization", TestUsers.VIEWER).GET().build());
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.json().get("error_code").asText()).isEqualTo("forbidden_error");
        assertThat(refused.json().get("message").asText())
                .contains("reading snapshots needs the `sys_admin` role or a reader role (none is configured)");
        assertThat(asViewer("GET", "/executions")).isEqualTo(403);
        assertThat(asViewer("GET", "/events?execution_id=x")).isEqualTo(403);
    }

    private int asViewer(String method, String path) {
        return server.send(HttpRequest.newBuilder(server.uri(BASE + path)).header("Authorization", TestUsers.VIEWER)
                .method(method, HttpRequest.BodyPublishers.noBody()).build()).status();
    }
}
