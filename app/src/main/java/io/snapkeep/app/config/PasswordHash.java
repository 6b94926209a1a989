package io.snapkeep.app.config;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * A salted PBKDF2-HMAC-SHA256 password hash, written as
 * {@code pbkdf2-sha256$<iterations>$<salt, base64>$<derived key, base64>} (standard base64 with padding).
 * Only hashes are kept on disk; verification derives the key again and compares in constant time.
 *
 * <p>To make a hash for the configuration: {@code java -jar snapkeep.jar hash-password} (or, as before,
 * {@code java -cp snapkeep.jar io.snapkeep.app.config.PasswordHash}) reads a password and prints its hash.
 */
public final class PasswordHash {
    static final String PREFIX = "pbkdf2-sha256";
    /** New hashes use this many iterations (OWASP's 2023 advice for PBKDF2-HMAC-SHA256 is 600,000). */
    public static final int DEFAULT_ITERATIONS = 600_000;
    private static final int MIN_ITERATIONS = 10_000;
    private static final int MAX_ITERATIONS = 10_000_000;
    private static final int SALT_BYTES = 16;
    private static final int KEY_BITS = 256;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final int iterations;
    private final byte[] salt;
    private final byte[] key;

    private PasswordHash(int iterations, byte[] salt, byte[] key) {
        this.iterations = iterations;
        this.salt = salt;
        this.key = key;
    }

    /** Hashes {@code password} with a fresh random salt. */
    public static PasswordHash create(String password) {
        return create(password, DEFAULT_ITERATIONS);
    }

    public static PasswordHash create(String password, int iterations) {
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        return new PasswordHash(iterations, salt, derive(password, salt, iterations, KEY_BITS));
    }

    /**
     * A hash that no password matches, whose check costs what a check of a new hash costs: a random salt and
     * a random key, no derivation. What an unknown user's password is checked against.
     */
    public static PasswordHash matchingNothing(int iterations) {
        byte[] salt = new byte[SALT_BYTES];
        byte[] key = new byte[KEY_BITS / 8];
        RANDOM.nextBytes(salt);
        RANDOM.nextBytes(key);
        return new PasswordHash(iterations, salt, key);
    }

    /** Reads the text form; throws {@link IllegalArgumentException} naming what is wrong. */
    public static PasswordHash parse(String text) {
        String problem = problemWith(text);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        String[] parts = text.trim().split("\\$");
        Base64.Decoder b64 = Base64.getDecoder();
        return new PasswordHash(Integer.parseInt(parts[1]), b64.decode(parts[2]), b64.decode(parts[3]));
    }

    /** What is wrong with {@code text} as a hash, or null when it is well formed. */
    public static String problemWith(String text) {
        String expected = "must look like " + PREFIX + "$<iterations>$<salt base64>$<key base64>";
        if (text == null) {
            return expected;
        }
        String[] parts = text.trim().split("\\$", -1);
        if (parts.length != 4 || !parts[0].equals(PREFIX)) {
            return expected;
        }
        try {
            int iterations = Integer.parseInt(parts[1]);
            if (iterations < MIN_ITERATIONS || iterations > MAX_ITERATIONS) {
                return "iterations must be from " + MIN_ITERATIONS + " to " + MAX_ITERATIONS + ", got " + iterations;
            }
            byte[] salt = Base64.getDecoder().decode(parts[2]);
            byte[] key = Base64.getDecoder().decode(parts[3]);
            if (salt.length < 8 || key.length < 16) {
                return "salt must be at least 8 bytes and key at least 16 bytes";
            }
        } catch (IllegalArgumentException e) {
            return expected;
        }
        return null;
    }

    /** Whether {@code password} derives the same key; constant time in the key comparison. */
    public boolean matches(String password) {
        Objects.requireNonNull(password, "password");
        return MessageDigest.isEqual(key, derive(password, salt, iterations, key.length * 8));
    }

    /** The PBKDF2 iteration count: what one check of this hash costs. */
    public int iterations() {
        return iterations;
    }

    @Override
    public String toString() {
        Base64.Encoder b64 = Base64.getEncoder();
        return PREFIX + "$" + iterations + "$" + b64.encodeToString(salt) + "$" + b64.encodeToString(key);
    }

    private static byte[] derive(String password, byte[] salt, int iterations, int bits) {
        char[] chars = password.toCharArray();
        PBEKeySpec spec = new PBEKeySpec(chars, salt, iterations, bits);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is not available", e);
        } finally {
            spec.clearPassword();
            java.util.Arrays.fill(chars, '\0');
        }
    }

    /** Prints the hash of the password read from standard input, for the {@code users} configuration. */
    public static void main(String[] args) throws java.io.IOException {
        java.io.Console console = System.console();
        String password = console != null
                ? new String(console.readPassword("Password: "))
                : new String(System.in.readAllBytes(), StandardCharsets.UTF_8).strip();
        if (password.isEmpty()) {
            System.err.println("No password given");
            System.exit(2);
        }
        System.out.println(create(password));
    }
}
