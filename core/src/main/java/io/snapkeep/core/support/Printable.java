package io.snapkeep.core.support;

/**
 * Text that came from outside (an archive entry name, a key, an id) made safe to put in a message or a log
 * line: control characters escaped, so they cannot forge lines or hide text, and the length cut.
 */
public final class Printable {
    /** Long enough for any valid name; a longer one is hostile or broken and its tail says nothing. */
    public static final int MAX_SHOWN = 300;

    private Printable() {
    }

    public static String of(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder(Math.min(s.length(), MAX_SHOWN) + 3);
        int shown = 0;
        for (int i = 0; i < s.length() && shown < MAX_SHOWN; shown++) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            if (Character.isISOControl(cp)) {
                out.append(String.format("\\u%04X", cp));
            } else {
                out.appendCodePoint(cp);
            }
        }
        if (s.codePointCount(0, s.length()) > MAX_SHOWN) {
            out.append("...");
        }
        return out.toString();
    }
}
