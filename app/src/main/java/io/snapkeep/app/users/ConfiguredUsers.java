package io.snapkeep.app.users;

import io.snapkeep.app.config.DataDirectory;
import io.snapkeep.app.config.PasswordHash;
import io.snapkeep.app.config.Secret;
import io.snapkeep.app.config.SnapkeepConfig;
import io.snapkeep.core.support.DaemonThreads;
import io.snapkeep.rest.Authenticator;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The users of the server: the bootstrap {@code admin} ({@code sys_admin}) and those in the configuration.
 *
 * <p>The admin's password is, in order: {@code admin_password} (or {@code SNAPKEEP_ADMIN_PASSWORD}); else the
 * hash stored by an earlier start in {@code <data>/admin-password.pbkdf2}; else, on the first start, a new
 * random one (256 bits, URL-safe base64) which is announced once through the given callback on a line
 * containing {@code admin password}, written to {@code <data>/admin-password} readable by the owner only
 * (0600), and kept as a PBKDF2 hash for later starts, which announce nothing.
 *
 * <p>Every password is kept as a PBKDF2 hash only: one given in plain text ({@code admin_password},
 * {@code SNAPKEEP_ADMIN_PASSWORD}, a user's {@code password}) is hashed at start, on a thread of its own so
 * that the start does not wait (a check of that user's password waits for it), and the text is not kept.
 * Every check that is not remembered (below) derives one PBKDF2 key: a known user's against that user's
 * hash, an unknown user's against a hash that no password matches with the iteration count new hashes get, so
 * a failed attempt costs the same, and takes the same time, whether the name exists or not (a hash
 * configured with another iteration count costs what its count says).
 *
 * <p>Speed: a PBKDF2 check costs about as much as its iteration count says (600,000 by default, a good part
 * of a second). The REST adapter's {@code PasswordChecks} remembers successful checks (and bounds how many
 * run at once), so Basic auth does not pay that on every request; this class checks every time. Nothing
 * secret is logged.
 */
public final class ConfiguredUsers implements Authenticator {
    public static final String ADMIN = "admin";
    static final String PASSWORD_FILE = "admin-password";
    static final String HASH_FILE = "admin-password.pbkdf2";
    private static final Logger LOG = LoggerFactory.getLogger(ConfiguredUsers.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Map<String, Account> accounts;
    private final PasswordHash unknownUser;
    private final Verifier verifier;

    private ConfiguredUsers(Map<String, Account> accounts, PasswordHash unknownUser, Verifier verifier) {
        this.accounts = Map.copyOf(accounts);
        this.unknownUser = unknownUser;
        this.verifier = verifier;
    }

    /** Checks a password against a hash: one PBKDF2 derivation. A seam for tests that count them. */
    interface Verifier {
        Verifier PBKDF2 = PasswordHash::matches;

        boolean matches(PasswordHash hash, String password);
    }

    /**
     * Builds the users from {@code config}, creating the admin password on a first start.
     *
     * @param announce receives the one line with a newly generated admin password (print it to the console);
     *                 not called when the password was configured or generated before
     */
    public static ConfiguredUsers load(SnapkeepConfig config, Consumer<String> announce) throws IOException {
        return load(config.dataDir(), config.adminPassword(), config.users(), announce,
                PasswordHash.DEFAULT_ITERATIONS, Verifier.PBKDF2);
    }

    static ConfiguredUsers load(Path dataDir, Optional<Secret> adminPassword, List<SnapkeepConfig.User> users,
                                Consumer<String> announce, int iterations, Verifier verifier)
            throws IOException {
        Map<String, Account> accounts = new HashMap<>();
        // Passwords given in plain text are hashed on a thread of their own: each hash is a good part of a
        // second of CPU, which the start need not wait for; the first check of such a password waits instead.
        ExecutorService hashing = Executors.newSingleThreadExecutor(DaemonThreads.named("snapkeep-password-hashing"));
        try {
            Future<PasswordHash> admin = adminPassword.isPresent()
                    ? hashing.submit(hashOf(adminPassword.get().reveal(), iterations))
                    : CompletableFuture.completedFuture(storedOrGeneratedAdmin(dataDir, announce, iterations));
            accounts.put(ADMIN, new Account(new User(ADMIN, Set.of(User.SYS_ADMIN)), admin));
            for (SnapkeepConfig.User u : users) {
                Future<PasswordHash> hash = u.password().isPresent()
                        ? hashing.submit(hashOf(u.password().get().reveal(), iterations))
                        : CompletableFuture.completedFuture(PasswordHash.parse(u.passwordHash().orElseThrow()));
                accounts.put(u.name(), new Account(new User(u.name(), u.roles()), hash));
            }
        } finally {
            hashing.shutdown();
        }
        return new ConfiguredUsers(accounts, PasswordHash.matchingNothing(iterations), verifier);
    }

    @Override
    public Optional<User> authenticate(String username, String password) {
        if (username == null || password == null) {
            return Optional.empty();
        }
        Account account = accounts.get(username);
        if (account == null) {
            // Costs what a real check costs, so response times do not tell which user names exist.
            verifier.matches(unknownUser, password);
            return Optional.empty();
        }
        return verifier.matches(account.hash(), password) ? Optional.of(account.user()) : Optional.empty();
    }

    private static Callable<PasswordHash> hashOf(String password, int iterations) {
        return () -> PasswordHash.create(password, iterations);
    }

    private static PasswordHash storedOrGeneratedAdmin(Path dataDir, Consumer<String> announce, int iterations)
            throws IOException {
        Path hashFile = dataDir.resolve(HASH_FILE);
        if (Files.exists(hashFile)) {
            String text = Files.readString(hashFile, StandardCharsets.UTF_8).trim();
            String problem = PasswordHash.problemWith(text);
            if (problem != null) {
                throw new IOException(hashFile + " is damaged (" + problem + "); delete it and "
                        + PASSWORD_FILE + " to generate a new admin password, or set SNAPKEEP_ADMIN_PASSWORD");
            }
            LOG.info("Using the admin password hash stored in {}", hashFile);
            return PasswordHash.parse(text);
        }
        DataDirectory.create(dataDir);
        String password = randomPassword();
        PasswordHash hash = PasswordHash.create(password, iterations);
        // The readable copy first: if the start dies before the hash is in place, the next start makes a new one.
        Path passwordFile = dataDir.resolve(PASSWORD_FILE);
        writeOwnerOnly(passwordFile, password + "\n");
        Path temp = dataDir.resolve(HASH_FILE + ".tmp");
        writeOwnerOnly(temp, hash + "\n");
        Files.move(temp, hashFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        announce.accept("Generated admin password (user admin, also in " + passwordFile + ", readable only by its"
                + " owner): " + password);
        return hash;
    }

    private static void writeOwnerOnly(Path file, String content) throws IOException {
        Files.deleteIfExists(file);
        boolean posix = file.getFileSystem().supportedFileAttributeViews().contains("posix");
        FileAttribute<?>[] attributes = posix
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(
                        Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE))}
                : new FileAttribute<?>[0];
        try {
            Files.createFile(file, attributes);
        } catch (FileAlreadyExistsException e) {
            throw new IOException(file + " appeared while being written; is another server starting?", e);
        }
        if (posix) {
            // The umask may have narrowed the mode at creation; make it exactly 0600.
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        }
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.WRITE)) {
            w.write(content);
        }
    }

    static String randomPassword() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** A user and the hash of their password, which may still be being derived at start. */
    private static final class Account {
        private final User user;
        private volatile PasswordHash hash;
        private Future<PasswordHash> pending;

        Account(User user, Future<PasswordHash> pending) {
            this.user = user;
            this.pending = pending;
        }

        User user() {
            return user;
        }

        /** The hash, once its derivation has finished; the derivation is let go of after that. */
        PasswordHash hash() {
            PasswordHash known = hash;
            if (known != null) {
                return known;
            }
            synchronized (this) {
                if (hash == null) {
                    try {
                        hash = pending.get();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException("interrupted while a password was hashed", e);
                    } catch (ExecutionException e) {
                        throw new IllegalStateException("a password could not be hashed", e.getCause());
                    }
                    pending = null;
                }
                return hash;
            }
        }
    }
}
