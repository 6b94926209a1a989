package io.snapkeep.participants.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snapkeep.core.domain.StateCategory;
import io.snapkeep.core.error.InvalidArchiveException;
import io.snapkeep.core.port.out.StateParticipant;
import io.snapkeep.core.port.out.StateParticipant.Entry;
import io.snapkeep.core.port.out.StateParticipant.EntrySource;
import io.snapkeep.core.port.out.StateParticipant.RestorePlan;
import io.snapkeep.core.port.out.StateParticipantContract;
import io.snapkeep.core.support.FileTrees;
import io.snapkeep.core.testing.Poll;
import io.snapkeep.core.testing.Exports;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The contract suite on a directory under a temporary directory, then what is particular to directories. */
class DirectoryParticipantTest extends StateParticipantContract {
    @TempDir
    Path base;
    private Path live;

    @Override
    protected StateParticipant newParticipant() {
        live = base.resolve("resources");
        return new DirectoryParticipant("resources", StateCategory.STATE, live);
    }

    @Override
    protected void writeSampleState(int variant) throws IOException {
        if (variant == 1) {
            FileTrees.deleteTree(live);
            buildSampleTree(live);
        } else {
            replaceWithOtherTree(live);
        }
    }

    @Override
    protected Object liveState() throws IOException {
        return Files.exists(live, LinkOption.NOFOLLOW_LINKS) ? describe(live) : Map.of();
    }

    /** One file of {@code size} bytes under a directory, with the index an export of that tree writes. */
    @Override
    protected List<TestEntry> exportHoldingLargeValue(long size) {
        String index = line("", "dir", "0755", "2024-05-01T10:00:00Z", 0)
                + line("big", "dir", "0700", "2024-05-01T10:00:01.500Z", 0)
                + line("big/large.bin", "file", "0640", "2024-05-01T10:00:02.123456789Z", size);
        return List.of(TestEntry.of("tree.jsonl", index),
                new TestEntry("files/big/large.bin", () -> generated(11, size)));
    }

    /** An index line as an export writes it. */
    private static String line(String path, String type, String mode, String mtime, long size) {
        return "{\"path\":\"" + path + "\",\"type\":\"" + type + "\",\"mode\":\"" + mode + "\",\"mtime\":\"" + mtime
                + "\",\"size\":" + size + "}\n";
    }

    @Override
    protected Map<String, List<TestEntry>> malformedExports(List<TestEntry> valid) {
        Map<String, List<TestEntry>> cases = new LinkedHashMap<>();
        cases.put("an index that is not JSON", withIndex(valid, "not json\n"));
        cases.put("an index line of an unknown type", withIndexLine(valid, "{\"path\":\"x\",\"type\":\"socket\"}"));
        cases.put("a link without a target", withIndexLine(valid, "{\"path\":\"x\",\"type\":\"link\"}"));
        cases.put("a link with an empty target", withIndexLine(valid, link("x", "")));
        cases.put("a link with a mode", withIndexLine(valid,
                "{\"path\":\"x\",\"type\":\"link\",\"mode\":\"0777\",\"target\":\"a.txt\"}"));
        cases.put("a target on a directory", withIndexLine(valid, "{\"path\":\"x\",\"type\":\"dir\",\"target\":\"a.txt\"}"));
        cases.put("a link to an absolute path", withIndexLine(valid, link("x", "/etc/passwd")));
        cases.put("a link that leaves the tree", withIndexLine(valid, link("x", "../outside")));
        cases.put("a link that leaves the tree from below", withIndexLine(valid, link("nested/x", "../../outside")));
        cases.put("a link that climbs out of another link",
                withIndexLine(valid, link("nested/up", "..") + "\n" + link("x", "nested/up/..")));
        cases.put("a link with a backslash", withIndexLine(valid, link("x", "..\\\\..\\\\outside")));
        cases.put("an index path under a link",
                withIndexLine(valid, link("x", "nested") + "\n{\"path\":\"x/y\",\"type\":\"dir\"}"));
        cases.put("an index line without a path", withIndexLine(valid, "{\"type\":\"dir\"}"));
        cases.put("an index line with an unknown field",
                withIndexLine(valid, "{\"path\":\"x\",\"type\":\"dir\",\"owner\":0}"));
        cases.put("a mode that is not octal", withATxtLine(valid, "\"mode\":\"\\d+\"", "\"mode\":\"0999\""));
        cases.put("a mode past 0777", withATxtLine(valid, "\"mode\":\"\\d+\"", "\"mode\":\"4755\""));
        cases.put("a time that is not a time", withATxtLine(valid, "\"mtime\":\"[^\"]+\"", "\"mtime\":\"yesterday\""));
        cases.put("a negative size", withATxtLine(valid, "\"size\":\\d+", "\"size\":-1"));
        cases.put("a path listed twice", withATxtLine(valid, "^(.*)$", "$1\n$1"));
        cases.put("an index path that leaves the tree", withIndexLine(valid, "{\"path\":\"../up\",\"type\":\"dir\"}"));
        cases.put("an index path under a file", withIndexLine(valid, "{\"path\":\"a.txt/x\",\"type\":\"dir\"}"));
        cases.put("the root listed as a file", withIndexLine(valid, "{\"path\":\"\",\"type\":\"file\"}"));
        cases.put("no index", valid.subList(1, valid.size()));
        cases.put("two indexes", with(valid, valid.get(0)));
        cases.put("a file the index does not list", with(valid, TestEntry.of("files/extra.txt", "extra")));
        cases.put("a file under a file", with(valid, TestEntry.of("files/a.txt/inner", "x")));
        cases.put("a file where a directory is", with(valid, TestEntry.of("files/nested", "x")));
        cases.put("a file path that leaves the tree", with(valid, TestEntry.of("files/../escaped", "x")));
        cases.put("an entry outside files/", with(valid, TestEntry.of("other/thing", "x")));
        List<TestEntry> resized = new ArrayList<>(valid);
        resized.replaceAll(e -> e.path().equals("files/a.txt") ? TestEntry.of(e.path(), "different length") : e);
        cases.put("a file of another size than its index line", resized);
        return cases;
    }

