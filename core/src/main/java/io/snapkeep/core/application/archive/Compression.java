package io.snapkeep.core.application.archive;

import java.util.Locale;
import java.util.Set;
import java.util.zip.Deflater;

/**
 * Decides whether an entry is worth deflating: not when its name says it is already compressed, nor when
 * a cheap trial of its first bytes barely shrinks.
 */
final class Compression {
    /** How much of an entry's start the trial deflates. */
    static final int SAMPLE_BYTES = 64 * 1024;
    /** Deflated output must be at most this share of the input to be worth it. */
    private static final double WORTH_IT = 0.9;

    private static final Set<String> COMPRESSED_EXTENSIONS = Set.of(
            "zip", "gz", "tgz", "bz2", "tbz", "tbz2", "xz", "txz", "zst", "tzst", "lz", "lz4", "lzma", "7z",
            "rar", "br", "z", "jar", "war", "ear", "apk", "whl", "egg", "nupkg", "deb", "rpm",
            "jpg", "jpeg", "png", "gif", "webp", "avif", "heic", "heif", "jxl",
            "mp3", "mp4", "m4a", "m4v", "aac", "ogg", "oga", "ogv", "opus", "flac", "webm", "mkv", "mov", "avi",
            "wmv", "wma", "pdf", "docx", "xlsx", "pptx", "odt", "ods", "odp", "epub",
            "woff", "woff2", "pack", "sqsh", "squashfs", "dmg", "gpg", "pgp", "age", "enc");

    private Compression() {
    }

    /** Whether {@code path}'s extension names an already-compressed (or encrypted) format. */
    static boolean compressedByName(String path) {
        int slash = path.lastIndexOf('/');
        int dot = path.lastIndexOf('.');
        if (dot <= slash + 1 || dot == path.length() - 1) {
            return false;
        }
        return COMPRESSED_EXTENSIONS.contains(path.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    /** Whether the fastest deflate shrinks {@code sample} (an entry's first bytes) enough to be worth it. */
    static boolean sampleCompresses(byte[] sample, int len) {
        if (len == 0) {
            return true;
        }
        Deflater deflater = new Deflater(Deflater.BEST_SPEED, true);
        try {
            deflater.setInput(sample, 0, len);
            deflater.finish();
            byte[] scratch = new byte[16 * 1024];
            long out = 0;
            while (!deflater.finished()) {
                out += deflater.deflate(scratch);
            }
            return worthIt(out, len);
        } finally {
            deflater.end();
        }
    }

    static boolean worthIt(long compressed, long original) {
        return compressed <= original * WORTH_IT;
    }
}
