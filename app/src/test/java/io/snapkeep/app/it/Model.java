package io.snapkeep.app.it;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * What a client of the crash test was told, and so what must hold after any crash. Changed by one thread at a
 * time: the client during a round, the test between rounds.
 *
 * <ul>
 *   <li>Every execution id the client was handed (a create or restore answered 2xx) is found.</li>
 *   <li>An execution seen {@code terminated} stays so; a create's snapshot stays {@code created}.</li>
 *   <li>A cancel answered 200 never ends {@code terminated}: its execution ends {@code cancelled}, or
 *       {@code failed} ("interrupted by a restart") when the process died while it unwound, and a cancelled
 *       create's snapshot is never {@code created}.</li>
 *   <li>An upload answered 201 is listed {@code uploaded} with its size and SHA-256.</li>
 *   <li>A delete answered 200 stays deleted; a create or upload refused with a 4xx leaves nothing.</li>
 *   <li>After a restart nothing is {@code creating} or {@code uploading}, and no execution is still active
 *       (the test never queues).</li>
 * </ul>
 * What was in flight when the process died may have gone either way; the next check records how it went.
 */
final class Model {
    enum State { CREATED, UPLOADED, FAILED, ABSENT, UNKNOWN }

    static final Set<String> END = Set.of("terminated", "failed", "cancelled");

    static final class Snap {
        final String id;
        State state = State.UNKNOWN;
        long size;
        String sha256;
        /** A delete was sent; without one, a snapshot never goes away. */
        boolean deleteSent;

        Snap(String id) {
            this.id = id;
        }

        boolean hasArchive() {
            return state == State.CREATED || state == State.UPLOADED;
        }
    }

    static final class Exec {
        final String id;
        final String snapshot;
        final boolean create;
        boolean seenTerminated;
        boolean cancelAcknowledged;
        boolean ended;

        Exec(String id, String snapshot, boolean create) {
            this.id = id;
            this.snapshot = snapshot;
            this.create = create;
        }
    }

    final Map<String, Snap> snapshots = new LinkedHashMap<>();
    final Map<String, Exec> executions = new LinkedHashMap<>();

    Snap snapshot(String id) {
        return snapshots.computeIfAbsent(id, Snap::new);
    }

    Exec execution(String id, String snapshot, boolean create) {
        return executions.computeIfAbsent(id, i -> new Exec(i, snapshot, create));
    }

    /** A snapshot with an archive, picked by {@code random}; empty when there is none. */
    Optional<String> randomWhole(SplittableRandom random) {
        List<String> whole = snapshots.values().stream().filter(Snap::hasArchive).map(s -> s.id).toList();
        return whole.isEmpty() ? Optional.empty() : Optional.of(whole.get(random.nextInt(whole.size())));
    }

    /**
     * Compares the promises with what the server lists now, and learns how what was in flight went.
     *
     * @return each broken promise, in words
     */
    List<String> check(Map<String, JsonNode> listedSnapshots, Map<String, JsonNode> listedExecutions) {
        List<String> broken = new ArrayList<>();
        for (JsonNode s : listedSnapshots.values()) {
            String status = s.path("status").asText();
            if (status.equals("creating") || status.equals("uploading")) {
                broken.add("snapshot " + s.path("id").asText() + " is still " + status + " after the restart");
            }
            if ((status.equals("created") || status.equals("uploaded")) && s.path("archive_sha256").isNull()) {
                broken.add("snapshot " + s.path("id").asText() + " is " + status + " without an archive");
            }
        }
        for (Snap snap : snapshots.values()) {
            JsonNode s = listedSnapshots.get(snap.id);
            String status = s == null ? "absent" : s.path("status").asText();
            switch (snap.state) {
                case CREATED, UPLOADED -> {
                    String want = snap.state == State.CREATED ? "created" : "uploaded";
                    if (!status.equals(want)) {
                        broken.add("snapshot " + snap.id + " was " + want + ", now " + status);
                    } else if (s.path("archive_size").asLong() != snap.size
                            || !s.path("archive_sha256").asText().equals(snap.sha256)) {
                        broken.add("snapshot " + snap.id + " changed its archive: " + s);
                    }
                }
                case ABSENT -> {
                    if (s != null) {
                        broken.add("snapshot " + snap.id + " was deleted or never made, now listed: " + s);
                    }
                }
                case FAILED -> {
                    if (!status.equals("failed")) {
                        broken.add("snapshot " + snap.id + " had failed, now " + status);
                    }
                }
                case UNKNOWN -> { }
            }
            learn(snap, s);
        }
        for (Exec exec : executions.values()) {
            JsonNode e = listedExecutions.get(exec.id);
            if (e == null) {
                broken.add("execution " + exec.id + " (" + (exec.create ? "create " : "restore ") + exec.snapshot
                        + ") was acknowledged and is gone");
                continue;
            }
            String status = e.path("status").asText();
            if (!END.contains(status)) {
                broken.add("execution " + exec.id + " is still " + status + " after the restart");
                continue;
            }
            if (exec.seenTerminated && !status.equals("terminated")) {
                broken.add("execution " + exec.id + " was seen terminated, now " + status + ": " + e);
            }
            if (exec.cancelAcknowledged && status.equals("terminated")) {
                broken.add("execution " + exec.id + " was cancelled (200) and ended terminated");
            }
            if (exec.create) {
                Snap snap = snapshots.get(exec.snapshot);
                JsonNode s = listedSnapshots.get(exec.snapshot);
                String snapStatus = s == null ? "absent" : s.path("status").asText();
                if (status.equals("terminated") && !snapStatus.equals("created") && !snap.deleteSent) {
                    broken.add("create " + exec.id + " terminated but snapshot " + exec.snapshot + " is " + snapStatus);
                }
                if (!status.equals("terminated") && !snapStatus.equals("failed") && !snapStatus.equals("absent")) {
                    broken.add("create " + exec.id + " ended " + status + " but snapshot " + exec.snapshot + " is "
                            + snapStatus);
                }
            }
            exec.ended = true;
            exec.seenTerminated |= status.equals("terminated");
        }
        return broken;
    }

    /** What the server shows now becomes what was promised. */
    private static void learn(Snap snap, JsonNode s) {
        if (s == null) {
            snap.state = State.ABSENT;
            return;
        }
        switch (s.path("status").asText()) {
            case "created" -> snap.state = State.CREATED;
            case "uploaded" -> snap.state = State.UPLOADED;
            case "failed" -> snap.state = State.FAILED;
            default -> snap.state = State.UNKNOWN;
        }
        if (snap.hasArchive()) {
            snap.size = s.path("archive_size").asLong();
            snap.sha256 = s.path("archive_sha256").asText();
        }
    }
}
