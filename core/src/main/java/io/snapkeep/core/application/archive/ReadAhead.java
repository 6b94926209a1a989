package io.snapkeep.core.application.archive;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Reads the archive's source ahead on a second thread, digesting it there, and hands it over in chunks of
 * up to 1 MiB: the source's I/O and the archive's SHA-256 run beside the entry checks and the participants'
 * work instead of before them. Memory is bounded by the chunks in flight.
 */
final class ReadAhead extends InputStream {
    private static final int CHUNK = 1 << 20;
    private static final int CHUNKS = 4;
    private static final Chunk END = new Chunk(new byte[0], 0);

    private record Chunk(byte[] bytes, int length) {
    }

    private final InputStream source;
    private final MessageDigest digest;
    private final BlockingQueue<Chunk> full = new ArrayBlockingQueue<>(CHUNKS + 1);
    private final BlockingQueue<byte[]> free = new ArrayBlockingQueue<>(CHUNKS);
    private final Thread worker;
    private volatile Throwable failure;
    private volatile boolean abandoned;
    private Chunk current;
    private int position;
    private boolean ended;

    ReadAhead(InputStream source) {
        this.source = source;
        this.digest = SecondThread.sha256();
        SecondThread.fill(free, CHUNKS, CHUNK);
        this.worker = SecondThread.daemon(this::fillChunks, "snapkeep-archive-in");
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (current == null || position == current.length()) {
            if (!nextChunk()) {
                return -1;
            }
        }
        int n = Math.min(len, current.length() - position);
        System.arraycopy(current.bytes(), position, b, off, n);
        position += n;
        return n;
    }

    /** SHA-256 in hex of every byte of the source; only once the source has been read to its end. */
    String sha256() {
        if (!ended) {
            throw new IllegalStateException("the source has not been read to its end");
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** Stops reading ahead; the archive is being given up. */
    @Override
    public void close() {
        abandoned = true;
        worker.interrupt();
    }

    private boolean nextChunk() throws IOException {
        if (ended) {
            return false;
        }
        if (current != null) {
            free.offer(current.bytes());
            current = null;
        }
        try {
            Chunk next;
            while ((next = full.poll(100, TimeUnit.MILLISECONDS)) == null) {
                rethrowFailure();
            }
            if (next == END) {
                rethrowFailure();
                ended = true;
                return false;
            }
            current = next;
            position = 0;
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while the archive was read");
        }
    }

    private void rethrowFailure() throws IOException {
        SecondThread.rethrow(failure, "reading the archive");
    }

    private void fillChunks() {
        try {
            while (!abandoned) {
                byte[] bytes = free.take();
                int length = 0;
                int n = 0;
                // Fill the chunk as far as the source allows, so small reads do not become small chunks.
                while (length < bytes.length && (n = source.read(bytes, length, bytes.length - length)) >= 0) {
                    length += n;
                    if (n == 0) {
                        break;
                    }
                }
                if (length > 0) {
                    digest.update(bytes, 0, length);
                    full.put(new Chunk(bytes, length));
                }
                if (n < 0) {
                    full.put(END);
                    return;
                }
            }
        } catch (InterruptedException e) {
            // abandoned
        } catch (Throwable t) {
            failure = t;
            try {
                full.put(END);
            } catch (InterruptedException ignored) {
                // abandoned meanwhile
            }
        }
    }
}
