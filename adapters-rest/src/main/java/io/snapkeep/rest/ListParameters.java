package io.snapkeep.rest;

import io.snapkeep.core.domain.ExecutionField;
import io.snapkeep.core.domain.ExecutionStatus;
import io.snapkeep.core.domain.ListQuery;
import io.snapkeep.core.domain.SnapshotField;
import io.snapkeep.core.domain.Sort;
import jakarta.ws.rs.core.MultivaluedMap;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The query string of a list ({@code _include}, {@code _sort}, {@code _offset}, {@code _size}, {@code _search},
 * field filters) turned into a core {@link ListQuery}. Fields the core does not store (the constant
 * {@code tenant_name}, {@code visibility}, ...) filter to all or nothing and sort as no-ops.
 *
 * @param query       what the core answers
 * @param matchesNone a filter on a constant field excludes every item; answer an empty page
 * @param include     the keys to keep in each item (all when empty)
 */
record ListParameters<F extends Enum<F>>(ListQuery<F> query, boolean matchesNone, Set<String> include) {

    /** How one resource's query keys map onto its fields. */
    record Fields<F extends Enum<F>>(List<String> allKeys, Function<String, Optional<F>> byApiName,
                                     Map<String, String> constants, Map<String, Function<String, Optional<String>>> aliases,
                                     Map<String, F> aliasFields) {
    }

    static final Fields<SnapshotField> SNAPSHOT_FIELDS = new Fields<>(Representations.SNAPSHOT_KEYS,
            SnapshotField::byApiName,
            constants("tenant_name", Representations.TENANT, "visibility", Representations.SNAPSHOT_VISIBILITY,
                    "private_resource", "true", "resource_availability", Representations.SNAPSHOT_VISIBILITY),
            Map.of(), Map.of());

    static final Fields<ExecutionField> EXECUTION_FIELDS = new Fields<>(Representations.EXECUTION_KEYS,
            ExecutionField::byApiName,
            constants("tenant_name", Representations.TENANT, "visibility", Representations.EXECUTION_VISIBILITY,
                    "private_resource", "false", "resource_availability", Representations.EXECUTION_VISIBILITY,
                    "is_system_workflow", "true", "is_dry_run", "false", "blueprint_id", null,
                    "deployment_id", null, "scheduled_for", null),
            // status_display is the status, except that `completed` names `terminated`.
            Map.of("status_display", v -> "terminated".equals(v) ? Optional.empty()
                    : Optional.of("completed".equals(v) ? ExecutionStatus.TERMINATED.wireName() : v)),
            Map.of("status_display", ExecutionField.STATUS));

    static <F extends Enum<F>> ListParameters<F> parse(MultivaluedMap<String, String> params, Fields<F> fields) {
        Set<String> include = include(params, fields.allKeys());
        List<Sort<F>> sort = new ArrayList<>();
        for (String raw : params.getOrDefault("_sort", List.of())) {
            for (String key : raw.split(",")) {
                String k = key.strip();
                if (k.isEmpty()) {
                    continue;
                }
                boolean descending = k.startsWith("-");
                String name = k.startsWith("-") || k.startsWith("+") ? k.substring(1) : k;
                Optional<F> field = fields.byApiName().apply(name);
                if (field.isEmpty() && fields.aliasFields().containsKey(name)) {
                    field = Optional.of(fields.aliasFields().get(name));
                }
                if (field.isPresent()) {
                    sort.add(new Sort<>(field.get(), descending));
                } else if (!fields.constants().containsKey(name)) {
                    throw ApiError.badParameters("Unknown sort field `" + name + "`; sortable fields: "
                            + String.join(", ", fields.allKeys()));
                }
            }
        }
        Map<F, Set<String>> filters = new LinkedHashMap<>();
        boolean matchesNone = false;
        for (Map.Entry<String, List<String>> e : params.entrySet()) {
            String key = e.getKey();
            if (key.startsWith("_")) {
                continue; // control keys and any unknown `_x` of newer clients
            }
            Set<String> values = new LinkedHashSet<>();
            for (String v : e.getValue()) {
                values.add(v);
            }
            Optional<F> field = fields.byApiName().apply(key);
            if (field.isPresent()) {
                filters.computeIfAbsent(field.get(), f -> new LinkedHashSet<>()).addAll(values);
            } else if (fields.aliases().containsKey(key)) {
                F target = fields.aliasFields().get(key);
                Set<String> mapped = new LinkedHashSet<>();
                values.forEach(v -> fields.aliases().get(key).apply(v).ifPresent(mapped::add));
                filters.merge(target, mapped, (a, b) -> {
                    Set<String> both = new LinkedHashSet<>(a);
                    both.retainAll(b);
                    return both;
                });
                if (filters.get(target).isEmpty()) {
                    matchesNone = true;
                }
            } else if (fields.constants().containsKey(key)) {
                String constant = fields.constants().get(key);
                if (constant == null || !values.contains(constant)) {
                    matchesNone = true;
                }
            } else {
                throw ApiError.badParameters("Unknown filter field `" + key + "`; filterable fields: "
                        + String.join(", ", fields.allKeys()));
            }
        }
        String search = params.getFirst("_search");
        ListQuery<F> query = new ListQuery<>(filters, search == null || search.isEmpty() ? null : search, sort,
                nonNegativeLong(params, "_offset", 0), (int) Math.min(Integer.MAX_VALUE,
                nonNegativeLong(params, "_size", ListQuery.DEFAULT_SIZE)));
        return new ListParameters<>(query, matchesNone, include);
    }

    /** The {@code _include} keys (comma-separated, repeatable); an unknown one is a 400. */
    static Set<String> include(MultivaluedMap<String, String> params, List<String> known) {
        Set<String> include = new LinkedHashSet<>();
        for (String raw : params.getOrDefault("_include", List.of())) {
            for (String key : raw.split(",")) {
                String k = key.strip();
                if (k.isEmpty()) {
                    continue;
                }
                if (!known.contains(k)) {
                    throw new ApiError(400, ApiError.NO_SUCH_INCLUDE_FIELD, "Unknown include field `" + k
                            + "`; known fields: " + String.join(", ", known));
                }
                include.add(k);
            }
        }
        return include;
    }

    static long nonNegativeLong(MultivaluedMap<String, String> params, String key, long fallback) {
        String raw = params.getFirst(key);
        if (raw == null || raw.isBlank()) {
            return fallback;
        }
        try {
            long v = Long.parseLong(raw.strip());
            if (v >= 0) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ApiError.badParameters("`" + key + "` must be a non-negative integer, got " + raw);
    }

    /** A lenient boolean query parameter ({@code True}, {@code false}, ...), or the fallback when absent. */
    static boolean bool(MultivaluedMap<String, String> params, String key, boolean fallback) {
        String raw = params.getFirst(key);
        return raw == null || raw.isEmpty() ? fallback : RequestOptions.parseBoolean(key, raw);
    }

    private static Map<String, String> constants(String... keyValues) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put(keyValues[i], keyValues[i + 1]);
        }
        return m;
    }
}
