package io.snapkeep.app.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.glassfish.jersey.server.ContainerResponse;
import org.glassfish.jersey.server.monitoring.ApplicationEvent;
import org.glassfish.jersey.server.monitoring.ApplicationEventListener;
import org.glassfish.jersey.server.monitoring.RequestEvent;
import org.glassfish.jersey.server.monitoring.RequestEventListener;
import org.glassfish.jersey.uri.UriTemplate;

/**
 * Times every request the API answers, by method, route and status. The route is the template the request
 * matched ({@code /api/{version}/snapshots/{id}}), never its path: ids would make a series per snapshot.
 * A request no resource matched counts under {@code unmatched}.
 */
final class HttpRequestMetrics implements ApplicationEventListener {
    /** {@code {version: v2|v3}} and the like: the name stays, the pattern goes. */
    private static final Pattern PARAMETER_PATTERN = Pattern.compile("\\{\\s*(\\w[\\w.-]*)\\s*:[^}]*}");

    private final MeterRegistry registry;

    HttpRequestMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void onEvent(ApplicationEvent event) {
    }

    @Override
    public RequestEventListener onRequest(RequestEvent start) {
        long started = System.nanoTime();
        return event -> {
            if (event.getType() == RequestEvent.Type.FINISHED) {
                ContainerResponse response = event.getContainerResponse();
                Timer.builder(SnapkeepMetrics.PREFIX + "http.requests")
                        .description("HTTP requests the API answered, by method, route template and status")
                        .tag("method", event.getContainerRequest().getMethod())
                        .tag("route", route(event.getUriInfo().getMatchedTemplates()))
                        .tag("status", Integer.toString(response == null ? 500 : response.getStatus()))
                        .register(registry).record(System.nanoTime() - started, java.util.concurrent.TimeUnit.NANOSECONDS);
            }
        };
    }

    /** The matched templates, outermost first, joined; Jersey lists the innermost first. */
    static String route(List<UriTemplate> matched) {
        if (matched == null || matched.isEmpty()) {
            return "unmatched";
        }
        List<UriTemplate> outerFirst = new ArrayList<>(matched);
        java.util.Collections.reverse(outerFirst);
        StringBuilder route = new StringBuilder();
        for (UriTemplate t : outerFirst) {
            String part = t.getTemplate();
            if (part.isEmpty() || part.equals("/")) {
                continue;
            }
            if (route.length() > 0 && route.charAt(route.length() - 1) != '/' && !part.startsWith("/")) {
                route.append('/');
            }
            route.append(part);
        }
        String text = PARAMETER_PATTERN.matcher(route).replaceAll("{$1}");
        return text.isEmpty() ? "/" : text;
    }
}
