package io.snapkeep.core.testing;

import io.snapkeep.core.domain.ListQuery;
import io.snapkeep.core.domain.Page;
import io.snapkeep.core.domain.Sort;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;

/** List-query evaluation over plain collections, shared by the in-memory catalogs. */
final class InMemoryQueries {
    private InMemoryQueries() {
    }

    static <T, F extends Enum<F>> Page<T> page(Collection<T> all, ListQuery<F> query,
                                                BiFunction<F, T, String> text,
                                                BiFunction<F, T, Comparable<?>> value,
                                                Function<T, String> id, F createdAt) {
        List<T> matches = all.stream()
                .filter(t -> matchesFilters(t, query.filters(), text))
                .filter(t -> query.idContains() == null || id.apply(t).contains(query.idContains()))
                .sorted(order(query.sort(), value, id, createdAt))
                .toList();
        List<T> items = matches.stream().skip(query.offset()).limit(query.size()).toList();
        return new Page<>(items, matches.size(), query.offset(), query.size());
    }

    private static <T, F extends Enum<F>> boolean matchesFilters(T t, Map<F, Set<String>> filters,
                                                                  BiFunction<F, T, String> text) {
        return filters.entrySet().stream().allMatch(f -> f.getValue().contains(text.apply(f.getKey(), t)));
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static <T, F extends Enum<F>> Comparator<T> order(List<Sort<F>> keys, BiFunction<F, T, Comparable<?>> value,
                                                               Function<T, String> id, F createdAt) {
        Comparator<T> c = (a, b) -> 0;
        for (Sort<F> key : keys) {
            Comparator<T> one = Comparator.comparing(t -> (Comparable) value.apply(key.field(), t),
                    Comparator.nullsFirst(Comparator.naturalOrder()));
            c = c.thenComparing(key.descending() ? one.reversed() : one);
        }
        return c.thenComparing(t -> (Comparable) value.apply(createdAt, t)).thenComparing(id);
    }
}