    /** An index line of a link as an export writes it, without its time. */
    private static String link(String path, String target) {
        return "{\"path\":\"" + path + "\",\"type\":\"link\",\"size\":0,\"target\":\"" + target + "\"}";
    }

    private static List<TestEntry> withIndex(List<TestEntry> valid, String index) {
        assertThat(valid.get(0).path()).isEqualTo("tree.jsonl");
        List<TestEntry> entries = new ArrayList<>(valid);
        entries.set(0, TestEntry.of("tree.jsonl", index));
        return entries;
    }

    private static List<TestEntry> withIndexLine(List<TestEntry> valid, String line) {
        return withIndex(valid, new String(valid.get(0).bytes(), StandardCharsets.UTF_8) + line + "\n");
    }

    /** The index with the first match of {@code regex} in the line of {@code a.txt} replaced. */
    private static List<TestEntry> withATxtLine(List<TestEntry> valid, String regex, String replacement) {
        String index = new String(valid.get(0).bytes(), StandardCharsets.UTF_8);
        String aTxt = index.lines().filter(l -> l.contains("\"path\":\"a.txt\"")).findFirst().orElseThrow();
        return withIndex(valid, index.replace(aTxt, aTxt.replaceFirst(regex, replacement)));
    }

    private static List<TestEntry> with(List<TestEntry> valid, TestEntry extra) {
        List<TestEntry> entries = new ArrayList<>(valid);
        entries.add(extra);
        return entries;
    }

    // ---------------------------------------------------------------- particular to directories

    @Test
    void roundTripKeepsBytesModesMtimesEmptyAndNestedDirectoriesAndUnicodeNames() throws IOException {
        buildSampleTree(live);
        Map<String, String> before = describe(live);

        Map<String, byte[]> archive = export();
        assertThat(archive.keySet()).first().isEqualTo("tree.jsonl");
        assertThat(archive).containsKeys("files/a.txt", "files/nested/deeper/ünïcødé 文件.bin", "files/secret.key");
        assertThat(participant.plannedEntries()).isEqualTo(archive.size());
        // The bytes estimate is the files' bytes: everything but the index.
        long fileBytes = archive.entrySet().stream().filter(e -> !e.getKey().equals("tree.jsonl"))
                .mapToLong(e -> e.getValue().length).sum();
        assertThat(fileBytes).isPositive();
        assertThat(participant.plannedBytes()).isEqualTo(fileBytes);

        replaceWithOtherTree(live);
        RestorePlan plan = participant.prepareRestore(source(archive));
        assertThat(Files.readString(live.resolve("other.txt"))).as("prepare leaves the live tree").isEqualTo("other");
        plan.commit();
        plan.release();

        assertThat(describe(live)).isEqualTo(before);
        // The old tree is deleted in the background once released.
        Poll.until(this::siblingsNow, List.of("resources")::equals, Duration.ofSeconds(30));
        assertThat(siblings()).as("nothing left beside the live tree").containsExactly("resources");
    }

