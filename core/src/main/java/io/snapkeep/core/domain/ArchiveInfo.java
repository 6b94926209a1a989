package io.snapkeep.core.domain;

import java.util.Locale;
import java.util.regex.Pattern;

/** What is known of a complete archive: its size in bytes and its SHA-256 in lower-case hex. */
public record ArchiveInfo(long size, String sha256) {
    private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");

    public ArchiveInfo {
        if (size < 0) {
            throw new IllegalArgumentException("archive size must not be negative: " + size);
        }
        if (sha256 == null || !HEX64.matcher(sha256.toLowerCase(Locale.ROOT)).matches()) {
            throw new IllegalArgumentException("archive sha256 must be 64 hex digits: " + sha256);
        }
        sha256 = sha256.toLowerCase(Locale.ROOT);
    }
}
