package io.snapkeep.rest;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.glassfish.jersey.server.ApplicationHandler;
import org.glassfish.jersey.server.ExtendedResourceContext;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.server.model.Resource;
import org.glassfish.jersey.server.model.ResourceMethod;

/**
 * Routes as {@code "METHOD /concrete/prefix/{param}"}: those a Jersey application serves, and those an OpenAPI
 * document describes, spelled alike so the two sets can be compared. A version segment is expanded into each
 * version it stands for, on both sides: on Jersey's from the alternatives of its template's regex, on the
 * document's from the enum of its {@code version} path parameter.
 */
final class Routes {
    private static final Set<String> HTTP_METHODS = Set.of("get", "put", "post", "delete", "patch", "head",
            "options", "trace");
    private static final Pattern LITERAL_ALTERNATIVE = Pattern.compile("(?:[A-Za-z0-9_-]|\\\\\\.)+");

    private Routes() {
    }

    /**
     * What {@code config} serves, read from the resource model Jersey builds from it at start-up. The
     * {@code OPTIONS} handlers Jersey adds to every resource by itself ({@link ResourceMethod#isExtended()})
     * are not the API's own and are left out.
     */
    static Set<String> served(ResourceConfig config) {
        return servedWithAccess(config).keySet();
    }

    /** What {@code config} serves, each route with whether its handler is open to anyone. */
    static Map<String, Boolean> servedWithAccess(ResourceConfig config) {
        ApplicationHandler handler = new ApplicationHandler(config);
        List<Resource> resources = handler.getInjectionManager().getInstance(ExtendedResourceContext.class)
                .getResourceModel().getRootResources();
        Map<String, Boolean> routes = new TreeMap<>();
        for (Resource r : resources) {
            collect(r, "", routes);
        }
        return routes;
    }

    private static void collect(Resource resource, String parent, Map<String, Boolean> routes) {
        String path = join(parent, resource.getPath());
        if (resource.getResourceLocator() != null) {
            throw new AssertionError("A sub-resource locator at " + path + ": its routes cannot be listed from the model");
        }
        for (ResourceMethod m : resource.getResourceMethods()) {
            if (!m.isExtended()) {
                for (String concrete : expand(path)) {
                    routes.put(m.getHttpMethod().toUpperCase(Locale.ROOT) + " " + concrete, isOpen(m));
                }
            }
        }
        for (Resource child : resource.getChildResources()) {
            collect(child, path, routes);
        }
    }

    /** As {@link AuthFilter} decides it: the method's {@link Access}, else its class's. */
    private static boolean isOpen(ResourceMethod m) {
        Access access = m.getInvocable().getDefinitionMethod().getAnnotation(Access.class);
        if (access == null) {
            access = m.getInvocable().getHandler().getHandlerClass().getAnnotation(Access.class);
        }
        return access != null && access.value() == Access.Level.ANYONE;
    }

    private static String join(String parent, String path) {
        String p = path == null ? "" : path.strip();
        while (p.startsWith("/")) {
            p = p.substring(1);
        }
        while (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p.isEmpty() ? (parent.isEmpty() ? "/" : parent) : parent + "/" + p;
    }

    /**
     * A Jersey path template as concrete paths: {@code {version: v2|v3}} becomes one path per alternative,
     * every other {@code {name: regex}} becomes {@code {name}}.
     */
    static List<String> expand(String template) {
        List<String> paths = new ArrayList<>(List.of(""));
        int i = 0;
        while (i < template.length()) {
            char c = template.charAt(i);
            if (c != '{') {
                append(paths, String.valueOf(c));
                i++;
                continue;
            }
            int end = closingBrace(template, i);
            String inside = template.substring(i + 1, end);
            int colon = inside.indexOf(':');
            String name = (colon < 0 ? inside : inside.substring(0, colon)).strip();
            String regex = colon < 0 ? null : inside.substring(colon + 1).strip();
            if ("version".equals(name)) {
                paths = versions(paths, template, regex);
            } else {
                append(paths, "{" + name + "}");
            }
            i = end + 1;
        }
        return paths;
    }

    private static List<String> versions(List<String> paths, String template, String regex) {
        if (regex == null) {
            throw new AssertionError("{version} in " + template + " has no regex of versions to expand");
        }
        List<String> expanded = new ArrayList<>();
        for (String alternative : regex.split("\\|")) {
            String a = alternative.strip();
            if (!LITERAL_ALTERNATIVE.matcher(a).matches()) {
                throw new AssertionError("{version} in " + template + " is not a list of literal versions: " + regex);
            }
            String version = a.replace("\\.", ".");
            for (String p : paths) {
                expanded.add(p + version);
            }
        }
        return expanded;
    }

    private static int closingBrace(String template, int open) {
        int depth = 0;
        for (int i = open; i < template.length(); i++) {
            char c = template.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '{') {
                depth++;
            } else if (c == '}' && --depth == 0) {
                return i;
            }
        }
        throw new AssertionError("Unbalanced braces in " + template);
    }