    @Test
    void exportIsDeterministic() throws IOException {
        buildSampleTree(live);
        Map<String, byte[]> first = export();
        Map<String, byte[]> second = export();
        assertThat(second.keySet()).containsExactlyElementsOf(first.keySet());
        assertThat(second.get("tree.jsonl")).isEqualTo(first.get("tree.jsonl"));
    }

    @Test
    void rollbackAfterCommitLeavesTheOldTreeExactly() throws IOException {
        buildSampleTree(live);
        Map<String, byte[]> archive = export();
        replaceWithOtherTree(live);
        Map<String, String> before = describe(live);

        RestorePlan plan = participant.prepareRestore(source(archive));
        plan.commit();
        assertThat(live.resolve("a.txt")).exists();
        plan.rollback();
        plan.rollback();

        assertThat(describe(live)).isEqualTo(before);
        assertThat(siblings()).containsExactly("resources");
    }

    @Test
    void rollbackBeforeCommitLeavesTheOldTreeExactly() throws IOException {
        buildSampleTree(live);
        Map<String, byte[]> archive = export();
        replaceWithOtherTree(live);
        Map<String, String> before = describe(live);

        participant.prepareRestore(source(archive)).rollback();

        assertThat(describe(live)).isEqualTo(before);
        assertThat(siblings()).containsExactly("resources");
    }

    @Test
    void restoreCreatesAMissingLiveDirectoryAndRollbackRemovesItAgain() throws IOException {
        buildSampleTree(live);
        Map<String, byte[]> archive = export();
        DirectoryParticipant elsewhere = new DirectoryParticipant("other", StateCategory.STATE,
                base.resolve("not/yet/there"));
        assertThat(elsewhere.isEmpty()).isTrue();

        RestorePlan plan = elsewhere.prepareRestore(source(archive));
        plan.commit();
        assertThat(describe(base.resolve("not/yet/there"))).isEqualTo(describe(live));
        plan.rollback();
        assertThat(base.resolve("not/yet/there")).doesNotExist();
    }

    @Test
    void pathTraversalEntriesAreRefusedAndNothingIsWrittenOutside() throws IOException {
        buildSampleTree(live);
        Map<String, byte[]> good = export();
        replaceWithOtherTree(live);
        Map<String, String> before = describe(live);
        for (String evil : List.of("files/../escaped", "files/a/../../escaped", "files//etc/passwd",
                "files/a\\..\\escaped", "files/./x", "files/")) {
            Map<String, byte[]> archive = new LinkedHashMap<>(good);
            archive.put(evil, "pwned".getBytes(StandardCharsets.UTF_8));

            assertThatThrownBy(() -> participant.prepareRestore(source(archive)))
                    .as(evil).isInstanceOf(InvalidArchiveException.class).hasMessageContaining("Refusing archive path");
        }
        Map<String, byte[]> evilIndex = new LinkedHashMap<>(good);
        evilIndex.put("tree.jsonl", "{\"path\":\"../up\",\"type\":\"dir\"}\n".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> participant.prepareRestore(source(evilIndex)))
                .isInstanceOf(InvalidArchiveException.class).hasMessageContaining("Refusing archive path");

        assertThat(describe(live)).isEqualTo(before);
        assertThat(siblings()).containsExactly("resources");
        try (Stream<Path> all = Files.walk(base.getParent(), 1)) {
            assertThat(all.map(p -> p.getFileName().toString())).doesNotContain("escaped", "up");
        }
    }

