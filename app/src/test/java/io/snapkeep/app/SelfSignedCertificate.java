package io.snapkeep.app;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.util.Arrays;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A certificate for 127.0.0.1 and ::1 made by the JDK's keytool for one test, in every form the server
 * reads: a PKCS#12 keystore, and PEM files of the certificate and of the key (PKCS#8, and PKCS#1 for RSA).
 * Clients trust it through {@link #clientContext()}, with host name checks left on.
 */
public record SelfSignedCertificate(Path keystore, String password, Path certificatePem, Path privateKeyPem,
                                    Path rsaPrivateKeyPem, Certificate certificate) {

    /** Makes one in {@code dir}, {@code algorithm} {@code RSA} or {@code EC}. */
    public static SelfSignedCertificate create(Path dir, String algorithm) throws Exception {
        Path keystore = dir.resolve("server-" + algorithm.toLowerCase() + ".p12");
        String password = "test-keystore-pass";
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process p = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "server",
                "-keyalg", algorithm, algorithm.equals("RSA") ? "-keysize" : "-groupname",
                algorithm.equals("RSA") ? "2048" : "secp256r1", "-validity", "2", "-dname", "CN=127.0.0.1",
                "-ext", "SAN=ip:127.0.0.1,ip:0:0:0:0:0:0:0:1", "-storetype", "PKCS12",
                "-keystore", keystore.toString(), "-storepass", password, "-keypass", password)
                .redirectErrorStream(true).redirectOutput(dir.resolve("keytool.log").toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new AssertionError("keytool failed: " + Files.readString(dir.resolve("keytool.log")));
        }
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            store.load(in, password.toCharArray());
        }
        PrivateKey key = (PrivateKey) store.getKey("server", password.toCharArray());
        Certificate certificate = store.getCertificate("server");
        Path certPem = Files.writeString(dir.resolve("server-" + algorithm.toLowerCase() + ".crt"),
                pem("CERTIFICATE", certificate.getEncoded()));
        Path keyPem = Files.writeString(dir.resolve("server-" + algorithm.toLowerCase() + ".key"),
                pem("PRIVATE KEY", key.getEncoded()));
        Path rsaPem = algorithm.equals("RSA") ? Files.writeString(dir.resolve("server-rsa-pkcs1.key"),
                pem("RSA PRIVATE KEY", pkcs1(key.getEncoded()))) : null;
        return new SelfSignedCertificate(keystore, password, certPem, keyPem, rsaPem, certificate);
    }

    /** A client TLS context that trusts this certificate and nothing else. */
    public SSLContext clientContext() throws GeneralSecurityException, IOException {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("server", certificate);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }

    public static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    /**
     * The PKCS#1 RSAPrivateKey inside an RSA PKCS#8 PrivateKeyInfo: the content of its last element, an
     * OCTET STRING after the version and the algorithm identifier.
     */
    private static byte[] pkcs1(byte[] pkcs8) {
        int[] at = {0};
        header(pkcs8, at); // the outer SEQUENCE
        skip(pkcs8, at); // version
        skip(pkcs8, at); // algorithm identifier
        int length = header(pkcs8, at); // the OCTET STRING
        return Arrays.copyOfRange(pkcs8, at[0], at[0] + length);
    }

    private static int header(byte[] der, int[] at) {
        at[0]++; // tag
        int first = der[at[0]++] & 0xff;
        if (first < 0x80) {
            return first;
        }
        int length = 0;
        for (int i = 0; i < (first & 0x7f); i++) {
            length = (length << 8) | (der[at[0]++] & 0xff);
        }
        return length;
    }

    private static void skip(byte[] der, int[] at) {
        int length = header(der, at);
        at[0] += length;
    }
}
