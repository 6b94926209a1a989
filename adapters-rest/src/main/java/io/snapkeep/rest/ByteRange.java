package io.snapkeep.rest;

/**
 * One byte range of a download ({@code Range: bytes=a-b}, {@code bytes=a-}, {@code bytes=-n}), resolved
 * against the archive size. Several ranges in one header are not served as multipart: the whole archive is.
 *
 * @param offset first byte
 * @param length number of bytes
 */
record ByteRange(long offset, long length) {

    /**
     * The range {@code header} asks for, or null to serve everything (no header, or several ranges).
     *
     * @throws ApiError 416 when the header is malformed or no byte of it is in the archive
     */
    static ByteRange parse(String header, long size) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String h = header.strip();
        if (!h.regionMatches(true, 0, "bytes=", 0, 6)) {
            throw unsatisfiable(header, size);
        }
        String spec = h.substring(6).strip();
        if (spec.contains(",")) {
            return null;
        }
        int dash = spec.indexOf('-');
        if (dash < 0) {
            throw unsatisfiable(header, size);
        }
        String first = spec.substring(0, dash).strip();
        String last = spec.substring(dash + 1).strip();
        try {
            if (first.isEmpty()) {
                long suffix = Long.parseLong(last);
                if (suffix <= 0 || size == 0) {
                    throw unsatisfiable(header, size);
                }
                long length = Math.min(suffix, size);
                return new ByteRange(size - length, length);
            }
            long start = Long.parseLong(first);
            long end = last.isEmpty() ? size - 1 : Long.parseLong(last);
            if (start < 0 || end < start || start >= size) {
                throw unsatisfiable(header, size);
            }
            end = Math.min(end, size - 1);
            return new ByteRange(start, end - start + 1);
        } catch (NumberFormatException e) {
            throw unsatisfiable(header, size);
        }
    }

    String contentRange(long size) {
        return "bytes " + offset + "-" + (offset + length - 1) + "/" + size;
    }

    private static ApiError unsatisfiable(String header, long size) {
        return new RangeError("Range `" + header + "` cannot be served: the archive has " + size + " bytes", size);
    }

    /** A 416, which also names the archive size in {@code Content-Range: bytes * /size}. */
    static final class RangeError extends ApiError {
        private static final long serialVersionUID = 1L;
        private final long size;

        RangeError(String message, long size) {
            super(416, RANGE_NOT_SATISFIABLE, message);
            this.size = size;
        }

        @Override
        jakarta.ws.rs.core.Response toResponse() {
            return jakarta.ws.rs.core.Response.fromResponse(super.toResponse())
                    .header("Content-Range", "bytes */" + size).build();
        }
    }
}