    private static void append(List<String> paths, String text) {
        paths.replaceAll(p -> p + text);
    }

    /** What {@code document} describes: each path's operations, {@code {version}} expanded by its enum. */
    static Set<String> documented(JsonNode document) {
        return documentedWithAccess(document).keySet();
    }

    /**
     * What {@code document} describes, each route with whether it needs no credentials: its operation's
     * {@code security} is an empty list, or has an empty requirement among its alternatives.
     */
    static Map<String, Boolean> documentedWithAccess(JsonNode document) {
        Map<String, Boolean> routes = new TreeMap<>();
        Iterator<Map.Entry<String, JsonNode>> paths = document.path("paths").fields();
        while (paths.hasNext()) {
            Map.Entry<String, JsonNode> entry = paths.next();
            JsonNode item = entry.getValue();
            Iterator<String> keys = item.fieldNames();
            while (keys.hasNext()) {
                String key = keys.next();
                if (!HTTP_METHODS.contains(key)) {
                    continue;
                }
                JsonNode operation = item.get(key);
                JsonNode security = operation.has("security") ? operation.get("security") : document.path("security");
                boolean open = security.isEmpty();
                for (JsonNode requirement : security) {
                    open |= requirement.isEmpty();
                }
                for (String concrete : expandDocumented(document, entry.getKey(), item, operation)) {
                    routes.put(key.toUpperCase(Locale.ROOT) + " " + concrete, open);
                }
            }
        }
        return routes;
    }

    private static List<String> expandDocumented(JsonNode document, String path, JsonNode item, JsonNode operation) {
        if (!path.contains("{version}")) {
            return List.of(path);
        }
        JsonNode version = null;
        for (JsonNode list : List.of(item.path("parameters"), operation.path("parameters"))) {
            for (JsonNode p : list) {
                JsonNode resolved = resolve(document, p);
                if ("version".equals(resolved.path("name").asText()) && "path".equals(resolved.path("in").asText())) {
                    version = resolved;
                }
            }
        }
        if (version == null || !version.path("schema").path("enum").isArray()) {
            throw new AssertionError(path + " has no `version` path parameter with an enum of versions");
        }
        List<String> expanded = new ArrayList<>();
        for (JsonNode v : version.path("schema").path("enum")) {
            expanded.add(path.replace("{version}", v.asText()));
        }
        return expanded;
    }

    private static JsonNode resolve(JsonNode document, JsonNode node) {
        String ref = node.path("$ref").asText(null);
        if (ref == null) {
            return node;
        }
        if (!ref.startsWith("#/")) {
            throw new AssertionError("Only local references are expected, got " + ref);
        }
        JsonNode target = document.at(ref.substring(1));
        if (target.isMissingNode()) {
            throw new AssertionError("Dangling reference " + ref);
        }
        return target;
    }

    /**
     * How the served routes and the documented ones differ, one line per route: empty when every served route
     * is documented and every documented one is served. {@code servedElsewhere} counts as served: routes
     * the document describes that another part of the server answers.
     */
    static List<String> differences(Set<String> served, Set<String> servedElsewhere, Set<String> documented) {
        List<String> lines = new ArrayList<>();
        Set<String> all = new TreeSet<>(served);
        all.addAll(servedElsewhere);
        for (String r : all) {
            if (!documented.contains(r)) {
                lines.add("served but not in the document: " + r);
            }
        }
        for (String r : documented) {
            if (!all.contains(r)) {
                lines.add("in the document but not served: " + r);
            }
        }
        return lines;
    }
}
