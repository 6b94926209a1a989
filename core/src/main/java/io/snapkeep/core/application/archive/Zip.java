package io.snapkeep.core.application.archive;

import io.snapkeep.core.support.Printable;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/** Constants of the zip format (APPNOTE 6.3) that both the writer and the reader use. */
final class Zip {
    static final int LOCAL_HEADER = 0x04034b50;
    static final int DATA_DESCRIPTOR = 0x08074b50;
    static final int CENTRAL_HEADER = 0x02014b50;
    static final int ZIP64_END = 0x06064b50;
    static final int ZIP64_LOCATOR = 0x07064b50;
    static final int END = 0x06054b50;

    static final int STORED = 0;
    static final int DEFLATED = 8;

    static final int FLAG_ENCRYPTED = 1;
    static final int FLAG_DESCRIPTOR = 1 << 3;
    static final int FLAG_UTF8 = 1 << 11;

    static final int ZIP64_EXTRA = 0x0001;
    /** A 32-bit size or offset field at this value means "see the ZIP64 extra field". */
    static final long MAGIC32 = 0xFFFFFFFFL;
    static final int MAGIC16 = 0xFFFF;

    static final int VERSION_PLAIN = 20;
    static final int VERSION_ZIP64 = 45;

    private Zip() {
    }

    /** {@code bytes} as UTF-8, refusing malformed input (where a lenient decode would substitute). */
    static String decodeUtf8(byte[] bytes) throws CharacterCodingException {
        return StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes)).toString();
    }

    /** MS-DOS date (high 16 bits) and time (low 16 bits) of {@code t}, in UTC. */
    static int dosDateTime(Instant t) {
        LocalDateTime d = LocalDateTime.ofInstant(t, ZoneOffset.UTC);
        if (d.getYear() < 1980) {
            d = LocalDateTime.of(1980, 1, 1, 0, 0);
        } else if (d.getYear() > 2107) {
            d = LocalDateTime.of(2107, 12, 31, 23, 59, 58);
        }
        int date = ((d.getYear() - 1980) << 9) | (d.getMonthValue() << 5) | d.getDayOfMonth();
        int time = (d.getHour() << 11) | (d.getMinute() << 5) | (d.getSecond() >> 1);
        return (date << 16) | time;
    }

    /**
     * Why {@code name} may not be an entry name, or null when it may: names are relative, use {@code /},
     * and have no empty, {@code .} or {@code ..} segments (a trailing {@code /} marks a directory).
     */
    static String problemWithName(String name) {
        if (name.isEmpty()) {
            return "Entry names must not be empty";
        }
        String shown = "Entry name `" + Printable.of(name) + "` is not allowed: ";
        if (name.indexOf('\\') >= 0) {
            return shown + "it contains a backslash";
        }
        if (name.startsWith("/") || (name.length() >= 2 && name.charAt(1) == ':')) {
            return shown + "it is absolute";
        }
        for (int i = 0; i < name.length(); i++) {
            if (name.charAt(i) < 0x20 || name.charAt(i) == 0x7f) {
                return shown + "it contains a control character";
            }
        }
        String body = name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
        for (String segment : body.split("/", -1)) {
            if (segment.equals("..")) {
                return shown + "it has a `..` segment";
            }
            if (segment.isEmpty() || segment.equals(".")) {
                return shown + "it has an empty or `.` segment";
            }
        }
        return null;
    }
}
