package io.snapkeep.core.domain;

import io.snapkeep.core.error.InvalidParameterException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A filtered, sorted, paged list query over the fields {@code F} of a resource.
 *
 * <ul>
 *   <li>{@code filters}: per field, the values it may have (OR within a field, AND across fields), compared
 *       with the field's text form ({@link SnapshotField#textOf}, {@link ExecutionField#textOf}).</li>
 *   <li>{@code idContains}: a case-sensitive substring the id must contain, or null.</li>
 *   <li>{@code sort}: applied in order; catalogs break remaining ties by {@code created_at} then id,
 *       ascending.</li>
 * </ul>
 */
public record ListQuery<F extends Enum<F>>(Map<F, Set<String>> filters, String idContains, List<Sort<F>> sort,
                                           long offset, int size) {
    public static final int DEFAULT_SIZE = 1000;

    public ListQuery {
        Map<F, Set<String>> copy = new LinkedHashMap<>();
        Objects.requireNonNull(filters, "filters").forEach((k, v) ->
                copy.put(Objects.requireNonNull(k), Collections.unmodifiableSet(new LinkedHashSet<>(v))));
        filters = Collections.unmodifiableMap(copy);
        sort = List.copyOf(Objects.requireNonNull(sort, "sort"));
        if (offset < 0) {
            throw new InvalidParameterException("`_offset` must be a non-negative integer, got " + offset);
        }
        if (size < 0) {
            throw new InvalidParameterException("`_size` must be a non-negative integer, got " + size);
        }
    }

    public static <F extends Enum<F>> ListQuery<F> all() {
        return new ListQuery<F>(Map.<F, Set<String>>of(), null, List.<Sort<F>>of(), 0, DEFAULT_SIZE);
    }

    public ListQuery<F> withFilter(F field, String... values) {
        Map<F, Set<String>> f = new LinkedHashMap<>(filters);
        f.put(field, new LinkedHashSet<>(List.of(values)));
        return new ListQuery<>(f, idContains, sort, offset, size);
    }

    public ListQuery<F> withIdContains(String text) {
        return new ListQuery<>(filters, text, sort, offset, size);
    }

    @SafeVarargs
    public final ListQuery<F> sortedBy(Sort<F>... keys) {
        return new ListQuery<>(filters, idContains, List.of(keys), offset, size);
    }

    public ListQuery<F> page(long newOffset, int newSize) {
        return new ListQuery<>(filters, idContains, sort, newOffset, newSize);
    }
}
