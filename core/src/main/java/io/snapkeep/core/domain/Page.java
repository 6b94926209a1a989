package io.snapkeep.core.domain;

import java.util.List;
import java.util.function.Function;

/** One page of a list: the items, and {@code total} = every match before paging. */
public record Page<T>(List<T> items, long total, long offset, int size) {
    public Page {
        items = List.copyOf(items);
    }

    public <R> Page<R> map(Function<? super T, ? extends R> f) {
        return new Page<>(items.stream().<R>map(f).toList(), total, offset, size);
    }
}
