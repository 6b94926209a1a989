package io.snapkeep.app;

import io.snapkeep.app.config.PasswordHash;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * {@code java -jar snapkeep.jar hash-password}: prints the hash of a password for a user's
 * {@code password_hash} in the configuration. At a console the password is asked twice without echo; else its
 * first line of standard input is the password (so {@code printf '%s\n' "$PW" | java -jar snapkeep.jar
 * hash-password} works in a script). Only the hash is printed; the password is never.
 *
 * <p>Exit codes: 0 printed; 1 no password, the two entries differ, or nothing could be read.
 */
final class HashPasswordCommand {
    static final int OK = 0;
    static final int REFUSED = 1;

    private HashPasswordCommand() {
    }

    static int run(Console console, InputStream in, PrintStream out, PrintStream err) {
        char[] password = null;
        try {
            if (console != null) {
                password = console.readPassword("Password: ");
                char[] again = console.readPassword("Same password again: ");
                boolean same = password != null && Arrays.equals(password, again);
                if (again != null) {
                    Arrays.fill(again, '\0');
                }
                if (!same) {
                    err.println("hash-password: the two passwords differ; nothing printed");
                    return REFUSED;
                }
            } else {
                password = firstLine(in);
            }
            if (password == null || password.length == 0) {
                err.println("hash-password: no password given");
                return REFUSED;
            }
            out.println(PasswordHash.create(new String(password)));
            return OK;
        } catch (IOException e) {
            err.println("hash-password: could not read the password: " + e.getMessage());
            return REFUSED;
        } finally {
            if (password != null) {
                Arrays.fill(password, '\0');
            }
        }
    }

    /** The first line of {@code in} without its line break (and a CR before it); null at once at the end. */
    private static char[] firstLine(InputStream in) throws IOException {
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        String line = reader.readLine();
        return line == null ? null : line.toCharArray();
    }
}
