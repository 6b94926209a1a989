package io.snapkeep.rest;

import io.snapkeep.core.domain.CreateOptions;
import io.snapkeep.core.domain.Execution;
import io.snapkeep.core.domain.ExecutionId;
import io.snapkeep.core.domain.ExecutionEvent;
import io.snapkeep.core.domain.ExecutionStatus;
import io.snapkeep.core.domain.Page;
import io.snapkeep.core.domain.PolicyRun;
import io.snapkeep.core.domain.PolicyStatus;
import io.snapkeep.core.domain.Progress;
import io.snapkeep.core.domain.Snapshot;
import io.snapkeep.core.domain.SnapshotId;
import io.snapkeep.core.domain.SnapshotPolicy;
import io.snapkeep.core.domain.SnapshotStatus;
import io.snapkeep.core.domain.Timestamps;
import io.snapkeep.core.port.in.VerifySnapshot.VerifyResult;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.function.Function;

/** The resources as the contract's JSON: every key present, timestamps ISO-8601 with millis and Z. */
final class Representations {
    static final String TENANT = "default_tenant";
    static final String SNAPSHOT_VISIBILITY = "private";
    static final String EXECUTION_VISIBILITY = "tenant";

    /** The keys of a snapshot, in the order clients see them. */
    static final List<String> SNAPSHOT_KEYS = List.of("id", "created_at", "status", "error", "created_by",
            "tenant_name", "visibility", "private_resource", "resource_availability", "archive_size",
            "archive_sha256", "progress");

    static final List<String> EXECUTION_KEYS = List.of("id", "workflow_id", "status", "status_display", "error",
            "created_at", "started_at", "ended_at", "parameters", "is_system_workflow", "blueprint_id",
            "deployment_id", "is_dry_run", "created_by", "tenant_name", "visibility", "private_resource",
            "resource_availability", "scheduled_for", "total_operations", "finished_operations", "progress");

    /** The keys of an execution's {@code progress} object, in order. */
    static final List<String> PROGRESS_KEYS = List.of("phase", "bytes_done", "bytes_total", "entries_done",
            "entries_total", "percent", "bytes_per_second", "eta_seconds");

    static final List<String> EVENT_KEYS = List.of("type", "event_type", "timestamp", "reported_timestamp",
            "message", "execution_id", "workflow_id", "deployment_id", "node_instance_id", "node_name", "operation",
            "error_causes", "source_id", "target_id", "blueprint_id", "manager_name", "level", "logger");

    private Representations() {
    }

    static Map<String, Object> snapshot(Snapshot s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", s.id().value());
        m.put("created_at", Timestamps.format(s.createdAt()));
        m.put("status", s.status().wireName());
        m.put("error", s.error());
        m.put("created_by", s.createdBy());
        m.put("tenant_name", TENANT);
        m.put("visibility", SNAPSHOT_VISIBILITY);
        m.put("private_resource", true);
        m.put("resource_availability", SNAPSHOT_VISIBILITY);
        m.put("archive_size", s.archive() == null ? null : s.archive().size());
        m.put("archive_sha256", s.archive() == null ? null : s.archive().sha256());
        // How far its upload came; a created snapshot's progress is its execution's.
        m.put("progress", s.upload().phase().isEmpty() ? null
                : progress(s.upload(), s.status() == SnapshotStatus.UPLOADED));
        return m;
    }

    /** What a verification found: {@code id}, {@code valid}, and {@code error} ({@code ""} when valid). */
    static Map<String, Object> verification(VerifyResult r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", r.id().value());
        m.put("valid", r.valid());
        m.put("error", r.error());
        return m;
    }

    static Map<String, Object> execution(Execution e) {
        Map<String, Object> parameters = new LinkedHashMap<>(e.parameters());
        parameters.putIfAbsent("snapshot_id", e.snapshotId().value());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", e.id().value());
        m.put("workflow_id", e.workflow().wireName());
        m.put("status", e.status().wireName());
        m.put("status_display", e.status().displayName());
        m.put("error", e.error());
        m.put("created_at", Timestamps.format(e.createdAt()));
        m.put("started_at", Timestamps.format(e.startedAt()));
        m.put("ended_at", Timestamps.format(e.endedAt()));
        m.put("parameters", parameters);
        m.put("is_system_workflow", true);
        m.put("blueprint_id", null);
        m.put("deployment_id", null);
        m.put("is_dry_run", false);
        m.put("created_by", e.createdBy());
        m.put("tenant_name", TENANT);
        m.put("visibility", EXECUTION_VISIBILITY);
        m.put("private_resource", false);
        m.put("resource_availability", EXECUTION_VISIBILITY);
        m.put("scheduled_for", null);
        m.put("total_operations", e.progress().totalOperations());
        m.put("finished_operations", e.progress().finishedOperations());
        m.put("progress", progress(e.progress(), e.status() == ExecutionStatus.TERMINATED));
        return m;
    }

