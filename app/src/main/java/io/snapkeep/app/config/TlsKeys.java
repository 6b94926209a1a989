package io.snapkeep.app.config;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The server's certificate and private key, from the PEM files or the PKCS#12 keystore that {@code tls.*}
 * names, as one in-memory keystore for the HTTPS connector. Every problem is told in words that never hold
 * key material or a password, so a start that fails can print it as it is.
 */
public final class TlsKeys {
    /** The alias and password of the in-memory keystore; it never leaves the process. */
    public static final String ALIAS = "snapkeep";
    private static final Pattern PEM = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----\\s*([A-Za-z0-9+/=\\s]*?)-----END \\1-----");
    private static final int MAX_FILE = 1 << 20;
    /** DER of the AlgorithmIdentifier {rsaEncryption, NULL}, to wrap a PKCS#1 RSA key as PKCS#8. */
    private static final byte[] RSA_ALGORITHM = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86,
            (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};

    private final KeyStore keyStore;
    private final char[] password;

    private TlsKeys(KeyStore keyStore, char[] password) {
        this.keyStore = keyStore;
        this.password = password;
    }

    /** The keystore holding one key entry, {@link #ALIAS}, protected by {@link #password()}. */
    public KeyStore keyStore() {
        return keyStore;
    }

    public char[] password() {
        return password.clone();
    }

    /** The certificate the server presents first. */
    public X509Certificate certificate() {
        try {
            return (X509Certificate) keyStore.getCertificate(ALIAS);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the in-memory keystore lost its certificate", e);
        }
    }

    /**
     * Reads {@code tls}.
     *
     * @throws IllegalArgumentException naming the setting at fault and what is wrong, never a secret
     */
    public static TlsKeys load(SnapkeepConfig.Tls tls) {
        if (tls.keystore().isPresent()) {
            return fromPkcs12(tls.keystore().get(), tls.keystorePassword().map(Secret::reveal).orElse(""));
        }
        return fromPem(tls.certificate().orElseThrow(), tls.privateKey().orElseThrow());
    }

    static TlsKeys fromPkcs12(Path file, String password) {
        char[] secret = password.toCharArray();
        KeyStore store;
        try (InputStream in = new ByteArrayInputStream(read(file, "tls.keystore"))) {
            store = KeyStore.getInstance("PKCS12");
            store.load(in, secret);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("tls.keystore: " + file + " is not a PKCS#12 keystore that "
                    + "tls.keystore_password opens");
        }
        try {
            List<String> keys = new ArrayList<>();
            for (Enumeration<String> aliases = store.aliases(); aliases.hasMoreElements(); ) {
                String alias = aliases.nextElement();
                if (store.isKeyEntry(alias)) {
                    keys.add(alias);
                }
            }
            if (keys.size() != 1) {
                throw new IllegalArgumentException("tls.keystore: " + file + " must hold exactly one private key "
                        + "with its certificate chain, found " + keys.size());
            }
            PrivateKey key = (PrivateKey) store.getKey(keys.get(0), secret);
            Certificate[] chain = store.getCertificateChain(keys.get(0));
            if (key == null || chain == null || chain.length == 0) {
                throw new IllegalArgumentException("tls.keystore: the key in " + file + " has no certificate");
            }
            return of(key, List.of(chain), "tls.keystore");
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("tls.keystore: the key in " + file + " cannot be read with "
                    + "tls.keystore_password (a key password must equal the keystore's)");
        }
    }

