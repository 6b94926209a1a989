package io.snapkeep.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server on HTTPS, started in this JVM from a PKCS#12 keystore and from PEM files made by keytool for
 * the test; clients check the certificate and its host name. Plain HTTP is either off or only a redirect.
 */
class HttpsServingTest {
    private static final String PASSWORD = "https-test-admin-password";
    private static final String BASIC = "Basic " + Base64.getEncoder().encodeToString(("admin:" + PASSWORD)
            .getBytes(StandardCharsets.UTF_8));

    @TempDir
    static Path keys;
    static SelfSignedCertificate certificate;

    @TempDir
    Path data;

    @BeforeAll
    static void makeCertificate() throws Exception {
        certificate = SelfSignedCertificate.create(keys, "RSA");
    }

    @Test
    void aKeystoreServesTheApiOverHttpsAndTheRedirectPortOnlyRedirects() throws Exception {
        try (SnapkeepServer server = start(Map.of("SNAPKEEP_TLS_KEYSTORE", certificate.keystore().toString(),
                "SNAPKEEP_TLS_KEYSTORE_PASSWORD", certificate.password(), "SNAPKEEP_TLS_REDIRECT_HTTP_PORT", "0"))) {
            assertThat(server.uri().getScheme()).isEqualTo("https");
            HttpClient https = trusting(HttpClient.Redirect.NEVER);
            HttpResponse<String> list = https.send(get(server.uri().resolve("/api/v3.1/snapshots")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(list.statusCode()).isEqualTo(200);
            assertThat(list.body()).contains("\"items\"");

            URI plain = server.redirectUri().orElseThrow();
            HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
            for (String method : new String[] {"GET", "PUT", "DELETE"}) {
                HttpResponse<String> moved = http.send(HttpRequest.newBuilder(plain.resolve("/api/v3.1/snapshots?_size=5"))
                        .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(moved.statusCode()).as(method).isEqualTo(308);
                assertThat(moved.headers().firstValue("Location")).as(method)
                        .contains(server.uri().resolve("/api/v3.1/snapshots?_size=5").toString());
            }
            HttpResponse<String> followed = trusting(HttpClient.Redirect.NORMAL).send(
                    get(plain.resolve("/api/v3.1/snapshots")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(followed.statusCode()).isEqualTo(200);
            assertThat(followed.uri().getScheme()).isEqualTo("https");
        }
    }

    @Test
    void pemFilesServeHttpsAndPlainHttpIsOffWithoutARedirectPort() throws Exception {
        try (SnapkeepServer server = start(Map.of("SNAPKEEP_TLS_CERTIFICATE", certificate.certificatePem().toString(),
                "SNAPKEEP_TLS_PRIVATE_KEY", certificate.rsaPrivateKeyPem().toString()))) {
            assertThat(server.redirectUri()).isEmpty();
            HttpClient https = trusting(HttpClient.Redirect.NEVER);
            HttpResponse<String> token = https.send(get(server.uri().resolve("/api/v3.1/tokens")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(token.statusCode()).isEqualTo(200);
            String value = new com.fasterxml.jackson.databind.ObjectMapper().readTree(token.body()).path("value").asText();
            HttpResponse<String> byToken = https.send(HttpRequest.newBuilder(server.uri().resolve("/api/v3.1/snapshots"))
                    .header("Authentication-Token", value).header("Tenant", "default_tenant").build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(byToken.statusCode()).isEqualTo(200);

            // The port speaks only TLS: a plain request gets no answer from the API.
            URI plainToTlsPort = URI.create("http://" + server.uri().getRawAuthority() + "/api/v3.1/snapshots");
            int status;
            try {
                status = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()
                        .send(get(plainToTlsPort).timeout(Duration.ofSeconds(10)).build(),
                                HttpResponse.BodyHandlers.ofString()).statusCode();
            } catch (IOException refused) {
                status = -1;
            }
            assertThat(status < 200 || status >= 400).as("status %d", status).isTrue();
        }
    }

    private SnapkeepServer start(Map<String, String> tls) throws Exception {
        return InProcessServer.start(data, PASSWORD, tls);
    }

    private static HttpRequest.Builder get(URI uri) {
        return HttpRequest.newBuilder(uri).header("Authorization", BASIC).header("Tenant", "default_tenant")
                .timeout(Duration.ofSeconds(30));
    }

    private static HttpClient trusting(HttpClient.Redirect redirect) throws Exception {
        SSLContext context = certificate.clientContext();
        return HttpClient.newBuilder().sslContext(context).followRedirects(redirect)
                .connectTimeout(Duration.ofSeconds(10)).build();
    }
}
