package io.snapkeep.core.support;

import java.util.regex.Pattern;

/** Masks secrets in text that is about to be shown: a log line, a message, an effective setting. */
public final class Secrets {
    /** What every masked secret is shown as. */
    public static final String MASK = "******";

    /** {@code password=...} (JDBC URL parameters), up to the next separator. */
    private static final Pattern PASSWORD_SETTING = Pattern.compile("(?i)(password=)[^;&]*");

    /** {@code user:password@} in a URL's authority. */
    private static final Pattern USER_INFO = Pattern.compile("(//[^/@:]*:)[^/@]*@");

    private Secrets() {
    }

    /** A URL (JDBC or HTTP) with any password in it masked. */
    public static String maskUrl(String url) {
        if (url == null) {
            return null;
        }
        String masked = PASSWORD_SETTING.matcher(url).replaceAll("$1" + MASK);
        return USER_INFO.matcher(masked).replaceAll("$1" + MASK + "@");
    }

    /** A secret as settings show it: masked when set, {@code (unset)} otherwise. */
    public static String shown(String secret) {
        return secret == null || secret.isEmpty() ? "(unset)" : MASK;
    }
}
