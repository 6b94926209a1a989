package io.snapkeep.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.swagger.parser.OpenAPIParser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The OpenAPI document: valid, the same as the repository's copy, and served to anyone over HTTP. */
class ApiDocumentTest {
    static TestServer server;

    @BeforeAll
    static void start() {
        server = new TestServer(new FakeSnapshotService(), RestSettings.DEFAULTS);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    private static SwaggerParseResult parse(String text) {
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        options.setValidateInternalRefs(true);
        return new OpenAPIParser().readContents(text, null, options);
    }

    @Test
    void theDocumentIsValidOpenApi() {
        SwaggerParseResult result = parse(new String(ApiDocumentResource.load(), StandardCharsets.UTF_8));
        assertThat(result.getMessages()).isEmpty();
        assertThat(result.getOpenAPI()).isNotNull();
        assertThat(result.getOpenAPI().getOpenapi()).startsWith("3.0.");
        assertThat(result.getOpenAPI().getComponents().getSecuritySchemes()).containsOnlyKeys("basicAuth", "tokenAuth");
    }

    /** The validation above is not blind: a document with a broken reference and a path without responses fails. */
    @Test
    void theParserReportsABrokenDocument() throws IOException {
        ObjectNode doc = (ObjectNode) ApiRoutesTest.document();
        ObjectNode snapshots = (ObjectNode) doc.get("paths").get("/api/{version}/snapshots");
        ((ObjectNode) snapshots.get("get")).remove("responses");
        ((ObjectNode) snapshots.get("put")).putArray("parameters").addObject()
                .put("$ref", "#/components/parameters/Missing");
        SwaggerParseResult result = parse(TestServer.JSON.writeValueAsString(doc));
        assertThat(result.getMessages()).anyMatch(m -> m.contains("responses"));
    }

    /** The schemas name the keys the adapter writes, in its order, and every error_code it can send. */
    @Test
    void theSchemasMatchTheRepresentations() throws IOException {
        JsonNode schemas = ApiRoutesTest.document().at("/components/schemas");
        assertThat(Wire.fieldNames(schemas.at("/Snapshot/properties"))).containsExactlyElementsOf(Representations.SNAPSHOT_KEYS);
        assertThat(Wire.fieldNames(schemas.at("/Execution/properties"))).containsExactlyElementsOf(Representations.EXECUTION_KEYS);
        assertThat(Wire.fieldNames(schemas.at("/Event/properties"))).containsExactlyElementsOf(Representations.EVENT_KEYS);
        assertThat(Wire.fieldNames(schemas.at("/SnapshotPolicy/properties")))
                .containsExactlyElementsOf(Representations.POLICY_KEYS);
        assertThat(Wire.fieldNames(schemas.at("/Error/properties")))
                .containsExactlyElementsOf(ErrorTable.body("x", "y").keySet());
        assertThat(schemas.at("/Error/properties/error_code/enum")).extracting(JsonNode::asText)
                .containsExactlyInAnyOrderElementsOf(Arrays.stream(ErrorTable.Entry.values())
                        .map(ErrorTable.Entry::errorCode).toList());
    }

    @Test
    void theRepositoryCopyIsTheServedDocument() throws IOException {
        Path copy = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().resolve("../docs/openapi.json")
                .normalize();
        assertThat(Files.readAllBytes(copy))
                .as("docs/openapi.json must be a copy of adapters-rest/src/main/resources/io/snapkeep/rest/openapi.json")
                .isEqualTo(ApiDocumentResource.load());
    }

    @Test
    void theDocumentIsServedWithoutCredentials() {
        TestServer.Reply r = server.send(HttpRequest.newBuilder(server.uri("/api/v3.1/openapi.json")).GET().build());
        assertThat(r.status()).as("%s", r).isEqualTo(200);
        assertThat(r.header("Content-Type")).startsWith("application/json");
        assertThat(r.body()).isEqualTo(ApiDocumentResource.load());
    }

    @Test
    void badCredentialsDoNotHideTheDocument() {
        TestServer.Reply r = server.send(HttpRequest.newBuilder(server.uri("/api/v3.1/openapi.json"))
                .header("Authorization", "Basic bm9ib2R5Ondyb25n").header("Accept", "application/json").GET().build());
        assertThat(r.status()).as("%s", r).isEqualTo(200);
        assertThat(r.body()).isEqualTo(ApiDocumentResource.load());
    }

    @Test
    void theDocumentIsServedUnderOneVersionOnly() {
        Wire.assertError(server.send(HttpRequest.newBuilder(server.uri("/api/v2.1/openapi.json")).GET().build()),
                404, ApiError.NOT_FOUND);
    }
}
