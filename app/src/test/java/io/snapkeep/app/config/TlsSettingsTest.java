package io.snapkeep.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snapkeep.app.SelfSignedCertificate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tls.*}: every form of key the server reads, and every mistake told without key material. */
class TlsSettingsTest {
    @TempDir
    static Path dir;
    static SelfSignedCertificate rsa;
    static SelfSignedCertificate ec;

    @BeforeAll
    static void certificates() throws Exception {
        rsa = SelfSignedCertificate.create(dir, "RSA");
        ec = SelfSignedCertificate.create(dir, "EC");
    }

    @Test
    void everyFormLoadsTheSameCertificate() {
        assertThat(TlsKeys.fromPem(rsa.certificatePem(), rsa.privateKeyPem()).certificate()).isEqualTo(rsa.certificate());
        assertThat(TlsKeys.fromPem(rsa.certificatePem(), rsa.rsaPrivateKeyPem()).certificate())
                .isEqualTo(rsa.certificate());
        assertThat(TlsKeys.fromPem(ec.certificatePem(), ec.privateKeyPem()).certificate()).isEqualTo(ec.certificate());
        assertThat(TlsKeys.fromPkcs12(rsa.keystore(), rsa.password()).certificate()).isEqualTo(rsa.certificate());
        assertThat(TlsKeys.fromPkcs12(ec.keystore(), ec.password()).certificate()).isEqualTo(ec.certificate());
    }

    @Test
    void aKeyOfAnotherCertificateIsRefused() {
        assertThatThrownBy(() -> TlsKeys.fromPem(rsa.certificatePem(), ec.privateKeyPem()))
                .hasMessageContaining("does not belong to the (first) certificate");
    }

    @Test
    void filesWithoutTheRightBlocksSayWhatIsMissing() throws Exception {
        Path empty = Files.writeString(dir.resolve("empty.pem"), "nothing here\n");
        Path encrypted = Files.writeString(dir.resolve("enc.key"), SelfSignedCertificate.pem("ENCRYPTED PRIVATE KEY",
                new byte[] {1, 2, 3}));
        Path sec1 = Files.writeString(dir.resolve("sec1.key"), SelfSignedCertificate.pem("EC PRIVATE KEY",
                new byte[] {1, 2, 3}));
        Path garbageKey = Files.writeString(dir.resolve("garbage.key"), SelfSignedCertificate.pem("PRIVATE KEY",
                new byte[] {48, 3, 2, 1, 0}));
        assertThatThrownBy(() -> TlsKeys.fromPem(empty, rsa.privateKeyPem()))
                .hasMessageContaining("tls.certificate").hasMessageContaining("no PEM \"BEGIN CERTIFICATE\" block");
        assertThatThrownBy(() -> TlsKeys.fromPem(rsa.certificatePem(), empty))
                .hasMessageContaining("tls.private_key").hasMessageContaining("no PEM");
        assertThatThrownBy(() -> TlsKeys.fromPem(rsa.certificatePem(), encrypted)).hasMessageContaining("is encrypted");
        assertThatThrownBy(() -> TlsKeys.fromPem(rsa.certificatePem(), sec1)).hasMessageContaining("pkcs8 -topk8");
        assertThatThrownBy(() -> TlsKeys.fromPem(rsa.certificatePem(), garbageKey))
                .hasMessageContaining("not an RSA, EC or EdDSA private key");
        assertThatThrownBy(() -> TlsKeys.fromPem(dir.resolve("absent.crt"), rsa.privateKeyPem()))
                .hasMessageContaining("cannot be read");
    }

    @Test
    void aWrongKeystorePasswordIsToldWithoutThePassword() {
        assertThatThrownBy(() -> TlsKeys.fromPkcs12(rsa.keystore(), "not-the-password-123"))
                .hasMessageContaining("tls.keystore").hasMessageNotContaining("not-the-password-123");
    }

    @Test
    void theConfigReadsPemOrKeystoreAndMasksThePassword() {
        SnapkeepConfig pem = load(Map.of("SNAPKEEP_TLS_CERTIFICATE", rsa.certificatePem().toString(),
                "SNAPKEEP_TLS_PRIVATE_KEY", rsa.privateKeyPem().toString(), "SNAPKEEP_TLS_REDIRECT_HTTP_PORT", "8081"));
        assertThat(pem.tls().enabled()).isTrue();
        assertThat(pem.tls().redirectHttpPort()).contains(8081);
        SnapkeepConfig p12 = load(Map.of("SNAPKEEP_TLS_KEYSTORE", rsa.keystore().toString(),
                "SNAPKEEP_TLS_KEYSTORE_PASSWORD", rsa.password()));
        assertThat(p12.tls().enabled()).isTrue();
        assertThat(p12.describe()).contains("tls.keystore: " + rsa.keystore()).doesNotContain(rsa.password());
        assertThat(p12.tls().toString()).doesNotContain(rsa.password());
        SnapkeepConfig plain = load(Map.of());
        assertThat(plain.tls().enabled()).isFalse();
        assertThat(plain.http().plainBasicNetworks()).containsExactly("127.0.0.0/8", "::1/128");
        assertThat(plain.http().trustedProxies()).isEmpty();
    }

    @Test
    void mistakesInTheTlsSectionAreEachNamed() {
        assertThatThrownBy(() -> load(Map.of("SNAPKEEP_TLS_CERTIFICATE", rsa.certificatePem().toString())))
                .hasMessageContaining("tls: certificate and private_key go together");
        assertThatThrownBy(() -> load(Map.of("SNAPKEEP_TLS_CERTIFICATE", rsa.certificatePem().toString(),
                "SNAPKEEP_TLS_PRIVATE_KEY", rsa.privateKeyPem().toString(),
                "SNAPKEEP_TLS_KEYSTORE", rsa.keystore().toString())))
                .hasMessageContaining("not both");
        assertThatThrownBy(() -> load(Map.of("SNAPKEEP_TLS_REDIRECT_HTTP_PORT", "8081")))
                .hasMessageContaining("tls.redirect_http_port: needs HTTPS");
        assertThatThrownBy(() -> load(Map.of("SNAPKEEP_TLS_KEYSTORE", rsa.keystore().toString(),
                "SNAPKEEP_TLS_KEYSTORE_PASSWORD", "wrong-password-456")))
                .hasMessageContaining("tls.keystore:").hasMessageNotContaining("wrong-password-456");
        assertThatThrownBy(() -> load(Map.of("SNAPKEEP_HTTP_TRUSTED_PROXIES", "not-a-network")))
                .hasMessageContaining("http.trusted_proxies: each must be an IPv4 or IPv6 network");
    }

    private static SnapkeepConfig load(Map<String, String> env) {
        return SnapkeepConfig.load(Optional.empty(), env);
    }
}
