package io.snapkeep.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Progress that means something, against the packaged jar: a create of 1 GiB of poorly compressible files, a
 * restore of it, and an upload of its downloaded archive, each polled every 200 ms as a client would. The
 * figures must move forward, never go back, reach 100 % at the end, and the time left told at halfway must
 * be within 2x of the time it really took.
 */
class ProgressIT {
    private static final String PASSWORD = "it-admin-password";
    private static final int FILES = 256;
    private static final int FILE_BYTES = 4 << 20;
    private static final long TOTAL = (long) FILES * FILE_BYTES;
    private static final long POLL_MILLIS = 200;
    private static final Duration LIMIT = Duration.ofMinutes(3);

    @TempDir
    Path temp;

    /** One poll: when it was answered, the status, and the progress object. */
    record Sample(long nanos, String status, JsonNode progress) {
        long bytes() {
            return progress.get("bytes_done").asLong();
        }

        double share() {
            JsonNode total = progress.get("bytes_total");
            return total.isNull() || total.asLong() == 0 ? 0 : (double) bytes() / total.asLong();
        }
    }

    @Test
    void create_restore_and_upload_of_a_gibibyte_report_progress_a_poller_can_trust() throws Exception {
        Path data = Files.createDirectories(temp.resolve("data"));
        Path files = Files.createDirectories(data.resolve("resources").resolve("blobs"));
        writeBlobs(files);
        try (ServerProcess server = ServerProcess.start(data, Map.of("SNAPKEEP_ADMIN_PASSWORD", PASSWORD))) {
            Api api = new Api(server.uri(), PASSWORD);

            String create = api.create("big");
            List<Sample> created = pollExecution(api, create);
            Report c = check("create", created, "terminated");
            // The estimate is the files' bytes; the participants' index entries come on top, and the total grows
            // with them, so at the end what is done is the total.
            assertThat(created).filteredOn(x -> x.progress().get("bytes_total").isNumber()).first()
                    .satisfies(x -> assertThat(x.progress().get("bytes_total").asLong()).isEqualTo(TOTAL));
            assertThat(created).allSatisfy(x -> assertThat(x.bytes()).isLessThanOrEqualTo(
                    x.progress().get("bytes_total").isNumber() ? x.progress().get("bytes_total").asLong() : Long.MAX_VALUE));
            assertThat(last(created).progress().get("bytes_total").asLong()).isBetween(TOTAL, TOTAL + (1 << 20))
                    .isEqualTo(last(created).bytes());
            // Every file and each participant's index (the default configuration has more than one participant).
            long entries = last(created).progress().get("entries_done").asLong();
            assertThat(entries).isGreaterThan(FILES);
            assertThat(last(created).progress().get("entries_total").asLong()).isEqualTo(entries);
            assertThat(phases(api, create)).containsExactly("estimating", "writing", "committing");
            long archiveSize = Api.json(api.get("snapshots/big").body()).get("archive_size").asLong();
            assertThat(archiveSize).isGreaterThan(TOTAL);

            // Files gone, so the restore really brings them back.
            deleteBlobs(files);
            String restore = api.restore("big");
            List<Sample> restored = pollExecution(api, restore);
            Report r = check("restore", restored, "terminated");
            assertThat(last(restored).progress().get("bytes_total").asLong()).isEqualTo(archiveSize);
            assertThat(last(restored).progress().get("bytes_done").asLong()).isEqualTo(archiveSize);
            assertThat(last(restored).progress().get("entries_total").asLong()).isEqualTo(entries);
            assertThat(last(restored).progress().get("entries_done").asLong()).isEqualTo(entries);
            assertThat(phases(api, restore)).containsExactly("reading", "staging", "committing");
            try (Stream<Path> back = Files.list(files)) {
                assertThat(back.count()).isEqualTo(FILES);
            }

            Path archive = temp.resolve("big.zip");
            HttpResponse<InputStream> download = api.openDownload("big");
            Api.check(download, 200);
            try (InputStream in = download.body()) {
                Files.copy(in, archive);
            }
            assertThat(Files.size(archive)).isEqualTo(archiveSize);
            deleteBlobs(files);

            // Streamed from the file with its Content-Length, on a thread of its own while this one polls.
            // A client of its own: the shared one gives up on an answer after 60 s, and this one comes at the end.
            HttpRequest put = HttpRequest.newBuilder(server.uri().resolve("/api/v3.1/snapshots/copy/archive"))
                    .timeout(LIMIT).header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                            ("admin:" + PASSWORD).getBytes(StandardCharsets.UTF_8)))
                    .header("Content-Type", "application/zip")
                    .PUT(HttpRequest.BodyPublishers.ofFile(archive)).build();
            CompletableFuture<HttpResponse<String>> upload = HttpClient.newHttpClient()
                    .sendAsync(put, HttpResponse.BodyHandlers.ofString());
            List<Sample> uploaded = pollUpload(api, "copy", upload);
            Api.check(upload.get(), 201);
            Report u = check("upload", uploaded, "uploaded");
            assertThat(last(uploaded).progress().get("bytes_total").asLong()).isEqualTo(archiveSize);
            assertThat(last(uploaded).progress().get("entries_total").isNull()).isTrue();
            Files.delete(archive);

