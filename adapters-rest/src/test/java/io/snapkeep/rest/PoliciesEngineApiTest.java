package io.snapkeep.rest;

import static io.snapkeep.rest.Wire.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.snapkeep.core.Snapkeep;
import io.snapkeep.core.testing.InMemoryArchiveStore;
import io.snapkeep.core.testing.InMemoryExecutionCatalog;
import io.snapkeep.core.testing.InMemoryExecutionEventLog;
import io.snapkeep.core.testing.InMemoryPolicyCatalog;
import io.snapkeep.core.testing.InMemorySnapshotCatalog;
import io.snapkeep.core.testing.SimpleCron;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The table of bad policies against the real engine: each refused with a 400 naming the field. */
class PoliciesEngineApiTest {
    static Snapkeep snapkeep;
    static TestServer server;

    @BeforeAll
    static void start() {
        snapkeep = Snapkeep.builder()
                .archiveStore(new InMemoryArchiveStore())
                .snapshotCatalog(new InMemorySnapshotCatalog())
                .executionCatalog(new InMemoryExecutionCatalog())
                .eventLog(new InMemoryExecutionEventLog())
                .participant(new MapParticipant())
                .policyCatalog(new InMemoryPolicyCatalog())
                .cronSchedules(new SimpleCron())
                .build()
                .start();
        server = new TestServer(snapkeep, snapkeep.policies(), RestSettings.DEFAULTS);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        snapkeep.close();
    }

    @org.junit.jupiter.api.AfterEach
    void clear() {
        server.delete("/api/v3.1/snapshot-policies/n");
        server.delete("/api/v3.1/snapshot-policies/nightly");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.snapkeep.rest.PoliciesApiTest#badPolicies")
    void aBadPolicyIsRefusedNamingTheField(String what, String body, String field) {
        JsonNode error = assertError(server.put("/api/v3.1/snapshot-policies/n", body), 400, "bad_parameters_error");
        assertThat(error.get("message").asText()).contains("`" + field + "`");
        assertError(server.get("/api/v3.1/snapshot-policies/n"), 404, "not_found_error");
    }

    @Test
    void aGoodPolicyIsStoredAndShown() {
        TestServer.Reply r = server.put("/api/v3.1/snapshot-policies/nightly", PoliciesApiTest.NIGHTLY);
        assertThat(r.status()).as("%s", r).isEqualTo(200);
        assertThat(r.json().get("health").asText()).isEqualTo("ok");
        assertThat(r.json().get("next_due").asText()).endsWith("Z");
        assertThat(server.get("/api/v3.1/snapshot-policies").json().get("items")).hasSize(1);
        assertThat(server.delete("/api/v3.1/snapshot-policies/nightly").status()).isEqualTo(200);
    }
}
