package io.snapkeep.core.support;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256, which every Java runtime must provide, without a checked exception at each use. */
public final class Sha256 {
    private Sha256() {
    }

    public static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("This Java runtime has no SHA-256", e);
        }
    }

    /** Lower-case hex of {@code digest}, the form archives, manifests and APIs show. */
    public static String hex(byte[] digest) {
        return HexFormat.of().formatHex(digest);
    }

    /** The lower-case hex SHA-256 of {@code bytes}. */
    public static String hexOf(byte[] bytes) {
        return hex(newDigest().digest(bytes));
    }
}
