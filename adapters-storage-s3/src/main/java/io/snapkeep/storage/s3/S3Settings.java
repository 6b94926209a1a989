package io.snapkeep.storage.s3;

import io.snapkeep.core.support.Secrets;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Where and how an {@link S3ArchiveStore} keeps archives. Validated on construction; {@link #toString()}
 * never shows the secret key.
 *
 * <p>Start from {@link #of} (which fills in the defaults) and adjust with the {@code with...} methods.
 *
 * @param endpoint      the S3 service, {@code http://} or {@code https://}, without credentials, query or path
 * @param region        the bucket's region, e.g. {@code us-east-1}
 * @param bucket        the bucket name (S3 naming rules)
 * @param keyPrefix     where the store's layout lives in the bucket ({@code <keyPrefix>archives/<key>.zip},
 *                      {@code <keyPrefix>records/<key>.json}); {@value #DEFAULT_KEY_PREFIX} by default, empty for
 *                      the bucket root. A prefix not ending in {@code /} gets one
 * @param legacyPrefix  where the previous release kept its archives, as {@code <legacyPrefix><key>}: the prefix it
 *                      was configured with, which was empty (the bucket root) by default. Only the exact name of a
 *                      key the store is asked to adopt or delete is ever looked at there. Same form as
 *                      {@code keyPrefix}; it must not be the layout's own {@code archives/} or {@code records/}
 * @param accessKey     the access key; empty together with {@code secretKey} for anonymous access
 * @param secretKey     the secret key
 * @param pathStyle     whether to address the bucket in the path ({@code host/bucket/key}) rather than
 *                      the host name ({@code bucket.host/key}); most self-hosted servers need {@code true}
 * @param partSize      bytes per multipart part: at least 5 MiB (the S3 minimum), at most 1 GiB; each part
 *                      is held in memory while it uploads
 * @param partsInFlight how many part buffers one write may hold: while one fills, the others upload.
 *                      Memory per write is {@code partsInFlight * partSize}
 * @param createBucket  whether {@link S3ArchiveStore#connect} creates the bucket when it is missing
 * @param maxRetries    how many times a transient failure (unreachable, timeout, 5xx) is retried, with
 *                      exponential backoff, before it is reported
 */
public record S3Settings(
        URI endpoint,
        String region,
        String bucket,
        String keyPrefix,
        String legacyPrefix,
        String accessKey,
        String secretKey,
        boolean pathStyle,
        long partSize,
        int partsInFlight,
        boolean createBucket,
        int maxRetries) {

    /** The smallest part S3 accepts (except for the last part of an upload). */
    public static final long MIN_PART_SIZE = 5L * 1024 * 1024;
    /**
     * The largest part this store writes: each part is buffered in one byte array, indexed by an int, so a
     * part must stay well below 2 GiB (S3 itself would take up to 5 GiB). The one limit a configuration
     * offers.
     */
    public static final long MAX_PART_SIZE = 1024L * 1024 * 1024;
    public static final long DEFAULT_PART_SIZE = 16L * 1024 * 1024;
    public static final int DEFAULT_PARTS_IN_FLIGHT = 2;
    public static final int MAX_PARTS_IN_FLIGHT = 64;
    public static final int DEFAULT_MAX_RETRIES = 3;
    public static final int MAX_RETRIES_LIMIT = 20;
    /** Where the layout lives unless a prefix is given: never the bucket root, which others share. */
    public static final String DEFAULT_KEY_PREFIX = "snapkeep/";
    /** The previous release's default prefix: none, so its archives were at the bucket root. */
    public static final String PREVIOUS_DEFAULT_KEY_PREFIX = "";

    // S3 bucket naming rules: 3-63 characters, lowercase letters, digits, dots and hyphens,
    // starting and ending with a letter or digit.
    private static final Pattern BUCKET_NAME = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    private static final Pattern IP_ADDRESS = Pattern.compile("\\d+\\.\\d+\\.\\d+\\.\\d+");

    public S3Settings {
        refuse("endpoint", problemWithEndpoint(endpoint));
        endpoint = URI.create(endpoint.getScheme().toLowerCase(Locale.ROOT) + "://" + endpoint.getRawAuthority());
        refuse("region", problemWithRegion(region));
        region = region.trim();
        refuse("bucket", problemWithBucket(bucket));
        refuse("key prefix", problemWithKeyPrefix(keyPrefix));
        keyPrefix = normalPrefix(keyPrefix);
        refuse("legacy prefix", problemWithKeyPrefix(legacyPrefix));
        legacyPrefix = normalPrefix(legacyPrefix);
        if (legacyPrefix.equals(keyPrefix + S3Layout.ARCHIVES) || legacyPrefix.equals(keyPrefix + S3Layout.RECORDS)) {
            throw new IllegalArgumentException("S3 legacy prefix '" + legacyPrefix + "' is inside the layout of key"
                    + " prefix '" + keyPrefix + "': the previous release's names would be taken for the layout's");
        }
        accessKey = accessKey == null ? "" : accessKey;
        secretKey = secretKey == null ? "" : secretKey;
        if (accessKey.isBlank() != secretKey.isBlank()) {
            throw new IllegalArgumentException(
                    "S3 access key and secret key go together: give both, or neither for anonymous access");
        }
        refuse("part size", problemWithPartSize(partSize));
        if (partsInFlight < 1 || partsInFlight > MAX_PARTS_IN_FLIGHT) {
            throw new IllegalArgumentException("S3 parts in flight must be between 1 and " + MAX_PARTS_IN_FLIGHT
                    + ", but was " + partsInFlight);
        }
        if (maxRetries < 0 || maxRetries > MAX_RETRIES_LIMIT) {
            throw new IllegalArgumentException("S3 max retries must be between 0 and " + MAX_RETRIES_LIMIT
                    + ", but was " + maxRetries);
        }
    }

    /**
     * Settings with the defaults: key prefix {@value #DEFAULT_KEY_PREFIX}, the previous release's archives
     * looked for at the bucket root (its default), path-style addressing, 16 MiB parts, 2 parts in flight, no
     * bucket creation, 3 retries.
     */
    public static S3Settings of(URI endpoint, String region, String bucket, String accessKey, String secretKey) {
        return new S3Settings(endpoint, region, bucket, DEFAULT_KEY_PREFIX, PREVIOUS_DEFAULT_KEY_PREFIX, accessKey,
                secretKey, true, DEFAULT_PART_SIZE, DEFAULT_PARTS_IN_FLIGHT, false, DEFAULT_MAX_RETRIES);
    }

    /**
     * These settings with the layout under {@code prefix}, and the previous release's archives looked for at
     * the same prefix: a prefix chosen explicitly was that release's prefix too. Call
     * {@link #withLegacyPrefix} afterwards to say otherwise.
     */
    public S3Settings withKeyPrefix(String prefix) {
        return new S3Settings(endpoint, region, bucket, prefix, prefix, accessKey, secretKey, pathStyle, partSize,
                partsInFlight, createBucket, maxRetries);
    }

    /** These settings with the previous release's archives looked for at {@code prefix}. */
    public S3Settings withLegacyPrefix(String prefix) {
        return new S3Settings(endpoint, region, bucket, keyPrefix, prefix, accessKey, secretKey, pathStyle, partSize,
                partsInFlight, createBucket, maxRetries);
    }

    public S3Settings withPathStyle(boolean usePathStyle) {
        return new S3Settings(endpoint, region, bucket, keyPrefix, legacyPrefix, accessKey, secretKey, usePathStyle, partSize,
                partsInFlight, createBucket, maxRetries);
    }

    public S3Settings withPartSize(long bytes) {
        return new S3Settings(endpoint, region, bucket, keyPrefix, legacyPrefix, accessKey, secretKey, pathStyle, bytes,
                partsInFlight, createBucket, maxRetries);
    }

    public S3Settings withPartsInFlight(int parts) {
        return new S3Settings(endpoint, region, bucket, keyPrefix, legacyPrefix, accessKey, secretKey, pathStyle, partSize,
                parts, createBucket, maxRetries);
    }

    public S3Settings withCreateBucket(boolean create) {
        return new S3Settings(endpoint, region, bucket, keyPrefix, legacyPrefix, accessKey, secretKey, pathStyle, partSize,
                partsInFlight, create, maxRetries);
    }

    public S3Settings withMaxRetries(int retries) {
        return new S3Settings(endpoint, region, bucket, keyPrefix, legacyPrefix, accessKey, secretKey, pathStyle, partSize,
                partsInFlight, createBucket, retries);
    }

    boolean anonymous() {
        return accessKey.isBlank();
    }

    /** Where, for error messages: endpoint and bucket, never a credential. */
    String where() {
        return "S3 endpoint " + endpoint + ", bucket '" + bucket + "'";
    }

    @Override
    public String toString() {
        return "S3Settings[endpoint=" + endpoint + ", region=" + region + ", bucket=" + bucket
                + ", keyPrefix=" + keyPrefix + ", legacyPrefix=" + legacyPrefix + ", accessKey=" + accessKey
                + ", secretKey=" + (secretKey.isEmpty() ? "" : Secrets.MASK)
                + ", pathStyle=" + pathStyle + ", partSize=" + partSize + ", partsInFlight=" + partsInFlight
                + ", createBucket=" + createBucket + ", maxRetries=" + maxRetries + "]";
    }

    // Each check below says what is wrong with one setting, or returns null when it is fine, so that a
    // configuration can name every bad setting at once; the constructor refuses the first. The text follows
    // the setting's name: "S3 bucket " + problem, or "s3.bucket: " + problem.

    /**
     * What is wrong with {@code endpoint}, or null: it must be {@code http://} or {@code https://} with a host,
     * and nothing but scheme, host and port (no credentials, path, query or fragment).
     */
    public static String problemWithEndpoint(URI endpoint) {
        if (endpoint == null) {
            return "is required, e.g. https://s3.eu-west-1.amazonaws.com";
        }
        String scheme = endpoint.getScheme() == null ? "" : endpoint.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || endpoint.getHost() == null) {
            return "must be an http:// or https:// URL with a host, but was '" + endpoint + "'";
        }
        if (endpoint.getRawUserInfo() != null) {
            // Credentials in the URL would end up in every error message and log line.
            return "must not carry credentials; use the access and secret key settings (endpoint host: "
                    + endpoint.getHost() + ")";
        }
        if (endpoint.getRawQuery() != null || endpoint.getRawFragment() != null
                || endpoint.getRawPath() != null && !endpoint.getRawPath().isEmpty()
                && !endpoint.getRawPath().equals("/")) {
            return "must be scheme, host and port only, but was '" + endpoint + "'";
        }
        return null;
    }

    /** What is wrong with {@code region}, or null: it must not be blank. */
    public static String problemWithRegion(String region) {
        return region == null || region.isBlank() ? "is required" : null;
    }

    /** What is wrong with {@code bucket}, or null: S3's bucket naming rules. */
    public static String problemWithBucket(String bucket) {
        if (bucket == null || bucket.isBlank()) {
            return "is required";
        }
        if (!BUCKET_NAME.matcher(bucket).matches() || bucket.contains("..") || IP_ADDRESS.matcher(bucket).matches()) {
            return "name '" + bucket + "' is invalid: use 3 to 63 lowercase letters, digits, dots and hyphens,"
                    + " starting and ending with a letter or digit";
        }
        return null;
    }

    /**
     * What is wrong with {@code prefix}, or null: empty (none), or a relative key prefix without empty or
     * {@code ..} segments and without backslashes. One not ending in {@code /} gets one.
     */
    public static String problemWithKeyPrefix(String prefix) {
        if (prefix == null || prefix.isEmpty()) {
            return null;
        }
        String segments = prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
        if (prefix.startsWith("/") || prefix.contains("//") || prefix.contains("\\")
                || List.of(segments.split("/", -1)).contains("..")) {
            return "'" + prefix + "' must not start with '/' nor contain '//', '\\' or a '..' segment,"
                    + " e.g. 'team/snapkeep/'";
        }
        return null;
    }

    /** What is wrong with {@code bytes} as a part size, or null: from {@link #MIN_PART_SIZE} to {@link #MAX_PART_SIZE}. */
    public static String problemWithPartSize(long bytes) {
        if (bytes < MIN_PART_SIZE || bytes > MAX_PART_SIZE) {
            return "must be between 5 MiB (" + MIN_PART_SIZE + " bytes) and 1 GiB, but was " + bytes + " bytes";
        }
        return null;
    }

    private static String normalPrefix(String prefix) {
        return prefix == null || prefix.isEmpty() ? "" : prefix.endsWith("/") ? prefix : prefix + "/";
    }

    private static void refuse(String setting, String problem) {
        if (problem != null) {
            throw new IllegalArgumentException("S3 " + setting + " " + problem);
        }
    }
}
