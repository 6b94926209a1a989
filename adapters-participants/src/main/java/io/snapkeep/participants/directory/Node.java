package io.snapkeep.participants.directory;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One line of a directory participant's {@code tree.jsonl}.
 *
 * @param path   relative, {@code /}-separated; {@code ""} for the root directory
 * @param type   {@link #FILE}, {@link #DIR} or {@link #LINK}
 * @param mode   POSIX permissions as four octal digits ({@code 0644}), or null where unsupported; always null
 *               for a link, whose own permissions mean nothing
 * @param mtime  modification time, ISO-8601 instant with up to nanoseconds (of a link itself, never of what it
 *               points to)
 * @param size   bytes of a file; 0 for a directory or a link
 * @param target the text a symbolic link holds, as it reads without being followed; null for a file or a
 *               directory
 */
record Node(String path, String type, @JsonInclude(JsonInclude.Include.NON_NULL) String mode, String mtime,
        long size, @JsonInclude(JsonInclude.Include.NON_NULL) String target) {
    static final String FILE = "file";
    static final String DIR = "dir";
    static final String LINK = "link";

    boolean is(String kind) {
        return kind.equals(type);
    }
}
