package io.snapkeep.rest;

import io.snapkeep.core.domain.EventQuery;
import io.snapkeep.core.domain.ExecutionEvent;
import io.snapkeep.core.domain.ExecutionId;
import io.snapkeep.core.domain.ListQuery;
import io.snapkeep.core.domain.Page;
import io.snapkeep.core.error.InvalidParameterException;
import io.snapkeep.core.port.in.SnapshotService;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** {@code GET /events}: what a snapshot execution did, for {@code cfy ... -w} and {@code cfy events list}. */
@Path(Paths.VERSIONED + "/events")
public final class EventsResource {
    /** Filters on things a snapshot execution never has: present, they match nothing. */
    private static final List<String> NEVER_MATCHING = List.of("node_id", "operation", "node_instance_id",
            "node_name", "deployment_id", "blueprint_id");
    private static final Set<String> TIME_FIELDS = Set.of("reported_timestamp", "timestamp", "@timestamp");

    private final SnapshotService service;
    private final RestSettings settings;

    @Context
    private UriInfo uri;

    @Inject
    EventsResource(SnapshotService service, RestSettings settings) {
        this.service = service;
        this.settings = settings;
    }

    @Access(Access.Level.READER)
    @GET
    public Response list() {
        MultivaluedMap<String, String> q = uri.getQueryParameters();
        Set<String> include = ListParameters.include(q, Representations.EVENT_KEYS);
        long offset = ListParameters.nonNegativeLong(q, "_offset", 0);
        int size = (int) Math.min(Integer.MAX_VALUE, ListParameters.nonNegativeLong(q, "_size", ListQuery.DEFAULT_SIZE));
        boolean descending = descending(q.get("_sort"));
        Instant[] range = range(q.getFirst("_range"));
        EnumSet<ExecutionEvent.Kind> kinds = EnumSet.noneOf(ExecutionEvent.Kind.class);
        List<String> types = q.getOrDefault("type", List.of());
        for (String t : types) {
            if ("cloudify_event".equals(t)) {
                kinds.add(ExecutionEvent.Kind.EVENT);
            } else if ("cloudify_log".equals(t)) {
                kinds.add(ExecutionEvent.Kind.LOG);
            }
        }
        ExecutionId execution = executionId(q.getFirst("execution_id"));
        boolean none = execution == null || (!types.isEmpty() && kinds.isEmpty())
                || NEVER_MATCHING.stream().anyMatch(q::containsKey);
        Page<ExecutionEvent> page = none
                ? new Page<>(List.of(), 0, offset, size)
                : service.events(new EventQuery(execution, kinds, range[0], range[1], descending, offset, size));
        return SnapshotsResource.json(200, Representations.list(page,
                e -> Representations.project(Representations.event(e, settings.serverName()), include)));
    }

    /** An execution id that cannot exist has no events: an empty list, as for an unknown one. */
    private static ExecutionId executionId(String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        try {
            return ExecutionId.of(raw.strip());
        } catch (InvalidParameterException e) {
            return null;
        }
    }

    private static boolean descending(List<String> sorts) {
        boolean descending = false;
        for (String raw : sorts == null ? List.<String>of() : sorts) {
            String k = raw.strip();
            boolean desc = k.startsWith("-");
            String name = desc || k.startsWith("+") ? k.substring(1) : k;
            if (!TIME_FIELDS.contains(name)) {
                throw ApiError.badParameters("Events sort by `reported_timestamp` (or `timestamp`, `@timestamp`), got `"
                        + name + "`");
            }
            descending = desc;
        }
        return descending;
    }

    /** {@code _range=@timestamp,<from>,<to>}, either bound may be empty. */
    private static Instant[] range(String raw) {
        Instant[] bounds = new Instant[2];
        if (raw == null || raw.isBlank()) {
            return bounds;
        }
        String[] parts = raw.split(",", -1);
        if (parts.length != 3 || !TIME_FIELDS.contains(parts[0].strip())) {
            throw ApiError.badParameters("`_range` must be `@timestamp,<from>,<to>`, got `" + raw + "`");
        }
        for (int i = 0; i < 2; i++) {
            String t = parts[i + 1].strip();
            if (!t.isEmpty()) {
                try {
                    bounds[i] = Instant.parse(t.endsWith("Z") || t.contains("+") ? t : t + "Z");
                } catch (DateTimeParseException e) {
                    throw ApiError.badParameters("`_range` bound `" + t + "` is not an ISO-8601 time");
                }
            }
        }
        return bounds;
    }
}
