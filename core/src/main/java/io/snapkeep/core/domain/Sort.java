package io.snapkeep.core.domain;

import java.util.Objects;

/** One sort key of a list query. Null values sort before every other value when ascending. */
public record Sort<F extends Enum<F>>(F field, boolean descending) {
    public Sort {
        Objects.requireNonNull(field, "field");
    }

    public static <F extends Enum<F>> Sort<F> asc(F field) {
        return new Sort<>(field, false);
    }

    public static <F extends Enum<F>> Sort<F> desc(F field) {
        return new Sort<>(field, true);
    }
}
