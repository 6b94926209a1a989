package io.snapkeep.storage.fs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * The data directory that release 0.1.0 wrote ({@code app/src/test/resources/fixtures}): its
 * {@code archives/} part, which was that release's {@code fs.root}, unpacked for a store-level test, and the
 * archives that release listed.
 */
final class ReleaseFixture {
    private static final Path FIXTURES = Path.of("..", "app", "src", "test", "resources", "fixtures");
    private static final String TARBALL = "release-0.1.0-fs-data.tar.gz";
    private static final String EXPECTED = "release-0.1.0-fs-data.expected.json";
    private static final String ARCHIVES = "data/archives/";

    /** One archive the release listed. */
    record Listed(String id, long size, String sha256) {
    }

    private ReleaseFixture() {
    }

    /** Unpacks the {@code archives/} directory of the fixture's data directory into {@code root}. */
    static void unpackArchivesInto(Path root) throws IOException {
        Path tarball = FIXTURES.resolve(TARBALL);
        assertThat(tarball).as("the release fixture, from the module directory").isRegularFile();
        Files.createDirectories(root);
        try (InputStream in = new GZIPInputStream(Files.newInputStream(tarball))) {
            String longName = null;
            byte[] header;
            while ((header = in.readNBytes(512)).length == 512 && header[0] != 0) {
                String name = longName != null ? longName : text(header, 0, 100);
                longName = null;
                char type = (char) header[156];
                long size = Long.parseLong(text(header, 124, 12).trim(), 8);
                byte[] data = in.readNBytes((int) size);
                in.skipNBytes((512 - size % 512) % 512);
                if (type == 'L') { // GNU: the next entry's name, too long for its header
                    longName = text(data, 0, data.length);
                } else if (name.startsWith(ARCHIVES) && name.length() > ARCHIVES.length()) {
                    Path target = root.resolve(name.substring(ARCHIVES.length())).normalize();
                    assertThat(target.startsWith(root)).as(name).isTrue();
                    if (type == '5') {
                        Files.createDirectories(target);
                    } else if (type == '0' || type == 0) {
                        Files.createDirectories(target.getParent());
                        Files.write(target, data);
                    }
                }
            }
        }
    }

    /** The archives the release listed, by id, in its order. */
    static Map<String, Listed> listed() throws IOException {
        String json = Files.readString(FIXTURES.resolve(EXPECTED), StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("\"id\":\\s*\"([^\"]+)\"[^}]*?\"archive_size\":\\s*(\\d+)[^}]*?"
                + "\"archive_sha256\":\\s*\"([0-9a-f]{64})\"").matcher(json);
        Map<String, Listed> listed = new LinkedHashMap<>();
        while (m.find()) {
            listed.put(m.group(1), new Listed(m.group(1), Long.parseLong(m.group(2)), m.group(3)));
        }
        assertThat(listed).as("archives in " + EXPECTED).isNotEmpty();
        return listed;
    }

    private static String text(byte[] bytes, int offset, int length) {
        int end = offset;
        while (end < offset + length && bytes[end] != 0) {
            end++;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(bytes, offset, end - offset);
        return out.toString(StandardCharsets.UTF_8);
    }
}
