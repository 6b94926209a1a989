package io.snapkeep.participants.directory;

/**
 * One line of a directory participant's {@code tree.jsonl}.
 *
 * @param path  relative, {@code /}-separated; {@code ""} for the root directory
 * @param type  {@link #FILE} or {@link #DIR}
 * @param mode  POSIX permissions as four octal digits ({@code 0644}), or null where unsupported
 * @param mtime modification time, ISO-8601 instant with up to nanoseconds
 * @param size  bytes of a file; 0 for a directory
 */
record Node(String path, String type, String mode, String mtime, long size) {
    static final String FILE = "file";
    static final String DIR = "dir";
}
