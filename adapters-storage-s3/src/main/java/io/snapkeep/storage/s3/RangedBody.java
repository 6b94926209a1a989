package io.snapkeep.storage.s3;

import io.minio.GetObjectResponse;
import io.snapkeep.core.error.StorageUnavailableException;
import io.snapkeep.core.support.ExactLength;
import java.io.IOException;
import java.io.InputStream;

/**
 * The body of a ranged read of an archive: exactly the range asked for. One that ends sooner (the
 * connection, or the object, ended early) is an {@link IOException}, never a quiet end of stream; bytes past
 * the range are not read.
 */
final class RangedBody {
    private RangedBody() {
    }

    /**
     * The body of a ranged GET of {@code length} bytes from {@code offset}, checked to be that range (when
     * the answer says which it is), and to end only at its end.
     *
     * @throws StorageUnavailableException when the answer is another range; the body is closed then
     */
    static InputStream of(GetObjectResponse body, long offset, long length, String what) {
        String contentLength = body.headers().get("Content-Length");
        String contentRange = body.headers().get("Content-Range");
        if (contentLength != null && !contentLength.trim().equals(Long.toString(length))
                || contentRange != null && !contentRange.trim().startsWith("bytes " + offset + "-")) {
            try {
                body.close();
            } catch (IOException ignored) {
                // the answer is refused anyway
            }
            throw new StorageUnavailableException(what + ": a read of " + length + " bytes from " + offset
                    + " was answered with Content-Length " + contentLength + " and Content-Range " + contentRange);
        }
        return ExactLength.of(body, length, read -> what + " ended after " + read + " of " + length
                + " bytes: the connection or the object ended early");
    }
}
