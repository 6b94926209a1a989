package io.snapkeep.core.application.archive;

import io.snapkeep.core.support.BlockReadStream;
import io.snapkeep.core.application.archive.ChunkExchange.Chunk;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads the archive's source ahead on a second thread, digesting it there, and hands it over in chunks of
 * up to 1 MiB: the source's I/O and the archive's SHA-256 run beside the entry checks and the participants'
 * work instead of before them. Memory is bounded by the chunks in flight.
 */
final class ReadAhead extends BlockReadStream {
    private static final Chunk END = new Chunk(new byte[0], 0);

    private final InputStream source;
    private final ChunkExchange exchange =
            new ChunkExchange(1, "reading the archive", "interrupted while the archive was read");
    private volatile boolean abandoned;
    private Chunk current;
    private int position;
    private boolean ended;

    ReadAhead(InputStream source) {
        this.source = source;
        exchange.start("snapkeep-archive-in", this::fillChunks);
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
        return exchange.sha256();
    }

    /** Stops reading ahead; the archive is being given up. */
    @Override
    public void close() {
        abandoned = true;
        exchange.stop();
    }

    private boolean nextChunk() throws IOException {
        if (ended) {
            return false;
        }
        if (current != null) {
            exchange.free.offer(current.bytes());
            current = null;
        }
        Chunk next = exchange.take(exchange.full);
        if (next == END) {
            exchange.rethrowFailure();
            ended = true;
            return false;
        }
        current = next;
        position = 0;
        return true;
    }

    private void fillChunks() {
        try {
            while (!abandoned) {
                byte[] fresh = exchange.freshBuffer();
                byte[] bytes = fresh != null ? fresh : exchange.free.take();
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
                    exchange.digest.update(bytes, 0, length);
                    exchange.full.put(new Chunk(bytes, length));
                }
                if (n < 0) {
                    exchange.full.put(END);
                    return;
                }
            }
        } catch (InterruptedException e) {
            // abandoned
        } catch (Throwable t) {
            exchange.fail(t);
            try {
                exchange.full.put(END);
            } catch (InterruptedException ignored) {
                // abandoned meanwhile
            }
        }
    }
}
