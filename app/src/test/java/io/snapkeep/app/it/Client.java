package io.snapkeep.app.it;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Predicate;

/**
 * The crash test's client: sends creates, uploads, deletes, restores and cancels, and writes into the
 * {@link Model} what each answer promised, until the server is killed under it (its next request fails) or it
 * is stopped. Without an idle gap it picks operations at random forever; with one, it makes a few changes,
 * waits for its executions to end, sits idle for the gap, makes a last burst of changes and ends.
 */
final class Client implements Runnable {
    private static final Duration EXECUTION_LIMIT = Duration.ofMinutes(2);

    private final Api api;
    private final Model model;
    private final SplittableRandom random;
    private final String prefix;
    private final Path archive;
    private final Duration idleGap;
    private final List<String> acknowledged = new ArrayList<>();
    private volatile boolean stopped;
    private boolean done;
    private int next;
    private Exception failure;

    /**
     * @param prefix  of every snapshot id this client makes (ids are never reused)
     * @param archive a valid archive to upload
     * @param idleGap the idle gap of the scripted round, or null for random operations
     */
    Client(Api api, Model model, SplittableRandom random, String prefix, Path archive, Duration idleGap) {
        this.api = api;
        this.model = model;
        this.random = random;
        this.prefix = prefix;
        this.archive = archive;
        this.idleGap = idleGap;
    }

    @Override
    public void run() {
        try {
            if (idleGap == null) {
                while (!stopped) {
                    randomOperation();
                }
            } else {
                scriptedAroundAnIdleGap();
            }
        } catch (IOException dead) {
            // The server was killed under a request: what it was doing stays unknown to the model.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | AssertionError e) {
            synchronized (this) {
                failure = new IllegalStateException("the crash client failed", e);
            }
        } finally {
            synchronized (this) {
                done = true;
                notifyAll();
            }
        }
    }

    void stop() {
        stopped = true;
    }

    /** Waits until {@code count} answers were acknowledged or the client is done, at most {@code limit}. */
    synchronized void awaitAcks(int count, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (acknowledged.size() < count && !done) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }

    /** What was acknowledged, in order; fails if the client itself broke. */
    synchronized String log() {
        if (failure != null) {
            throw new AssertionError(failure);
        }
        return acknowledged.isEmpty() ? "nothing" : String.join(", ", acknowledged);
    }

    private synchronized void acked(String what) {
        acknowledged.add(what);
        notifyAll();
    }

    // ---------------------------------------------------------------- the two scripts

    private void randomOperation() throws IOException, InterruptedException {
        long live = model.snapshots.values().stream().filter(Model.Snap::hasArchive).count();
        int pick = random.nextInt(live > 6 ? 16 : 12);
        if (pick < 3) {
            create(random.nextBoolean());
        } else if (pick < 5) {
            upload();
        } else if (pick < 7) {
            restore(random.nextBoolean());
        } else if (pick < 8) {
            cancel();
        } else if (pick < 10) {
            awaitOne();
        } else {
            delete();
        }
    }

    /**
     * A busy start (many commits, whose space H2 frees), the idle gap, then a few small acknowledged changes,
     * and the client ends: the kill follows the last at once. The first commits after H2's retention time are
     * the ones it used to put where a reopen after a kill did not look; a longer burst would push the newest
     * commits back to the end of the file, where a reopen finds them.
     */
    private void scriptedAroundAnIdleGap() throws IOException, InterruptedException {
        for (int i = 0; i < 4; i++) {
            create(true);
            upload();
        }
        delete();
        restore(true);
        for (Model.Exec e : running()) {
            awaitEnd(e);
        }
        Thread.sleep(idleGap.toMillis()); // the idle gap is the scenario
        delete();
        upload();
        create(false);
    }

    // ---------------------------------------------------------------- operations

    private void create(boolean await) throws IOException, InterruptedException {
        String id = prefix + "c" + next++;
        Model.Snap snap = model.snapshot(id);
        HttpResponse<String> r = api.tryCreate(id);
        if (r.statusCode() == 201) {
            Model.Exec e = model.execution(Api.field(r.body(), "id"), id, true);
            acked("create " + id);
            if (await) {
                awaitEnd(e);
            }
        } else if (r.statusCode() / 100 == 4) {
            snap.state = Model.State.ABSENT;
        }
    }

