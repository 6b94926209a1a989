package io.snapkeep.app.config;

import io.snapkeep.core.support.Secrets;
import java.util.Objects;

/**
 * A password or key from the configuration. Its {@link #toString()} never shows the value, so a secret that
 * ends up in a log line, an exception message or a printed record stays hidden; only {@link #reveal()} gives
 * it out, at the one place that needs it.
 */
public final class Secret {
    private final String value;

    private Secret(String value) {
        this.value = Objects.requireNonNull(value, "value");
    }

    public static Secret of(String value) {
        return new Secret(value);
    }

    public String reveal() {
        return value;
    }

    public boolean isEmpty() {
        return value.isEmpty();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Secret other && other.value.equals(value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    @Override
    public String toString() {
        return Secrets.MASK;
    }
}
