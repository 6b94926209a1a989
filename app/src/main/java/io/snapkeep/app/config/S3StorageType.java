package io.snapkeep.app.config;

import io.snapkeep.app.config.SnapkeepConfig.Storage;
import io.snapkeep.core.port.out.ArchiveStore;
import io.snapkeep.core.support.Secrets;
import io.snapkeep.storage.s3.S3ArchiveStore;
import io.snapkeep.storage.s3.S3Settings;
import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code storage.type: s3}: archives as objects in an S3 bucket. Every value is checked by
 * {@link S3Settings}' own rules, so what the configuration accepts the store accepts.
 *
 * <p>{@code s3.prefix} is where the store's layout lives, {@value S3Settings#DEFAULT_KEY_PREFIX} when unset
 * (never the bucket root, which others share). It also says where the previous release kept its archives:
 * at that same prefix when it is set, since that release was configured with it too; when it is unset, at
 * the bucket root, that release's default.
 */
final class S3StorageType implements StorageType {

    @Override
    public String name() {
        return "s3";
    }

    @Override
    public Optional<Storage> read(Section s3, Path dataDir, boolean chosen) {
        int before = s3.problemCount();
        Optional<URI> endpoint = s3.uri("endpoint", "a URL, e.g. http://127.0.0.1:9000");
        endpoint.ifPresent(e -> s3.check("endpoint", S3Settings.problemWithEndpoint(e)));
        String region = s3.string("region").orElse("us-east-1");
        s3.check("region", S3Settings.problemWithRegion(region));
        Optional<String> bucket = s3.string("bucket");
        bucket.ifPresent(b -> s3.check("bucket", S3Settings.problemWithBucket(b)));
        Optional<String> prefix = s3.string("prefix");
        prefix.ifPresent(p -> s3.check("prefix", S3Settings.problemWithKeyPrefix(p)));
        Optional<String> accessKey = s3.string("access_key");
        Optional<Secret> secretKey = s3.secret("secret_key");
        boolean pathStyle = s3.bool("path_style").orElse(true);
        long partSize = s3.size("part_size", S3Settings.MIN_PART_SIZE, S3Settings.MAX_PART_SIZE)
                .orElse(S3Settings.DEFAULT_PART_SIZE);
        boolean createBucket = s3.bool("create_bucket").orElse(false);
        if (!chosen) {
            return Optional.empty();
        }
        String when = "when storage.type is " + name();
        boolean complete = s3.require("endpoint", endpoint, when) & s3.require("bucket", bucket, when)
                & s3.require("access_key", accessKey, when) & s3.require("secret_key", secretKey, when);
        if (!complete || s3.problemCount() != before) {
            return Optional.empty();
        }
        try {
            S3Settings defaults = S3Settings.of(endpoint.get(), region, bucket.get(), accessKey.get(),
                    secretKey.get().reveal());
            // a prefix given names the previous release's prefix too; unset, both stay at their defaults
            return Optional.of(new S3(prefix.map(defaults::withKeyPrefix).orElse(defaults)
                    .withPathStyle(pathStyle)
                    .withPartSize(partSize)
                    .withCreateBucket(createBucket)));
        } catch (IllegalArgumentException e) {
            // A rule the checks above do not cover (the keys go together, say): still reported, not thrown.
            s3.problem(e.getMessage());
            return Optional.empty();
        }
    }

    /** Archives in the bucket that {@code settings} name; its {@code toString} masks the secret key. */
    public record S3(S3Settings settings) implements Storage {
        @Override
        public String type() {
            return "s3";
        }

        @Override
        public ArchiveStore open() {
            return S3ArchiveStore.connect(settings);
        }

        @Override
        public Map<String, String> effectiveSettings() {
            Map<String, String> shown = new LinkedHashMap<>();
            shown.put("endpoint", settings.endpoint().toString());
            shown.put("region", settings.region());
            shown.put("bucket", settings.bucket());
            shown.put("prefix", settings.keyPrefix());
            shown.put("access_key", settings.accessKey());
            shown.put("secret_key", Secrets.shown(settings.secretKey()));
            shown.put("path_style", String.valueOf(settings.pathStyle()));
            shown.put("part_size", String.valueOf(settings.partSize()));
            shown.put("create_bucket", String.valueOf(settings.createBucket()));
            return shown;
        }

        @Override
        public String where() {
            return settings.endpoint() + " bucket " + settings.bucket()
                    + (settings.keyPrefix().isEmpty() ? "" : " prefix " + settings.keyPrefix());
        }
    }
}