    static TlsKeys fromPem(Path certificateFile, Path keyFile) {
        List<Certificate> chain = new ArrayList<>();
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            for (Block block : blocks(read(certificateFile, "tls.certificate"))) {
                if (block.type.equals("CERTIFICATE")) {
                    chain.add(factory.generateCertificate(new ByteArrayInputStream(block.der)));
                }
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("tls.certificate: " + certificateFile
                    + " holds a CERTIFICATE block that is not an X.509 certificate");
        }
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("tls.certificate: " + certificateFile
                    + " holds no PEM \"BEGIN CERTIFICATE\" block");
        }
        return of(privateKey(keyFile), chain, "tls.private_key");
    }

    private static PrivateKey privateKey(Path file) {
        List<Block> blocks = blocks(read(file, "tls.private_key"));
        for (Block block : blocks) {
            switch (block.type) {
                case "PRIVATE KEY":
                    return pkcs8(block.der, file);
                case "RSA PRIVATE KEY":
                    return pkcs8(rsaAsPkcs8(block.der), file);
                case "ENCRYPTED PRIVATE KEY":
                    throw new IllegalArgumentException("tls.private_key: " + file + " is encrypted; give the key "
                            + "unencrypted in a file only the server's user can read, or use tls.keystore");
                case "EC PRIVATE KEY":
                    throw new IllegalArgumentException("tls.private_key: " + file + " is an EC key in SEC1 form; "
                            + "convert it to PKCS#8 (openssl pkcs8 -topk8 -nocrypt) or use tls.keystore");
                default:
                    break;
            }
        }
        throw new IllegalArgumentException("tls.private_key: " + file
                + " holds no PEM \"BEGIN PRIVATE KEY\" or \"BEGIN RSA PRIVATE KEY\" block");
    }

    private static PrivateKey pkcs8(byte[] der, Path file) {
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        for (String algorithm : List.of("RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException tryTheNext) {
                // The encoding names its algorithm, but the JDK's factories each accept only their own.
            }
        }
        throw new IllegalArgumentException("tls.private_key: " + file
                + " is not an RSA, EC or EdDSA private key the JDK can read");
    }

    private static TlsKeys of(PrivateKey key, List<Certificate> chain, String setting) {
        if (!(chain.get(0) instanceof X509Certificate leaf)) {
            throw new IllegalArgumentException(setting + ": the certificate is not X.509");
        }
        if (!matches(key, leaf.getPublicKey())) {
            throw new IllegalArgumentException(setting + ": the private key does not belong to the (first) "
                    + "certificate");
        }
        try {
            char[] password = randomPassword();
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry(ALIAS, key, password, chain.toArray(Certificate[]::new));
            return new TlsKeys(store, password);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException(setting + ": the key cannot be kept in a keystore (" + e.getClass()
                    .getSimpleName() + ")");
        }
    }

    /** Whether {@code key} signs what {@code publicKey} verifies: the one test that fits every key type. */
    private static boolean matches(PrivateKey key, PublicKey publicKey) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "RSASSA-PSS" -> null;
            default -> key.getAlgorithm();
        };
        if (algorithm == null) {
            return true;
        }
        try {
            byte[] probe = "snapkeep tls key check".getBytes(StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** PKCS#8 PrivateKeyInfo {version 0, rsaEncryption, OCTET STRING pkcs1} around a PKCS#1 RSAPrivateKey. */
    private static byte[] rsaAsPkcs8(byte[] pkcs1) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(new byte[] {0x02, 0x01, 0x00});
        body.writeBytes(RSA_ALGORITHM);
        body.write(0x04);
        body.writeBytes(derLength(pkcs1.length));
        body.writeBytes(pkcs1);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x30);
        out.writeBytes(derLength(body.size()));
        out.writeBytes(body.toByteArray());
        return out.toByteArray();
    }

    private static byte[] derLength(int length) {
        if (length < 0x80) {
            return new byte[] {(byte) length};
        }
        if (length < 0x100) {
            return new byte[] {(byte) 0x81, (byte) length};
        }
        if (length < 0x10000) {
            return new byte[] {(byte) 0x82, (byte) (length >> 8), (byte) length};
        }
        return new byte[] {(byte) 0x83, (byte) (length >> 16), (byte) (length >> 8), (byte) length};
    }

    private record Block(String type, byte[] der) {
    }

    private static List<Block> blocks(byte[] file) {
        Matcher m = PEM.matcher(new String(file, StandardCharsets.US_ASCII));
        List<Block> blocks = new ArrayList<>();
        while (m.find()) {
            try {
                blocks.add(new Block(m.group(1), Base64.getMimeDecoder().decode(m.group(2))));
            } catch (IllegalArgumentException notBase64) {
                // A damaged block counts as absent; the caller names what it misses.
            }
        }
        return Collections.unmodifiableList(blocks);
    }

    private static byte[] read(Path file, String setting) {
        try {
            if (Files.size(file) > MAX_FILE) {
                throw new IllegalArgumentException(setting + ": " + file + " is larger than 1 MiB");
            }
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IllegalArgumentException(setting + ": " + file + " cannot be read ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    private static char[] randomPassword() {
        byte[] bytes = new byte[18];
        new java.security.SecureRandom().nextBytes(bytes);
        return Base64.getEncoder().withoutPadding().encodeToString(bytes).toCharArray();
    }
}
