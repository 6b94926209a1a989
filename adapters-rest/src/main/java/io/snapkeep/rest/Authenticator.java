package io.snapkeep.rest;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Checks a user's credentials; supplied by the host (the app builds one from its configuration).
 * Implementations compare secrets in constant time and never log them.
 */
public interface Authenticator {

    /** The user that {@code username} and {@code password} prove, or empty when they prove nobody. */
    Optional<User> authenticate(String username, String password);

    /** An authenticated user and its roles ({@code sys_admin} may do every snapshot action). */
    record User(String name, Set<String> roles) {
        public static final String SYS_ADMIN = "sys_admin";

        public User {
            Objects.requireNonNull(name, "name");
            roles = Set.copyOf(roles);
        }

        public boolean isSysAdmin() {
            return roles.contains(SYS_ADMIN);
        }
    }
}