    @Test
    void entriesThatDisagreeWithTheIndexAreRefused() throws IOException {
        buildSampleTree(live);
        Map<String, byte[]> archive = export();
        archive.put("files/a.txt", "different length".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> participant.prepareRestore(source(archive)))
                .isInstanceOf(InvalidArchiveException.class).hasMessageContaining("a.txt");

        Map<String, byte[]> noIndex = export();
        noIndex.remove("tree.jsonl");
        assertThatThrownBy(() -> participant.prepareRestore(source(noIndex)))
                .isInstanceOf(InvalidArchiveException.class).hasMessageContaining("tree.jsonl");
        assertThat(siblings()).containsExactly("resources");
    }

    @Test
    void aRestoreThatFillsTheDiskNamesTheParticipantAndThePath() throws Exception {
        Path small = Files.createDirectory(base.resolve("small"));
        try (SmallDisk disk = SmallDisk.mount(small, "256k")) {
            Path into = small.resolve("resources");
            DirectoryParticipant full = new DirectoryParticipant("resources", StateCategory.STATE, into);
            Map<String, byte[]> big = Map.of(TreeIndex.ENTRY, index("big.bin", 2 << 20), "files/big.bin",
                    new byte[2 << 20]);
            assertThatThrownBy(() -> full.prepareRestore(source(ordered(big))))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("Participant `resources` ran out of disk space")
                    .hasMessageContaining(small.toString()).hasMessageContaining("big.bin")
                    .hasMessageContaining("no space left on device");

            Map<String, byte[]> many = new LinkedHashMap<>();
            StringBuilder lines = new StringBuilder();
            for (int i = 0; i < 8; i++) {
                lines.append(indexLine("f" + i + ".bin", 100_000));
            }
            many.put(TreeIndex.ENTRY, (rootLine() + lines).getBytes(StandardCharsets.UTF_8));
            for (int i = 0; i < 8; i++) {
                many.put("files/f" + i + ".bin", new byte[100_000]);
            }
            assertThatThrownBy(() -> full.prepareRestore(source(many)))
                    .as("small files, written in the background").isInstanceOf(IOException.class)
                    .hasMessageContaining("Participant `resources` ran out of disk space")
                    .hasMessageContaining(small.toString()).hasMessageContaining(".bin")
                    .hasMessageContaining("no space left on device");
            try (Stream<Path> left = Files.list(small)) {
                assertThat(left).as("no staging left behind").isEmpty();
            }
        }
    }

    private static Map<String, byte[]> ordered(Map<String, byte[]> entries) {
        Map<String, byte[]> inOrder = new LinkedHashMap<>();
        inOrder.put(TreeIndex.ENTRY, entries.get(TreeIndex.ENTRY));
        entries.forEach(inOrder::putIfAbsent);
        return inOrder;
    }

    private static byte[] index(String file, long size) {
        return (rootLine() + indexLine(file, size)).getBytes(StandardCharsets.UTF_8);
    }

    private static String rootLine() {
        return "{\"path\":\"\",\"type\":\"dir\"}\n";
    }

    private static String indexLine(String file, long size) {
        return "{\"path\":\"" + file + "\",\"type\":\"file\",\"size\":" + size + "}\n";
    }

    @Test
    void roundTripKeepsSymbolicLinksAsLinksWithTheirTargetText() throws IOException {
        Files.createDirectories(live.resolve("dir/sub"));
        Files.writeString(live.resolve("dir/file.txt"), "linked to");
        Files.createSymbolicLink(live.resolve("to-file"), Path.of("dir/file.txt"));
        Files.createSymbolicLink(live.resolve("to-dir"), Path.of("dir"));
        Files.createSymbolicLink(live.resolve("dangling"), Path.of("not/there"));
        Files.createSymbolicLink(live.resolve("dir/sub/up-and-over"), Path.of("../../dir/./file.txt"));
        Files.createSymbolicLink(live.resolve("dir/to-root"), Path.of(".."));
        Map<String, String> before = describe(live);
        assertThat(before).containsEntry("to-file", "link:dir/file.txt").containsEntry("dangling", "link:not/there");

        Map<String, byte[]> archive = export();
        assertThat(archive).as("a link's content is not captured").containsOnlyKeys("tree.jsonl", "files/dir/file.txt");
        assertThat(new String(archive.get("tree.jsonl"), StandardCharsets.UTF_8))
                .contains("{\"path\":\"to-dir\",\"type\":\"link\",\"mtime\":\"")
                .contains("\"size\":0,\"target\":\"dir\"}");

        replaceWithOtherTree(live);
        RestorePlan plan = participant.prepareRestore(source(archive));
        plan.commit();
        plan.release();

        assertThat(describe(live)).isEqualTo(before);
        assertThat(Files.isSymbolicLink(live.resolve("to-dir"))).isTrue();
        assertThat(Files.readString(live.resolve("to-file"))).isEqualTo("linked to");
        assertThat(participant.isEmpty()).isFalse();
    }

