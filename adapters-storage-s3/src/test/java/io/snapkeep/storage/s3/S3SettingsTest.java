package io.snapkeep.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;

class S3SettingsTest {
    private static final URI ENDPOINT = URI.create("https://s3.example.test:9000");
    private final S3Settings valid = S3Settings.of(ENDPOINT, "eu-west-1", "snapkeep-archives", "AKIAEXAMPLE",
            "very-secret-value");

    @Test
    void defaults_are_16_MiB_parts_two_in_flight_three_retries_path_style_snapkeep_prefix_no_creation() {
        assertThat(valid.partSize()).isEqualTo(16L * 1024 * 1024);
        assertThat(valid.partsInFlight()).isEqualTo(2);
        assertThat(valid.maxRetries()).isEqualTo(3);
        assertThat(valid.pathStyle()).isTrue();
        assertThat(valid.keyPrefix()).isEqualTo("snapkeep/");
        assertThat(valid.legacyPrefix()).as("the previous release's default: the bucket root").isEmpty();
        assertThat(valid.createBucket()).isFalse();
    }

    @Test
    void to_string_never_shows_the_secret_key() {
        assertThat(valid.toString())
                .doesNotContain("very-secret-value")
                .contains("secretKey=****", "AKIAEXAMPLE", "snapkeep-archives", "s3.example.test:9000");
    }

