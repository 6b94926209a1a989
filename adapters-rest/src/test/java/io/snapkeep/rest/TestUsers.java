package io.snapkeep.rest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Two users: {@code admin} (sys_admin) and {@code viewer} (a plain user). Compares in constant time. */
final class TestUsers implements Authenticator {
    static final String ADMIN = basic("admin", "admin-secret");
    static final String VIEWER = basic("viewer", "viewer-secret");
    static final String WRONG_PASSWORD = basic("admin", "guess");

    private static final Map<String, String> PASSWORDS = Map.of("admin", "admin-secret", "viewer", "viewer-secret");
    private static final Map<String, Set<String>> ROLES = Map.of("admin", Set.of(User.SYS_ADMIN), "viewer", Set.of("user"));

    @Override
    public Optional<User> authenticate(String username, String password) {
        String expected = PASSWORDS.getOrDefault(username, "\u0000never");
        boolean ok = MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                password.getBytes(StandardCharsets.UTF_8));
        return ok ? Optional.of(new User(username, ROLES.get(username))) : Optional.empty();
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
}