    @Test
    void replacingATreeRemovesItsLinksNeverWhatTheyPointTo() throws IOException {
        Path outside = Files.createDirectories(base.resolve("outside"));
        Files.writeString(outside.resolve("kept.txt"), "kept");
        buildSampleTree(live);
        Map<String, byte[]> archive = export();
        Files.createSymbolicLink(live.resolve("absolute"), outside);
        Files.createSymbolicLink(live.resolve("nested/relative"), Path.of("../../outside"));

        RestorePlan plan = participant.prepareRestore(source(archive));
        plan.commit();
        plan.release();

        Poll.until(this::siblingsNow, List.of("outside", "resources")::equals, Duration.ofSeconds(30));
        assertThat(live.resolve("absolute")).doesNotExist();
        assertThat(Files.readString(outside.resolve("kept.txt"))).isEqualTo("kept");
        try (Stream<Path> left = Files.list(outside)) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactly("kept.txt");
        }
    }

    @Test
    void aTreeOfLinksOnlyIsNotEmpty() throws IOException {
        Files.createDirectories(live);
        Files.createSymbolicLink(live.resolve("dangling"), Path.of("nowhere"));
        assertThat(participant.isEmpty()).as("a restore over it would delete the link").isFalse();
    }

    @Test
    void createNeverFollowsALinkOutOfTheTreeAndSkipsLinksThatLeadOutside() throws IOException {
        Path outside = Files.createDirectories(base.resolve("outside"));
        Files.writeString(outside.resolve("secret.txt"), "outside secret");
        Files.createDirectories(live.resolve("sub"));
        Files.writeString(live.resolve("real.txt"), "real");
        Files.createSymbolicLink(live.resolve("absolute"), outside);
        Files.createSymbolicLink(live.resolve("relative"), Path.of("../outside"));
        Files.createSymbolicLink(live.resolve("sub/deeper"), Path.of("../../outside/secret.txt"));
        Files.createSymbolicLink(live.resolve("sub/etc"), Path.of("/etc/passwd"));
        Files.createSymbolicLink(live.resolve("sub/up"), Path.of(".."));
        Files.createSymbolicLink(live.resolve("out-through-up"), Path.of("sub/up/../outside"));

        Map<String, byte[]> archive = export();

        assertThat(archive).containsOnlyKeys("tree.jsonl", "files/real.txt");
        String index = new String(archive.get("tree.jsonl"), StandardCharsets.UTF_8);
        assertThat(index).contains("\"path\":\"sub/up\"").doesNotContain("outside", "absolute", "etc", "secret");
        for (byte[] content : archive.values()) {
            assertThat(new String(content, StandardCharsets.UTF_8)).doesNotContain("outside secret");
        }
        assertThat(participant.plannedEntries()).isEqualTo(archive.size());
    }

    @Test
    void aRestoreRefusesLinksThatLeadOutsideAndChangesNothing() throws IOException {
        Path outside = Files.createDirectories(base.resolve("outside"));
        buildSampleTree(live);
        Map<String, byte[]> good = export();
        replaceWithOtherTree(live);
        Map<String, String> before = describe(live);
        Map<String, String> bad = new LinkedHashMap<>();
        bad.put("../outside", link("escape", "../outside"));
        bad.put("/etc/passwd", link("passwd", "/etc/passwd"));
        bad.put("an absolute path inside", link("self", live.resolve("a.txt").toString()));
        bad.put("up from below", link("nested/deeper/x", "../../../outside"));
        bad.put("up through a link", link("nested/to-root", "..") + "\n" + link("y", "nested/to-root/../outside"));
        for (Map.Entry<String, String> evil : bad.entrySet()) {
            Map<String, byte[]> archive = new LinkedHashMap<>(good);
            archive.put("tree.jsonl", (new String(good.get("tree.jsonl"), StandardCharsets.UTF_8) + evil.getValue()
                    + "\n").getBytes(StandardCharsets.UTF_8));

            assertThatThrownBy(() -> participant.prepareRestore(source(archive)))
                    .as(evil.getKey()).isInstanceOf(InvalidArchiveException.class)
                    .hasMessageContaining("symbolic link").hasMessageContaining("a restore refuses");
        }
        assertThat(describe(live)).isEqualTo(before);
        assertThat(siblings()).containsExactly("outside", "resources");
        try (Stream<Path> left = Files.list(outside)) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void isEmptyWhenMissingOrWithoutFiles() throws IOException {
        assertThat(participant.isEmpty()).isTrue();
        Files.createDirectories(live.resolve("empty/dirs/only"));
        assertThat(participant.isEmpty()).isTrue();
        Files.writeString(live.resolve("empty/file"), "");
        assertThat(participant.isEmpty()).isFalse();
    }

    @Test
    void recoveryUndoesARestoreCutOffAfterItsCommit() throws IOException {
        buildSampleTree(live);
        Map<String, byte[]> archive = export();
        replaceWithOtherTree(live);
        Map<String, String> before = describe(live);
        participant.prepareRestore(source(archive)).commit();
        assertThat(describe(live)).isNotEqualTo(before);

        // The process dies here; the next one recovers, told that a restore was interrupted.
        new DirectoryParticipant("resources", StateCategory.STATE, live).recover(true);
        assertThat(describe(live)).isEqualTo(before);
        assertThat(siblings()).as("nothing left beside the live tree").containsExactly("resources");
    }

    @Test
    void recoveryAfterAFinishedRestoreOnlyRemovesWhatItLeft() throws IOException {
        buildSampleTree(live);
        Map<String, byte[]> archive = export();
        Map<String, String> snapshot = describe(live);
        replaceWithOtherTree(live);
        participant.prepareRestore(source(archive)).commit();
        // The restore ended; the process died while deleting the old tree.
        new DirectoryParticipant("resources", StateCategory.STATE, live).recover(false);
        assertThat(describe(live)).isEqualTo(snapshot);
        assertThat(siblings()).as("nothing left beside the live tree").containsExactly("resources");
    }

    @Test
    void recoveryRemovesATreeRestoredWhereThereWasNone() throws IOException {
        buildSampleTree(live);
        Map<String, byte[]> archive = export();
        FileTrees.deleteTree(live);
        participant.prepareRestore(source(archive)).commit();
        assertThat(live).isDirectory();
        new DirectoryParticipant("resources", StateCategory.STATE, live).recover(true);
        assertThat(live).doesNotExist();
        assertThat(siblings()).isEmpty();
    }

    @Test
    void recoveryRemovesTrashAReleaseDidNotFinishDeleting() throws IOException {
        buildSampleTree(live);
        Map<String, String> before = describe(live);
        Path trash = Files.createDirectories(live.resolveSibling("resources.trash-00112233aabb").resolve("x"));
        Files.writeString(trash.resolve("f"), "old");
        new DirectoryParticipant("resources", StateCategory.STATE, live).recover(true);
        assertThat(describe(live)).as("trash is never put back").isEqualTo(before);
        assertThat(siblings()).containsExactly("resources");
    }

    @Test
    void recoveryPutsBackATreeMovedAsideJustBeforeTheCrash() throws IOException {
        buildSampleTree(live);
        Map<String, String> before = describe(live);
        // The commit's first rename happened, the second did not.
        Files.move(live, live.resolveSibling("resources.old-0123456789ab"));
        Files.createDirectory(live.resolveSibling("resources.restore-ba9876543210"));
        new DirectoryParticipant("resources", StateCategory.STATE, live).recover(true);
        assertThat(describe(live)).isEqualTo(before);
        assertThat(siblings()).as("nothing left beside the live tree").containsExactly("resources");
    }

    @Test
    void aRestoreForcesEveryFileAndDirectoryAfterItsLastChangeBeforeTheSwapAndTheSwapAfter() throws IOException {
        buildSampleTree(live);
        Files.write(live.resolve("nested/big.bin"), generatedBytes(BackgroundWrites.SMALL_FILE + 12345));
        Files.setLastModifiedTime(live.resolve("nested/big.bin"), FileTime.fromMillis(1_600_000_000_000L));
        Map<String, byte[]> archive = export();
        // The export's order (index first), and the index last: files written before their index line is known.
        Map<String, byte[]> indexLast = new LinkedHashMap<>(archive);
        indexLast.put(TreeIndex.ENTRY, indexLast.remove(TreeIndex.ENTRY));
        for (Map<String, byte[]> entries : List.of(archive, indexLast)) {
            Path into = base.resolve("restored");
            FileTrees.deleteTree(into);
            Forces forces = new Forces(into);
            DirectoryParticipant restoring = new DirectoryParticipant("restored", StateCategory.STATE, into, forces);

            RestorePlan plan = restoring.prepareRestore(source(entries));
            Path staging;
            try (Stream<Path> s = Files.list(base)) {
                staging = s.filter(p -> p.getFileName().toString().startsWith("restored.restore-")).findFirst().orElseThrow();
            }
            Map<String, String> files = new TreeMap<>();
            Map<String, String> dirs = new TreeMap<>();
            try (Stream<Path> all = Files.walk(staging)) {
                for (Path p : all.toList()) {
                    if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                        dirs.put(staging.relativize(p).toString(), Forces.state(p));
                    } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                        files.put(staging.relativize(p).toString(), Forces.state(p));
                    }
                }
            }
            assertThat(files).containsKeys("a.txt", "secret.key", "empty.txt", "nested/big.bin");
            assertThat(forces.files(staging)).as("each file forced once, with its bytes, time and mode as restored")
                    .isEqualTo(files);
            assertThat(forces.directories(staging)).as("each directory forced once, after its last change")
                    .isEqualTo(dirs);
            assertThat(forces.count()).isEqualTo(files.size() + dirs.size());

            plan.commit();
            assertThat(forces.parentForcedWithTheTreeLive).as("the parent forced once the renames are done").isEqualTo(1);
            assertThat(forces.count()).isEqualTo(files.size() + dirs.size() + 1);
            plan.rollback();
            assertThat(forces.parentForcedWithTheTreeLive + forces.parentForcedWithoutIt)
                    .as("a rollback's renames forced too").isEqualTo(2);
        }
    }

    @Test
    void aRestoreThatMakesTheParentsOfTheLiveTreeForcesTheDirectoriesThatGainedOne() throws IOException {
        buildSampleTree(live);
        Map<String, byte[]> archive = export();
        Path into = base.resolve("not/yet/there");
        Forces forces = new Forces(into);
        new DirectoryParticipant("other", StateCategory.STATE, into, forces).prepareRestore(source(archive)).commit();
        assertThat(forces.directories(base)).containsKeys("", "not");
        assertThat(forces.parentForcedWithTheTreeLive).isEqualTo(1);
    }

    private static byte[] generatedBytes(int size) {
        byte[] bytes = new byte[size];
        new java.util.Random(5).nextBytes(bytes);
        return bytes;
    }

    /** Records every force, with the state of what was forced at that moment. */
    private static final class Forces implements Durable {
        private final Path live;
        private final Map<Path, String> files = new java.util.concurrent.ConcurrentHashMap<>();
        private final Map<Path, String> dirs = new java.util.concurrent.ConcurrentHashMap<>();
        private final java.util.concurrent.atomic.AtomicInteger count = new java.util.concurrent.atomic.AtomicInteger();
        volatile int parentForcedWithTheTreeLive;
        volatile int parentForcedWithoutIt;

        Forces(Path live) {
            this.live = live;
        }

        @Override
        public void file(java.nio.channels.FileChannel channel, Path path) throws IOException {
            count.incrementAndGet();
            assertThat(files.put(path, state(path))).as("forced twice: " + path).isNull();
            Durable.FSYNC.file(channel, path);
        }

        @Override
        public synchronized void directory(Path dir) throws IOException {
            count.incrementAndGet();
            if (dir.equals(live.getParent())) {
                if (Files.exists(live, LinkOption.NOFOLLOW_LINKS)) {
                    parentForcedWithTheTreeLive++;
                } else {
                    parentForcedWithoutIt++;
                }
            } else {
                assertThat(dirs.put(dir, state(dir))).as("forced twice: " + dir).isNull();
            }
            Durable.FSYNC.directory(dir);
        }

        int count() {
            return count.get();
        }

        Map<String, String> files(Path staging) {
            return relative(files, staging);
        }

        Map<String, String> directories(Path staging) {
            return relative(dirs, staging);
        }

        private static Map<String, String> relative(Map<Path, String> forced, Path staging) {
            Map<String, String> out = new TreeMap<>();
            forced.forEach((p, state) -> out.put(staging.relativize(p).toString(), state));
            return out;
        }

        static String state(Path p) throws IOException {
            return Files.size(p) + " " + PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS))
                    + " " + Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS);
        }
    }

    private void buildSampleTree(Path root) throws IOException {
        Files.createDirectories(root.resolve("nested/deeper"));
        Files.createDirectories(root.resolve("empty-dir"));
        Files.createDirectories(root.resolve("locked-dir"));
        Files.writeString(root.resolve("a.txt"), "hello\n");
        Files.write(root.resolve("nested/deeper/ünïcødé 文件.bin"), new byte[] {0, 1, 2, (byte) 255});
        Files.writeString(root.resolve("secret.key"), "k");
        Files.writeString(root.resolve("locked-dir/inside.txt"), "inside");
        Files.writeString(root.resolve("empty.txt"), "");
        Files.setPosixFilePermissions(root.resolve("secret.key"), PosixFilePermissions.fromString("r--------"));
        Files.setPosixFilePermissions(root.resolve("a.txt"), PosixFilePermissions.fromString("rwxr-x---"));
        Files.setPosixFilePermissions(root.resolve("empty-dir"), PosixFilePermissions.fromString("rwx------"));
        Files.createSymbolicLink(root.resolve("link-to-file"), Path.of("a.txt"));
        Files.createSymbolicLink(root.resolve("nested/link-to-dir"), Path.of("../empty-dir"));
        Files.createSymbolicLink(root.resolve("nested/deeper/dangling"), Path.of("../../not-there"));
        Files.setPosixFilePermissions(root.resolve("locked-dir"), PosixFilePermissions.fromString("r-x------"));
        long t = Instant.parse("2021-03-04T05:06:07.123456789Z").toEpochMilli();
        int i = 0;
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.sorted((x, y) -> y.compareTo(x)).toList()) {
                Files.getFileAttributeView(p, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                        .setTimes(FileTime.fromMillis(t + 1000L * i++), null, null);
            }
        }
    }

    private static void replaceWithOtherTree(Path root) throws IOException {
        FileTrees.deleteTree(root);
        Files.createDirectories(root.resolve("other-dir"));
        Files.writeString(root.resolve("other.txt"), "other");
        Files.setLastModifiedTime(root.resolve("other.txt"), FileTime.fromMillis(1_000_000_000_000L));
    }

    /**
     * Every path under {@code root} with its type, mode, mtime and content, or, for a symbolic link, its
     * target text (never followed): equal maps mean equal trees.
     */
    private static Map<String, String> describe(Path root) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.toList()) {
                if (Files.isSymbolicLink(p)) {
                    out.put(root.relativize(p).toString(), "link:" + Files.readSymbolicLink(p));
                    // A link's own time is set to the microsecond (the JDK sets it by lutimes).
                    out.put(root.relativize(p) + " (link time)", Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS)
                            .toInstant().truncatedTo(ChronoUnit.MICROS).toString());
                    continue;
                }
                String mode = PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
                String mtime = Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS).toString();
                String content = Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) ? "dir"
                        : "file:" + java.util.HexFormat.of().formatHex(readOwnerReadable(p));
                out.put(root.relativize(p).toString(), content + " " + mode + " " + mtime);
            }
        }
        return out;
    }

    private static byte[] readOwnerReadable(Path p) throws IOException {
        return Files.readAllBytes(p);
    }

    private List<String> siblingsNow() {
        try {
            return siblings();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private List<String> siblings() throws IOException {
        try (Stream<Path> s = Files.list(base)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private Map<String, byte[]> export() throws IOException {
        return Exports.of(participant);
    }

    private static EntrySource source(Map<String, byte[]> entries) {
        Iterator<Map.Entry<String, byte[]>> it = new ArrayList<>(entries.entrySet()).iterator();
        return () -> {
            if (!it.hasNext()) {
                return Optional.empty();
            }
            Map.Entry<String, byte[]> e = it.next();
            return Optional.of(new Entry(e.getKey(), new ByteArrayInputStream(e.getValue())));
        };
    }
}