    @Test
    void a_part_size_below_5_MiB_is_refused() {
        assertThatThrownBy(() -> valid.withPartSize(5L * 1024 * 1024 - 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("part size must be between 5 MiB");
        assertThat(valid.withPartSize(5L * 1024 * 1024).partSize()).isEqualTo(5L * 1024 * 1024);
    }

    @Test
    void parts_in_flight_and_retries_must_be_in_range() {
        assertThatThrownBy(() -> valid.withPartsInFlight(0)).hasMessageContaining("parts in flight");
        assertThatThrownBy(() -> valid.withMaxRetries(-1)).hasMessageContaining("max retries");
        assertThat(valid.withMaxRetries(0).maxRetries()).isZero();
    }

    @Test
    void bucket_names_follow_the_S3_rules() {
        for (String bad : new String[] {"ab", "Upper-Case", "under_score", "-starts-with-dash", "a..b", "10.0.0.1"}) {
            assertThatThrownBy(() -> S3Settings.of(ENDPOINT, "eu-west-1", bad, "a", "s"))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("bucket name '" + bad + "' is invalid");
        }
    }

    @Test
    void the_endpoint_is_an_http_url_without_credentials_path_or_query() {
        assertThatThrownBy(() -> S3Settings.of(URI.create("ftp://host"), "r", "bucket", "a", "s"))
                .hasMessageContaining("http:// or https://");
        assertThatThrownBy(() -> S3Settings.of(URI.create("https://user:pw@host"), "r", "bucket", "a", "s"))
                .hasMessageContaining("must not carry credentials")
                .hasMessageNotContaining("pw");
        assertThatThrownBy(() -> S3Settings.of(URI.create("https://host/some/path"), "r", "bucket", "a", "s"))
                .hasMessageContaining("scheme, host and port only");
        assertThatThrownBy(() -> S3Settings.of(null, "r", "bucket", "a", "s"))
                .hasMessageContaining("endpoint is required");
    }

    @Test
    void region_is_required_and_keys_go_together() {
        assertThatThrownBy(() -> S3Settings.of(ENDPOINT, " ", "bucket", "a", "s"))
                .hasMessageContaining("region is required");
        assertThatThrownBy(() -> S3Settings.of(ENDPOINT, "r", "bucket", "a", ""))
                .hasMessageContaining("access key and secret key go together");
        assertThat(S3Settings.of(ENDPOINT, "r", "bucket", "", "").anonymous()).isTrue();
    }

    @Test
    void a_key_prefix_given_is_also_where_the_previous_release_kept_its_archives_unless_said_otherwise() {
        assertThat(valid.withKeyPrefix("team").keyPrefix()).isEqualTo("team/");
        assertThat(valid.withKeyPrefix("team").legacyPrefix()).isEqualTo("team/");
        assertThat(valid.withKeyPrefix("").keyPrefix()).isEmpty();
        assertThat(valid.withKeyPrefix("").legacyPrefix()).isEmpty();
        assertThat(valid.withKeyPrefix("team").withLegacyPrefix("old").legacyPrefix()).isEqualTo("old/");
        assertThat(valid.withKeyPrefix("team").withLegacyPrefix("").legacyPrefix()).isEmpty();
        assertThat(valid.withLegacyPrefix("old/").keyPrefix()).isEqualTo("snapkeep/");
        assertThat(valid.toString()).contains("keyPrefix=snapkeep/, legacyPrefix=,");
    }

    @Test
    void a_legacy_prefix_inside_the_layout_is_refused() {
        for (String inside : new String[] {"snapkeep/archives/", "snapkeep/records"}) {
            assertThatThrownBy(() -> valid.withLegacyPrefix(inside)).as(inside)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("S3 legacy prefix").hasMessageContaining("inside the layout");
        }
        assertThat(valid.withLegacyPrefix("snapkeep/archives/old/").legacyPrefix()).isEqualTo("snapkeep/archives/old/");
        assertThatThrownBy(() -> valid.withLegacyPrefix("../up")).hasMessageStartingWith("S3 legacy prefix '../up'");
    }

    @Test
    void a_key_prefix_gets_a_trailing_slash_and_may_not_start_with_one() {
        assertThat(valid.withKeyPrefix("team/snapshots").keyPrefix()).isEqualTo("team/snapshots/");
        assertThat(valid.withKeyPrefix("team/").keyPrefix()).isEqualTo("team/");
        assertThatThrownBy(() -> valid.withKeyPrefix("/abs")).hasMessageContaining("must not start with '/'");
    }

    @Test
    void a_part_size_over_1_GiB_is_refused_because_a_part_is_one_byte_array() {
        assertThat(valid.withPartSize(S3Settings.MAX_PART_SIZE).partSize()).isEqualTo(1L << 30);
        assertThatThrownBy(() -> valid.withPartSize(S3Settings.MAX_PART_SIZE + 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("and 1 GiB, but was " + ((1L << 30) + 1) + " bytes");
        assertThat(S3Settings.problemWithPartSize(5L << 30)).startsWith("must be between 5 MiB");
        assertThat(S3Settings.problemWithPartSize(16L << 20)).isNull();
    }

    @Test
    void a_key_prefix_has_no_dot_dot_segment_no_empty_segment_and_no_backslash() {
        for (String bad : new String[] {"../up/", "team/../other/", "team/..", "..", "a//b/", "a\\b/", "/abs/"}) {
            assertThat(S3Settings.problemWithKeyPrefix(bad)).as(bad).isNotNull().contains("'" + bad + "'");
            assertThatThrownBy(() -> valid.withKeyPrefix(bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("S3 key prefix '" + bad + "'");
        }
        for (String good : new String[] {"", "team/", "team", "a..b/", "v1.2/archives/"}) {
            assertThat(S3Settings.problemWithKeyPrefix(good)).as(good).isNull();
        }
    }

    @Test
    void each_check_names_its_problem_without_throwing_and_the_constructor_throws_it_first() {
        assertThat(S3Settings.problemWithEndpoint(URI.create("https://user:pw@host")))
                .startsWith("must not carry credentials").doesNotContain("pw");
        assertThat(S3Settings.problemWithEndpoint(ENDPOINT)).isNull();
        assertThat(S3Settings.problemWithRegion("")).isEqualTo("is required");
        assertThat(S3Settings.problemWithBucket("Bad_Name")).startsWith("name 'Bad_Name' is invalid");
        assertThat(S3Settings.problemWithBucket("snapkeep-archives")).isNull();
        assertThatThrownBy(() -> S3Settings.of(ENDPOINT, "r", "Bad_Name", "a", "s"))
                .hasMessage("S3 bucket " + S3Settings.problemWithBucket("Bad_Name"));
    }

    @Test
    void the_secret_key_is_shown_as_the_shared_mask() {
        assertThat(valid.toString()).contains("secretKey=" + io.snapkeep.core.support.Secrets.MASK + ",");
    }
}
