package io.snapkeep.storage.s3;

import java.time.Duration;
import java.util.List;
import okhttp3.Interceptor;

/**
 * Knobs that are not settings: they have one right value in production, and tests turn them to stay quick
 * (short backoff and timeouts) or to watch the traffic (interceptors).
 */
record Tuning(Duration firstBackoff, Duration connectTimeout, Duration ioTimeout, List<Interceptor> interceptors) {
    static final Tuning DEFAULTS = new Tuning(Duration.ofMillis(200), Duration.ofSeconds(10), Duration.ofSeconds(60),
            List.of());

    Tuning {
        interceptors = List.copyOf(interceptors);
    }
}