    /**
     * Snapkeep's own view of how far an execution is (an extra key old clients ignore): a figure not known
     * yet is null; {@code phase} is null before the work began.
     */
    static Map<String, Object> progress(Progress p, boolean succeeded) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("phase", p.phase().isEmpty() ? null : p.phase());
        m.put("bytes_done", p.bytes());
        m.put("bytes_total", known(p.bytesTotal()));
        m.put("entries_done", p.finishedOperations());
        m.put("entries_total", known(p.entriesTotal()));
        OptionalDouble percent = p.percent(succeeded);
        m.put("percent", percent.isPresent() ? percent.getAsDouble() : null);
        m.put("bytes_per_second", known(p.bytesPerSecond()));
        m.put("eta_seconds", succeeded ? Long.valueOf(0) : known(p.etaSeconds()));
        return m;
    }

    private static Long known(long figure) {
        return figure == Progress.UNKNOWN ? null : figure;
    }

    static Map<String, Object> event(ExecutionEvent e, String managerName) {
        boolean isEvent = e.kind() == ExecutionEvent.Kind.EVENT;
        String at = Timestamps.format(e.timestamp());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", isEvent ? "cloudify_event" : "cloudify_log");
        m.put("event_type", e.eventType());
        m.put("timestamp", at);
        m.put("reported_timestamp", at);
        m.put("message", e.message());
        m.put("execution_id", e.executionId().value());
        m.put("workflow_id", e.workflow().wireName());
        m.put("deployment_id", null);
        m.put("node_instance_id", null);
        m.put("node_name", null);
        m.put("operation", null);
        m.put("error_causes", null);
        m.put("source_id", null);
        m.put("target_id", null);
        m.put("blueprint_id", null);
        m.put("manager_name", managerName);
        m.put("level", isEvent ? null : e.level().name().toLowerCase(Locale.ROOT));
        m.put("logger", isEvent ? null : "snapkeep." + e.workflow().wireName());
        return m;
    }

    /** The keys of a snapshot policy, in the order clients see them. */
    static final List<String> POLICY_KEYS = List.of("name", "schedule", "time_zone", "snapshot_id", "create_options",
            "retention", "verify_schedule", "health", "last_run", "last_success", "last_failure",
            "consecutive_failures", "next_due", "next_verification", "history");

    /** A policy as written, then what it has done and will do next; {@code null} for each part it lacks. */
    static Map<String, Object> policy(PolicyStatus status) {
        SnapshotPolicy p = status.policy();
        CreateOptions o = p.createOptions();
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("include_credentials", o.includeCredentials());
        options.put("include_metrics", o.includeMetrics());
        options.put("include_logs", o.includeLogs());
        options.put("include_events", o.includeEvents());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", p.name());
        m.put("schedule", p.schedule());
        m.put("time_zone", p.timeZone().getId());
        m.put("snapshot_id", p.snapshotIdTemplate());
        m.put("create_options", options);
        m.put("retention", p.retention().map(r -> {
            Map<String, Object> retention = new LinkedHashMap<>();
            retention.put("max_count", r.maxCount().orElse(null));
            retention.put("expire_after", r.expireAfter().map(PolicyBody::format).orElse(null));
            retention.put("min_count", r.minCount());
            return retention;
        }).orElse(null));
        m.put("verify_schedule", p.verifySchedule().orElse(null));
        m.put("health", status.health());
        m.put("last_run", status.lastRun().map(Representations::policyRun).orElse(null));
        m.put("last_success", status.lastSuccess().map(Representations::policyRun).orElse(null));
        m.put("last_failure", status.lastFailure().map(f -> {
            Map<String, Object> failure = new LinkedHashMap<>();
            failure.put("at", Timestamps.format(f.recordedAt()));
            failure.put("due_at", Timestamps.format(f.dueAt()));
            failure.put("outcome", wire(f.outcome()));
            failure.put("reason", f.detail());
            return failure;
        }).orElse(null));
        m.put("consecutive_failures", status.consecutiveFailures());
        m.put("next_due", status.nextDue().map(Timestamps::format).orElse(null));
        m.put("next_verification", status.nextVerification().map(Timestamps::format).orElse(null));
        m.put("history", status.history().stream().map(Representations::policyRun).toList());
        return m;
    }

    /** One entry of a policy's history. */
    static Map<String, Object> policyRun(PolicyRun r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", wire(r.kind()));
        m.put("due_at", Timestamps.format(r.dueAt()));
        m.put("recorded_at", Timestamps.format(r.recordedAt()));
        m.put("outcome", wire(r.outcome()));
        m.put("snapshot_id", r.snapshot().map(SnapshotId::value).orElse(null));
        m.put("execution_id", r.execution().map(ExecutionId::value).orElse(null));
        m.put("detail", r.detail());
        return m;
    }

    private static String wire(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }

    /** Only the {@code include} keys of {@code full} (all of them when {@code include} is empty). */
    static Map<String, Object> project(Map<String, Object> full, Set<String> include) {
        if (include.isEmpty()) {
            return full;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        full.forEach((k, v) -> {
            if (include.contains(k)) {
                m.put(k, v);
            }
        });
        return m;
    }

    /** The list envelope: {@code items} and {@code metadata.pagination}. */
    static <T> Map<String, Object> list(Page<T> page, Function<T, Map<String, Object>> item) {
        Map<String, Object> pagination = new LinkedHashMap<>();
        pagination.put("total", page.total());
        pagination.put("size", page.size());
        pagination.put("offset", page.offset());
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("pagination", pagination);
        metadata.put("filtered", null);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("items", page.items().stream().map(item).toList());
        m.put("metadata", metadata);
        return m;
    }
}
