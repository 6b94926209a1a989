package io.snapkeep.app.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.glassfish.jersey.uri.UriTemplate;
import org.junit.jupiter.api.Test;

class HttpRequestMetricsTest {

    @Test
    void the_route_is_the_matched_templates_outermost_first_without_their_patterns() {
        // Jersey lists the innermost template first.
        assertThat(HttpRequestMetrics.route(List.of(new UriTemplate("snapshots/{id}"),
                new UriTemplate("/api/{version: v2|v2\\.1|v3|v3\\.1}")))).isEqualTo("/api/{version}/snapshots/{id}");
        assertThat(HttpRequestMetrics.route(List.of(new UriTemplate("ready"), new UriTemplate("/health"))))
                .isEqualTo("/health/ready");
        assertThat(HttpRequestMetrics.route(List.of(new UriTemplate("/metrics")))).isEqualTo("/metrics");
    }

    @Test
    void a_request_nothing_matched_is_unmatched() {
        assertThat(HttpRequestMetrics.route(List.of())).isEqualTo("unmatched");
        assertThat(HttpRequestMetrics.route(null)).isEqualTo("unmatched");
    }
}
