package io.snapkeep.app.users;

import io.snapkeep.app.config.PasswordHash;
import static org.assertj.core.api.Assertions.assertThat;

import io.snapkeep.app.config.Secret;
import io.snapkeep.app.config.SnapkeepConfig;
import io.snapkeep.rest.Authenticator.User;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfiguredUsersTest {
    private static final int FAST = 10_000;

    @TempDir
    Path data;
    private final List<String> announced = new ArrayList<>();
    /** The iteration count of every PBKDF2 derivation the users ran, in order. */
    private final List<Integer> derivations = new ArrayList<>();
    private final ConfiguredUsers.Verifier counting = (hash, password) -> {
        synchronized (derivations) {
            derivations.add(hash.iterations());
        }
        return hash.matches(password);
    };

    @Test
    void firstStartGeneratesAnnouncesAndStoresOnlyAHash() throws IOException {
        ConfiguredUsers users = load(Optional.empty(), List.of());

        assertThat(announced).singleElement().asString().contains("admin password");
        String password = Files.readString(data.resolve("admin-password")).strip();
        assertThat(announced.get(0)).endsWith(password);
        assertThat(password).matches("[A-Za-z0-9_-]{43}");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve("admin-password"))))
                .isEqualTo("rw-------");
        String stored = Files.readString(data.resolve("admin-password.pbkdf2")).strip();
        assertThat(stored).startsWith("pbkdf2-sha256$").doesNotContain(password);
        assertThat(PasswordHash.parse(stored).matches(password)).isTrue();
        try (Stream<Path> files = Files.list(data)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("admin-password", "admin-password.pbkdf2");
        }

        assertThat(users.authenticate("admin", password)).contains(new User("admin", Set.of("sys_admin")));
        assertThat(users.authenticate("admin", password + "x")).isEmpty();
        assertThat(users.authenticate("Admin", password)).isEmpty();
    }

    @Test
    void laterStartsReuseTheStoredHashAndAnnounceNothing() throws IOException {
        load(Optional.empty(), List.of());
        String password = Files.readString(data.resolve("admin-password")).strip();
        String hash = Files.readString(data.resolve("admin-password.pbkdf2"));
        announced.clear();

        ConfiguredUsers again = load(Optional.empty(), List.of());

        assertThat(announced).isEmpty();
        assertThat(Files.readString(data.resolve("admin-password.pbkdf2"))).isEqualTo(hash);
        assertThat(again.authenticate("admin", password)).isPresent();
    }

    @Test
    void configuredAdminPasswordWinsOverTheStoredOne() throws IOException {
        load(Optional.empty(), List.of());
        String generated = Files.readString(data.resolve("admin-password")).strip();
        announced.clear();

        SnapkeepConfig config = SnapkeepConfig.load(Optional.empty(),
                Map.of("SNAPKEEP_ADMIN_PASSWORD", "from-env", "SNAPKEEP_DATA_DIR", data.toString()));
        ConfiguredUsers users = ConfiguredUsers.load(config, announced::add);

        assertThat(users.authenticate("admin", "from-env")).isPresent();
        assertThat(users.authenticate("admin", generated)).isEmpty();
        assertThat(announced).isEmpty();
        assertThat(Files.readString(data.resolve("admin-password")).strip()).as("stored file untouched").isEqualTo(generated);
    }

    @Test
    void configuredUsersWithPlainOrHashedPasswords() throws IOException {
        String opsHash = PasswordHash.create("ops-pw", FAST).toString();
        ConfiguredUsers users = load(Optional.of(Secret.of("admin-pw")), List.of(
                new SnapkeepConfig.User("viewer", Set.of("user"), Optional.of(Secret.of("view-pw")), Optional.empty()),
                new SnapkeepConfig.User("ops", Set.of("sys_admin"), Optional.empty(), Optional.of(opsHash))));

        assertThat(users.authenticate("viewer", "view-pw")).contains(new User("viewer", Set.of("user")));
        assertThat(users.authenticate("viewer", "view-pw ")).isEmpty();
        assertThat(users.authenticate("ops", "ops-pw")).hasValueSatisfying(u -> assertThat(u.isSysAdmin()).isTrue());
        assertThat(users.authenticate("ops", "admin-pw")).isEmpty();
        assertThat(users.authenticate("nobody", "view-pw")).isEmpty();
        assertThat(users.authenticate(null, null)).isEmpty();
        assertThat(announced).isEmpty();
    }

    @Test
    void everyFailedCheckDerivesOneKeyOfTheSameCostWhetherTheUserExistsOrNot() throws IOException {
        String opsHash = PasswordHash.create("ops-pw", FAST).toString();
        ConfiguredUsers users = load(Optional.of(Secret.of("admin-pw")), List.of(
                new SnapkeepConfig.User("viewer", Set.of("user"), Optional.of(Secret.of("view-pw")), Optional.empty()),
                new SnapkeepConfig.User("ops", Set.of("sys_admin"), Optional.empty(), Optional.of(opsHash))));

        for (String name : List.of("admin", "viewer", "ops", "nobody", "")) {
            derivations.clear();
            assertThat(users.authenticate(name, "wrong")).as(name).isEmpty();
            assertThat(derivations).as("derivations for %s", name).containsExactly(FAST);
        }
        for (String[] good : new String[][] {{"admin", "admin-pw"}, {"viewer", "view-pw"}, {"ops", "ops-pw"}}) {
            derivations.clear();
            assertThat(users.authenticate(good[0], good[1])).as(good[0]).isPresent();
            assertThat(derivations).as("first success of %s", good[0]).containsExactly(FAST);
        }
    }

    @Test
    void plainPasswordsAreHashedAtStartAndNotKept() throws IOException {
        ConfiguredUsers users = load(Optional.of(Secret.of("admin-plain-pw")), List.of(
                new SnapkeepConfig.User("viewer", Set.of("user"), Optional.of(Secret.of("viewer-plain-pw")),
                        Optional.empty())));
        assertThat(users.authenticate("viewer", "viewer-plain-pw")).isPresent();
        assertThat(users.authenticate("admin", "admin-plain-pw")).isPresent();

        List<Object> reached = Reachable.from(users);

        assertThat(reached).filteredOn(o -> o instanceof PasswordHash).hasSize(3); // admin, viewer, unknown users
        for (Object o : reached) {
            String text = o instanceof String str ? str
                    : o instanceof char[] chars ? new String(chars)
                    : o instanceof byte[] bytes ? new String(bytes, java.nio.charset.StandardCharsets.UTF_8)
                    : null;
            if (text != null) {
                assertThat(text).doesNotContain("admin-plain-pw").doesNotContain("viewer-plain-pw");
            }
            assertThat(o).isNotInstanceOf(Secret.class);
        }
    }

    @Test
    void theHashAnUnknownUserIsCheckedAgainstMatchesNoPasswordAtTheCostOfANewHash() {
        PasswordHash nothing = PasswordHash.matchingNothing(FAST);
        assertThat(nothing.iterations()).isEqualTo(FAST);
        for (String password : List.of("", "pw", "admin", nothing.toString())) {
            assertThat(nothing.matches(password)).as(password).isFalse();
        }
        assertThat(PasswordHash.matchingNothing(FAST).toString()).isNotEqualTo(nothing.toString());
    }

    @Test
    void hashesParseAndRefuseMalformedText() {
        PasswordHash hash = PasswordHash.create("pw", FAST);
        assertThat(PasswordHash.parse(hash.toString()).matches("pw")).isTrue();
        assertThat(PasswordHash.parse(hash.toString()).matches("pW")).isFalse();
        assertThat(PasswordHash.problemWith("pbkdf2-sha256$1$AAAAAAAAAAA=$AAAAAAAAAAAAAAAAAAAAAA==")).contains("iterations");
        assertThat(PasswordHash.problemWith("bcrypt$x")).startsWith("must look like");
        assertThat(hash.toString()).doesNotContain("pw$");
    }

    private ConfiguredUsers load(Optional<Secret> adminPassword, List<SnapkeepConfig.User> users) throws IOException {
        return ConfiguredUsers.load(data, adminPassword, users, announced::add, FAST, counting);
    }
}
