package io.snapkeep.core.application.archive;

import io.snapkeep.core.error.InvalidArchiveException;
import io.snapkeep.core.support.Sha256;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The {@code MANIFEST.sha256} of format {@code snapkeep/1}, both ways. UTF-8 text, one line per entry that
 * comes before it, in archive order: {@code <sha256>  <size>  <path>} and a newline, that is 64 lower-case
 * hex digits of the entry's SHA-256, two spaces, its uncompressed size in decimal, two spaces, its full path
 * in the archive. The format {@code sha256sum} reads, with the size added.
 *
 * <p>Reading refuses a line that is not valid UTF-8, does not have that shape, or is longer than
 * {@value #MAX_LINE} bytes (any real line is shorter: an entry name has at most 65535 bytes); a last line
 * without its newline is read like the others. What the lines must agree with is {@link ManifestCheck}'s.
 */
final class ManifestCodec {
    static final String SEPARATOR = "  ";
    /** Hex digits of a SHA-256. */
    static final int DIGEST_DIGITS = 64;
    /** The longest line read: a digest, a size of up to 20 digits, a name of 65535 bytes, separators, newline. */
    static final int MAX_LINE = DIGEST_DIGITS + 2 + 20 + 2 + 65_535 + 1;

    /** One entry's line: its SHA-256 (32 bytes), uncompressed size and full path. */
    record Line(byte[] sha256, long size, String path) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Line l && Arrays.equals(sha256, l.sha256) && size == l.size && path.equals(l.path);
        }

        @Override
        public int hashCode() {
            return Objects.hash(Arrays.hashCode(sha256), size, path);
        }

        @Override
        public String toString() {
            return Sha256.hex(sha256) + SEPARATOR + size + SEPARATOR + path;
        }
    }

    private ManifestCodec() {
    }

    /** The bytes of {@code line}, newline included. */
    static byte[] encode(Line line) {
        return (Sha256.hex(line.sha256()) + SEPARATOR + line.size() + SEPARATOR + line.path() + "\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** Writes every line to {@code out}, in order. */
    static void write(Iterable<Line> lines, OutputStream out) throws IOException {
        for (Line line : lines) {
            out.write(encode(line));
        }
    }

    /** Reads {@code content} to its end, handing each line to {@code each} as soon as it is read. */
    static void read(InputStream content, Consumer<Line> each) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        byte[] buffer = new byte[64 * 1024];
        int lineNumber = 0;
        boolean atEnd = false;
        while (!atEnd) {
            int n = content.read(buffer, 0, buffer.length);
            atEnd = n < 0;
            int start = 0;
            for (int i = 0; i < Math.max(n, 0); i++) {
                if (buffer[i] == '\n') {
                    line.write(buffer, start, i - start);
                    each.accept(parse(line.toByteArray(), ++lineNumber));
                    line.reset();
                    start = i + 1;
                }
            }
            if (n > start) {
                line.write(buffer, start, n - start);
            }
            if (line.size() > MAX_LINE) {
                throw new InvalidArchiveException("MANIFEST.sha256 line " + (lineNumber + 1) + " is too long");
            }
        }
        if (line.size() > 0) {
            each.accept(parse(line.toByteArray(), ++lineNumber));
        }
    }

    /** Line {@code number} (from 1), without its newline. */
    static Line parse(byte[] bytes, int number) {
        String line;
        try {
            line = Zip.decodeUtf8(bytes);
        } catch (CharacterCodingException e) {
            throw new InvalidArchiveException("MANIFEST.sha256 line " + number + " is not valid UTF-8");
        }
        String malformed = "MANIFEST.sha256 line " + number + " is not `sha256  size  path`";
        int sizeStart = DIGEST_DIGITS + SEPARATOR.length();
        if (line.length() < sizeStart + 1 + SEPARATOR.length() + 1 || !line.startsWith(SEPARATOR, DIGEST_DIGITS)) {
            throw new InvalidArchiveException(malformed);
        }
        String digest = line.substring(0, DIGEST_DIGITS);
        int sizeEnd = line.indexOf(SEPARATOR, sizeStart);
        if (sizeEnd < 0 || !digest.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
            throw new InvalidArchiveException(malformed);
        }
        long size;
        try {
            size = Long.parseLong(line.substring(sizeStart, sizeEnd));
        } catch (NumberFormatException e) {
            throw new InvalidArchiveException(malformed);
        }
        return new Line(HexFormat.of().parseHex(digest), size, line.substring(sizeEnd + SEPARATOR.length()));
    }
}
