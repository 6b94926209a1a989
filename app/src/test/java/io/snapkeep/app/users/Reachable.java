package io.snapkeep.app.users;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every object an instance keeps, for tests that look for secrets in memory: the instance fields of
 * Snapkeep's own classes, and the keys, values and elements of the maps, collections and arrays they hold.
 * Objects of other classes (JDK types, such as a {@code Mac}) are listed but not opened. Bounded.
 */
final class Reachable {
    private static final int MAX_OBJECTS = 100_000;

    private Reachable() {
    }

    static List<Object> from(Object root) {
        Map<Object, Boolean> seen = new IdentityHashMap<>();
        Deque<Object> todo = new ArrayDeque<>();
        List<Object> found = new ArrayList<>();
        todo.add(root);
        while (!todo.isEmpty() && found.size() < MAX_OBJECTS) {
            Object o = todo.poll();
            if (o == null || seen.put(o, Boolean.TRUE) != null) {
                continue;
            }
            found.add(o);
            if (o instanceof Map<?, ?> map) {
                map.forEach((k, v) -> {
                    todo.add(k);
                    todo.add(v);
                });
            } else if (o instanceof Collection<?> c) {
                todo.addAll(c);
            } else if (o instanceof Object[] array) {
                todo.addAll(java.util.Arrays.asList(array));
            } else if (o.getClass().getName().startsWith("io.snapkeep.")) {
                for (Class<?> k = o.getClass(); k != null && k != Object.class; k = k.getSuperclass()) {
                    for (Field f : k.getDeclaredFields()) {
                        if (Modifier.isStatic(f.getModifiers()) || f.getType().isPrimitive()) {
                            continue;
                        }
                        try {
                            f.setAccessible(true);
                            Object value = f.get(o);
                            if (value != null) {
                                todo.add(value);
                            }
                        } catch (ReflectiveOperationException | RuntimeException e) {
                            throw new AssertionError("cannot read " + f, e);
                        }
                    }
                }
            }
        }
        if (!todo.isEmpty()) {
            throw new AssertionError("more than " + MAX_OBJECTS + " objects reachable");
        }
        return found;
    }
}