    private void upload() throws IOException, InterruptedException {
        String id = prefix + "u" + next++;
        Model.Snap snap = model.snapshot(id);
        HttpResponse<String> r = api.uploadFile(id, archive);
        if (r.statusCode() == 201) {
            JsonNode s = Api.json(r.body());
            snap.state = Model.State.UPLOADED;
            snap.size = s.path("archive_size").asLong();
            snap.sha256 = s.path("archive_sha256").asText();
            acked("upload " + id);
        } else if (r.statusCode() / 100 == 4) {
            snap.state = Model.State.ABSENT;
        }
    }

    private void delete() throws IOException, InterruptedException {
        List<Model.Snap> candidates = model.snapshots.values().stream()
                .filter(s -> s.hasArchive() || s.state == Model.State.FAILED).toList();
        if (candidates.isEmpty()) {
            return;
        }
        Model.Snap snap = candidates.get(random.nextInt(candidates.size()));
        Model.State before = snap.state;
        snap.deleteSent = true;
        snap.state = Model.State.UNKNOWN;
        HttpResponse<String> r = api.delete(snap.id);
        if (r.statusCode() == 200) {
            snap.state = Model.State.ABSENT;
            acked("delete " + snap.id);
        } else if (r.statusCode() / 100 == 4) {
            snap.state = before; // refused: an execution of it is running
        }
    }

    private void restore(boolean await) throws IOException, InterruptedException {
        List<Model.Snap> candidates = model.snapshots.values().stream().filter(Model.Snap::hasArchive).toList();
        if (candidates.isEmpty()) {
            return;
        }
        Model.Snap snap = candidates.get(random.nextInt(candidates.size()));
        HttpResponse<String> r = api.tryRestore(snap.id);
        if (r.statusCode() == 200) {
            Model.Exec e = model.execution(Api.field(r.body(), "id"), snap.id, false);
            acked("restore " + snap.id);
            if (await) {
                awaitEnd(e);
            }
        }
    }

    private void cancel() throws IOException, InterruptedException {
        List<Model.Exec> active = running();
        if (active.isEmpty()) {
            return;
        }
        Model.Exec e = active.get(active.size() - 1);
        HttpResponse<String> r = api.cancel(e.id);
        if (r.statusCode() == 200) {
            e.cancelAcknowledged = true;
            acked("cancel " + e.id.substring(0, 8) + " (" + (e.create ? "create " : "restore ") + e.snapshot + ")");
        }
    }

    private void awaitOne() throws IOException, InterruptedException {
        List<Model.Exec> active = running();
        if (!active.isEmpty()) {
            awaitEnd(active.get(random.nextInt(active.size())));
        }
    }

    private List<Model.Exec> running() {
        return model.executions.values().stream().filter(Predicate.not(e -> e.ended)).toList();
    }

    /** Polls {@code e} to its end and records what the end promises. */
    private void awaitEnd(Model.Exec e) throws IOException, InterruptedException {
        JsonNode end = api.awaitStatus(e.id, Model.END, EXECUTION_LIMIT);
        e.ended = true;
        if (end.path("status").asText().equals("terminated")) {
            e.seenTerminated = true;
            if (e.create) {
                JsonNode s = api.snapshot(e.snapshot).orElseThrow(
                        () -> new AssertionError("create " + e.id + " terminated without its snapshot"));
                Model.Snap snap = model.snapshot(e.snapshot);
                snap.state = Model.State.CREATED;
                snap.size = s.path("archive_size").asLong();
                snap.sha256 = s.path("archive_sha256").asText();
            }
        } else if (e.create) {
            model.snapshot(e.snapshot).state = Model.State.FAILED;
        }
    }

    /** Creates {@code id} and waits for it: the test's first snapshot, before any crash. */
    static void awaitCreated(Api api, Model model, String id) throws Exception {
        Model.Exec e = model.execution(api.create(id), id, true);
        JsonNode end = api.awaitStatus(e.id, Model.END, EXECUTION_LIMIT);
        if (!end.path("status").asText().equals("terminated")) {
            throw new AssertionError("the first create did not terminate: " + end);
        }
        e.ended = true;
        e.seenTerminated = true;
        JsonNode s = api.snapshot(id).orElseThrow();
        Model.Snap snap = model.snapshot(id);
        snap.state = Model.State.CREATED;
        snap.size = s.path("archive_size").asLong();
        snap.sha256 = s.path("archive_sha256").asText();
    }
}