            System.out.println("ProgressIT figures (1 GiB): " + c + "; " + r + "; " + u);
        }
    }

    /** What one run showed: its length, the samples that moved, and the estimate at halfway against reality. */
    record Report(String what, double seconds, int moves, int samples, long etaAtHalf, double actualAtHalf) {
        @Override
        public String toString() {
            return String.format("%s %.1f s, %d of %d polls moved, ETA at halfway %d s vs %.1f s actual", what, seconds,
                    moves, samples, etaAtHalf, actualAtHalf);
        }
    }

    /**
     * The samples' promises: the exact shape, bytes never going back and moving at least 5 times, 100 % at
     * {@code endStatus}, and an ETA at the first sample past halfway within 2x of the time it really took
     * (counted to the first poll that saw the end, give or take one poll interval and the whole seconds of
     * the estimate).
     */
    private static Report check(String what, List<Sample> samples, String endStatus) {
        long previous = -1;
        int moves = 0;
        for (Sample s : samples) {
            assertThat(fieldNames(s.progress())).as(what).containsExactly("phase", "bytes_done", "bytes_total",
                    "entries_done", "entries_total", "percent", "bytes_per_second", "eta_seconds");
            assertThat(s.bytes()).as("%s: bytes never go back", what).isGreaterThanOrEqualTo(previous);
            if (previous >= 0 && s.bytes() > previous && !s.status().equals(endStatus)) {
                moves++;
            }
            previous = s.bytes();
        }
        assertThat(moves).as("%s: polls that saw the bytes move", what).isGreaterThanOrEqualTo(5);
        Sample end = last(samples);
        assertThat(end.status()).as(what).isEqualTo(endStatus);
        assertThat(end.progress().get("percent").asDouble()).as(what).isEqualTo(100.0);
        assertThat(end.progress().get("phase").asText()).as(what).isEqualTo("done");
        for (Sample s : samples.subList(0, samples.size() - 1)) {
            JsonNode percent = s.progress().get("percent");
            assertThat(percent.isNull() || percent.asDouble() < 100).as("%s: 100 %% only at the end", what).isTrue();
        }

        Sample half = samples.stream().filter(s -> s.share() > 0.5 && !s.status().equals(endStatus)
                && !s.progress().get("eta_seconds").isNull()).findFirst()
                .orElseThrow(() -> new AssertionError(what + ": no estimate past halfway in " + samples));
        long eta = half.progress().get("eta_seconds").asLong();
        double actual = (end.nanos() - half.nanos()) / 1e9;
        double slack = POLL_MILLIS / 1000.0 + 1;
        assertThat((double) eta).as("%s: ETA %d s at %.0f %% vs %.1f s actual", what, eta, half.share() * 100, actual)
                .isBetween(actual / 2 - slack, actual * 2 + slack);
        double seconds = (end.nanos() - samples.get(0).nanos()) / 1e9;
        StringBuilder trace = new StringBuilder(what + " trace (s, MiB, MiB/s, eta s):");
        for (Sample s : samples) {
            trace.append(String.format(" [%.1f %d %s %s]", (s.nanos() - samples.get(0).nanos()) / 1e9, s.bytes() >> 20,
                    s.progress().get("bytes_per_second").isNull() ? "-" : s.progress().get("bytes_per_second").asLong() >> 20,
                    s.progress().get("eta_seconds").asText()));
        }
        System.out.println(trace);
        return new Report(what, seconds, moves, samples.size(), eta, actual);
    }

    private static List<Sample> pollExecution(Api api, String id) throws Exception {
        List<Sample> samples = new ArrayList<>();
        long deadline = System.nanoTime() + LIMIT.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode e = api.execution(id).orElseThrow();
            samples.add(new Sample(System.nanoTime(), e.get("status").asText(), e.get("progress")));
            if (Api.END.contains(e.get("status").asText())) {
                assertThat(e.get("status").asText()).as("%s", e).isEqualTo("terminated");
                // Cloudify's own figures are still there, alike.
                assertThat(e.get("finished_operations").asLong()).isEqualTo(e.get("progress").get("entries_done")
                        .asLong());
                return samples;
            }
            Thread.sleep(POLL_MILLIS);
        }
        throw new AssertionError("execution " + id + " did not end within " + LIMIT);
    }

    private static List<Sample> pollUpload(Api api, String id, CompletableFuture<HttpResponse<String>> upload)
            throws Exception {
        List<Sample> samples = new ArrayList<>();
        long deadline = System.nanoTime() + LIMIT.toNanos();
        while (System.nanoTime() < deadline) {
            var s = api.snapshot(id);
            if (s.isPresent() && !s.get().get("progress").isNull()) {
                String status = s.get().get("status").asText();
                samples.add(new Sample(System.nanoTime(), status, s.get().get("progress")));
                if (!status.equals("uploading")) {
                    return samples;
                }
            } else if (upload.isDone()) {
                throw new AssertionError("the upload ended without a snapshot: " + upload.get().body());
            }
            Thread.sleep(POLL_MILLIS);
        }
        throw new AssertionError("upload " + id + " did not end within " + LIMIT);
    }

    /** The phases named in an execution's events, in order. */
    private static List<String> phases(Api api, String execution) throws Exception {
        JsonNode events = Api.json(api.get("events?execution_id=" + execution + "&_size=10000").body());
        List<String> phases = new ArrayList<>();
        events.get("items").forEach(e -> {
            String m = e.get("message").asText();
            if (m.startsWith("Phase: ")) {
                phases.add(m.substring("Phase: ".length()).split(" ")[0]);
            }
        });
        return phases;
    }

    private static void writeBlobs(Path dir) throws IOException {
        byte[] chunk = new byte[FILE_BYTES];
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < FILES; i++) {
            random.nextBytes(chunk);
            try (OutputStream out = Files.newOutputStream(dir.resolve(String.format("blob-%03d.bin", i)))) {
                out.write(chunk);
            }
        }
    }

    private static void deleteBlobs(Path dir) throws IOException {
        try (Stream<Path> blobs = Files.list(dir)) {
            for (Path p : blobs.toList()) {
                Files.delete(p);
            }
        }
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static Sample last(List<Sample> samples) {
        return samples.get(samples.size() - 1);
    }
}
