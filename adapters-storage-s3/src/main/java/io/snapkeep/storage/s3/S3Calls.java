package io.snapkeep.storage.s3;

import io.minio.errors.ErrorResponseException;
import io.minio.errors.MinioException;
import io.minio.errors.ServerException;
import io.snapkeep.core.error.StorageUnavailableException;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * Runs S3 requests with bounded retries, and translates every SDK failure at this one boundary into the
 * core's {@link StorageUnavailableException}, naming the endpoint and bucket, never a secret.
 */
final class S3Calls {
    /** Error codes that mean "who you are was not accepted", whatever the server's wording. */
    private static final Set<String> CREDENTIAL_CODES = Set.of("AccessDenied", "SignatureDoesNotMatch",
            "InvalidAccessKeyId", "InvalidToken", "ExpiredToken", "AllAccessDisabled", "InvalidSecurity");
    /** Error codes S3 documents as worth retrying. */
    private static final Set<String> TRANSIENT_CODES = Set.of("InternalError", "ServiceUnavailable", "SlowDown",
            "RequestTimeout", "Throttling", "ThrottlingException", "RequestLimitExceeded");
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);

    private final S3Settings settings;
    private final Duration firstBackoff;

    S3Calls(S3Settings settings, Duration firstBackoff) {
        this.settings = settings;
        this.firstBackoff = firstBackoff;
    }

    /** Marks "the server answered with one of the codes that mean absent". */
    private static final Object ABSENT = new Object();

    /** Runs {@code request}, retrying transient failures; anything else becomes StorageUnavailableException. */
    @SuppressWarnings("unchecked")
    <T> T call(String action, Supplier<CompletableFuture<T>> request) {
        return (T) run(action, Set.of(), request);
    }

    /**
     * Like {@link #call}, but an S3 error whose code is in {@code absentCodes} (e.g. {@code NoSuchKey}) is an
     * answer, not a failure: it gives empty. A request that succeeds with no value also gives empty.
     */
    @SuppressWarnings("unchecked")
    <T> Optional<T> callUnless(String action, Set<String> absentCodes, Supplier<CompletableFuture<T>> request) {
        Object result = run(action, absentCodes, request);
        return result == ABSENT ? Optional.empty() : Optional.ofNullable((T) result);
    }

    private Object run(String action, Set<String> absentCodes, Supplier<? extends CompletableFuture<?>> request) {
        for (int attempt = 0; ; attempt++) {
            Throwable failure;
            try {
                return request.get().get();
            } catch (ExecutionException | CompletionException e) {
                failure = unwrap(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StorageUnavailableException(settings.where() + ": interrupted while trying to " + action, e);
            }
            String code = errorCode(failure);
            if (code != null && absentCodes.contains(code)) {
                return ABSENT;
            }
            if (attempt >= settings.maxRetries() || !isTransient(failure)) {
                throw translate(action, failure, attempt + 1);
            }
            pause(action, attempt);
        }
    }

    /** The failure as the core's exception; {@code attempts} is how many times it was tried. */
    StorageUnavailableException translate(String action, Throwable failure, int attempts) {
        failure = unwrap(failure);
        if (failure instanceof StorageUnavailableException already) {
            return already;
        }
        String tries = attempts > 1 ? " (after " + attempts + " attempts)" : "";
        String code = errorCode(failure);
        if (code != null && CREDENTIAL_CODES.contains(code)) {
            return new StorageUnavailableException(settings.where() + " refused the credentials"
                    + (settings.anonymous() ? " (anonymous access)" : " of access key '" + settings.accessKey() + "'")
                    + " when trying to " + action + ": " + code, failure);
        }
        if ("NoSuchBucket".equals(code)) {
            return new StorageUnavailableException(settings.where() + ": the bucket does not exist (trying to "
                    + action + "); create it or enable bucket creation", failure);
        }
        if (failure instanceof ErrorResponseException e) {
            return new StorageUnavailableException(settings.where() + ": could not " + action + tries
                    + ": HTTP " + e.response().code() + " " + code + " " + e.errorResponse().message(), failure);
        }
        if (failure instanceof ServerException e) {
            return new StorageUnavailableException(settings.where() + ": could not " + action + tries
                    + ": the server answered HTTP " + e.statusCode(), failure);
        }
        IOException io = ioCause(failure);
        if (io != null) {
            return new StorageUnavailableException(settings.where() + " is unreachable: could not " + action + tries
                    + ": " + io.getClass().getSimpleName() + ": " + io.getMessage(), failure);
        }
        return new StorageUnavailableException(settings.where() + ": could not " + action + tries + ": "
                + failure.getClass().getSimpleName() + ": " + failure.getMessage(), failure);
    }

    /** Synchronous work (such as walking a paged listing) in the shape {@link #call} retries. */
    static <T> CompletableFuture<T> now(Callable<T> work) {
        try {
            return CompletableFuture.completedFuture(work.call());
        } catch (Exception e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** The endpoint and bucket, for messages. */
    String where() {
        return settings.where();
    }

    /** Whether {@code failure}, or one of its causes, is an S3 error with {@code code}. */
    static boolean hasErrorCode(Throwable failure, String code) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (code.equals(errorCode(t))) {
                return true;
            }
        }
        return false;
    }

    static String errorCode(Throwable failure) {
        return failure instanceof ErrorResponseException e ? e.errorResponse().code() : null;
    }

    static boolean isTransient(Throwable failure) {
        if (failure instanceof ErrorResponseException e) {
            return TRANSIENT_CODES.contains(e.errorResponse().code()) || e.response().code() >= 500;
        }
        if (failure instanceof ServerException e) {
            return e.statusCode() >= 500 || e.statusCode() == 429;
        }
        return ioCause(failure) != null;
    }

    static Throwable unwrap(Throwable e) {
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }

    private static IOException ioCause(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof IOException io) {
                return io;
            }
            if (!(t instanceof MinioException) && !(t instanceof CompletionException)) {
                // Only look through the SDK's wrappers, not through unrelated causes.
                break;
            }
        }
        return null;
    }

    private void pause(String action, int attempt) {
        long base = firstBackoff.toMillis() << Math.min(attempt, 20);
        long capped = Math.min(base, MAX_BACKOFF.toMillis());
        // Jitter spreads retries of parallel part uploads so they do not hit a recovering server together.
        long delay = capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1);
        try {
            Thread.sleep(delay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageUnavailableException(settings.where() + ": interrupted while retrying to " + action, e);
        }
    }
}
