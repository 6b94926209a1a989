package io.snapkeep.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.glassfish.jersey.server.ResourceConfig;
import org.junit.jupiter.api.Test;

/** The OpenAPI document describes exactly the routes the API serves: none missing, none extra. */
class ApiRoutesTest {
    private static final List<String> VERSIONS = List.of("v2", "v2.1", "v3", "v3.1");

    static ResourceConfig api() {
        return SnapkeepRestApi.resourceConfig(new FakeSnapshotService(), new TestUsers(), RestSettings.DEFAULTS);
    }

    static JsonNode document() throws IOException {
        return TestServer.JSON.readTree(ApiDocumentResource.load());
    }

    @Test
    void theDocumentDescribesEveryServedRouteAndNoOther() throws IOException {
        Set<String> served = Routes.served(api());
        assertThat(Routes.differences(served, Set.of(), Routes.documented(document()))).isEmpty();
    }

    /** A route open to anyone is documented without security, and every other with it. */
    @Test
    void theDocumentSaysWhichRoutesNeedCredentials() throws IOException {
        Map<String, Boolean> served = new TreeMap<>(Routes.servedWithAccess(api()));
        assertThat(Routes.documentedWithAccess(document())).isEqualTo(served);
        assertThat(served).containsEntry("GET /api/v3.1/openapi.json", true).containsEntry("GET /api/version", true)
                .containsEntry("GET /api/v2/snapshot-status", true).containsEntry("GET /api/v3/status", false)
                .containsEntry("GET /api/v3.1/snapshots", false).containsEntry("GET /health/ready", true)
                .containsEntry("GET /metrics", false);
    }

    /** The reading of the model is not empty-handed: it sees each version, child paths and regex templates. */
    @Test
    void theServedRoutesAreReadInFull() {
        Set<String> served = Routes.served(api());
        for (String v : VERSIONS) {
            assertThat(served).contains("GET /api/" + v + "/snapshots", "PUT /api/" + v + "/snapshots",
                    "PUT /api/" + v + "/snapshots/{id}/archive", "GET /api/" + v + "/snapshots/{id}/archive",
                    "DELETE /api/" + v + "/tokens/{id}", "GET /api/" + v + "/provider/context");
        }
        assertThat(served).contains("GET /api/version", "GET /api/v3.1/openapi.json");
        assertThat(served).noneMatch(r -> r.startsWith("OPTIONS ") || r.contains(":") || r.contains("{version"));
    }

    @Test
    void aRouteTheDocumentLacksIsReported() throws IOException {
        ResourceConfig extended = api().register(Unlisted.class);
        List<String> differences = Routes.differences(Routes.served(extended), Set.of(),
                Routes.documented(document()));
        assertThat(differences).containsExactlyInAnyOrder(
                "served but not in the document: GET /api/v2/unlisted/{name}",
                "served but not in the document: GET /api/v3/unlisted/{name}",
                "served but not in the document: POST /api/v2/unlisted/{name}/{id}/more",
                "served but not in the document: POST /api/v3/unlisted/{name}/{id}/more");
    }

    @Test
    void aDocumentedRouteThatIsNotServedIsReported() throws IOException {
        JsonNode doc = document();
        ObjectNode item = ((ObjectNode) doc.get("paths")).putObject("/api/{version}/nowhere");
        item.putArray("parameters").addObject().put("$ref", "#/components/parameters/Version");
        item.putObject("get").putObject("responses");
        ((ObjectNode) doc.get("paths").get("/api/version")).putObject("delete").putObject("responses");
        List<String> differences = Routes.differences(Routes.served(api()), Set.of(), Routes.documented(doc));
        assertThat(differences).containsExactlyInAnyOrder(
                "in the document but not served: DELETE /api/version",
                "in the document but not served: GET /api/v2/nowhere",
                "in the document but not served: GET /api/v2.1/nowhere",
                "in the document but not served: GET /api/v3/nowhere",
                "in the document but not served: GET /api/v3.1/nowhere");
    }

    @Test
    void aRouteServedElsewhereCountsAsServed() {
        Set<String> documented = new TreeSet<>(Set.of("GET /a", "GET /b"));
        assertThat(Routes.differences(Set.of("GET /a"), Set.of("GET /b"), documented)).isEmpty();
        assertThat(Routes.differences(Set.of("GET /a"), Set.of(), documented))
                .containsExactly("in the document but not served: GET /b");
    }

    @Test
    void templatesAreNormalisedAndVersionsExpanded() {
        assertThat(Routes.expand("/api/{version: v2|v2\\.1}/snapshots/{id: [^/]*}/archive"))
                .containsExactly("/api/v2/snapshots/{id}/archive", "/api/v2.1/snapshots/{id}/archive");
        assertThat(Routes.expand("/x/{ id : [a-z]{1,3} }/{other}")).containsExactly("/x/{id}/{other}");
        assertThatThrownBy(() -> Routes.expand("/api/{version}/x")).isInstanceOf(AssertionError.class);
        assertThatThrownBy(() -> Routes.expand("/api/{version: v[0-9]+}/x")).isInstanceOf(AssertionError.class);
    }

    @Test
    void theDocumentNamesEachVersionTheApiServes() throws IOException {
        assertThat(document().at("/components/parameters/Version/schema/enum"))
                .extracting(JsonNode::asText).containsExactlyElementsOf(VERSIONS);
    }

    /** Routes of no document: a root resource and a child, both with regex templates. */
    @Path("/api/{version: v2|v3}/unlisted/{name: [a-z]+}")
    public static final class Unlisted {
        @GET
        public String get() {
            return "unlisted";
        }

        @POST
        @Path("{id: [0-9]{1,4}}/more")
        public String nested() {
            return "nested";
        }
    }
}
