package io.snapkeep.rest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.snapkeep.core.domain.CreateOptions;
import io.snapkeep.core.domain.RestoreOptions;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The options of a create, restore or cancel: each key is read from the JSON body first and, when absent
 * there, from the query string (CloudifyJS sends create flags as query parameters). Unknown keys are
 * ignored; booleans may be JSON booleans or {@code true}/{@code false} in any case. The body is read strictly
 * (see {@link JsonMapperResolver}): a key given twice or text after the object is a 400, not a guess.
 */
final class RequestOptions {
    /** Option bodies are tiny; a bigger one is a mistake, not something to buffer. */
    private static final int MAX_BODY_BYTES = JsonMapperResolver.MAX_BODY_BYTES;

    /** Trailing text is checked here, to name it plainly rather than with Jackson's words. */
    private static final ObjectReader TREE_READER = JsonMapperResolver.MAPPER.readerFor(JsonNode.class)
            .without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final ObjectNode body;
    private final MultivaluedMap<String, String> query;

    private RequestOptions(ObjectNode body, MultivaluedMap<String, String> query) {
        this.body = body;
        this.query = query;
    }

    /**
     * Reads the body: empty is allowed; non-empty must be JSON (else 415) and a JSON object (else 400).
     */
    static RequestOptions read(InputStream entity, MediaType contentType, MultivaluedMap<String, String> query) {
        ObjectNode body = readObject(entity, contentType);
        return new RequestOptions(body == null ? JsonMapperResolver.MAPPER.createObjectNode() : body, query);
    }

    /**
     * The body as one JSON object, by the same rules as {@link #read}; null when the body is empty, so that a
     * caller for whom a body is required can say so.
     */
    static ObjectNode readObject(InputStream entity, MediaType contentType) {
        byte[] bytes = readSmall(entity);
        String text = new String(bytes, StandardCharsets.UTF_8).strip();
        if (text.isEmpty()) {
            return null;
        }
        if (contentType != null && !isJson(contentType)) {
            throw new ApiError(415, ApiError.UNSUPPORTED_CONTENT_TYPE,
                    "Unsupported Content-Type `" + contentType + "`: send the options as application/json");
        }
        JsonNode node;
        try (JsonParser parser = TREE_READER.createParser(text)) {
            node = TREE_READER.readTree(parser);
            if (parser.nextToken() != null) {
                throw ApiError.badParameters("The request body must hold one JSON object and nothing after it");
            }
        } catch (StreamConstraintsException e) {
            throw ApiError.badParameters("The request body is over a limit: " + e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            throw ApiError.badParameters("The request body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw ApiError.badParameters("The request body could not be read: " + e.getMessage());
        }
        if (!(node instanceof ObjectNode object)) {
            throw ApiError.badParameters("The request body must be a JSON object, got " + node.getNodeType()
                    .name().toLowerCase(Locale.ROOT));
        }
        return object;
    }

    static boolean isJson(MediaType type) {
        return type.getType().equalsIgnoreCase("application")
                && (type.getSubtype().equalsIgnoreCase("json") || type.getSubtype().toLowerCase(Locale.ROOT).endsWith("+json"));
    }

    CreateOptions createOptions() {
        return new CreateOptions(
                bool("include_credentials", CreateOptions.DEFAULTS.includeCredentials()),
                bool("include_metrics", CreateOptions.DEFAULTS.includeMetrics()),
                bool("include_logs", CreateOptions.DEFAULTS.includeLogs()),
                bool("include_events", CreateOptions.DEFAULTS.includeEvents()),
                bool("queue", CreateOptions.DEFAULTS.queue()));
    }

    RestoreOptions restoreOptions() {
        RestoreOptions d = RestoreOptions.DEFAULTS;
        return new RestoreOptions(
                bool("force", d.force()),
                bool("recreate_deployments_envs", d.recreateDeploymentsEnvs()),
                bool("restore_certificates", d.restoreCertificates()),
                bool("no_reboot", d.noReboot()),
                bool("ignore_plugin_failure", d.ignorePluginFailure()),
                text("tenant_name"),
                bool("queue", d.queue()));
    }

    /** A string option, or null when absent (or JSON null). */
    String text(String key) {
        JsonNode v = body.get(key);
        if (v != null && !v.isNull()) {
            if (!v.isValueNode()) {
                throw ApiError.badParameters("`" + key + "` must be a string, got " + v);
            }
            return v.asText();
        }
        return v == null ? query.getFirst(key) : null;
    }

    boolean bool(String key, boolean fallback) {
        JsonNode v = body.get(key);
        if (v != null) {
            if (v.isBoolean()) {
                return v.booleanValue();
            }
            if (v.isTextual()) {
                return parseBoolean(key, v.textValue());
            }
            if (v.isNull()) {
                return fallback;
            }
            throw ApiError.badParameters("`" + key + "` must be <true/false>, got " + v);
        }
        String q = query.getFirst(key);
        return q == null ? fallback : parseBoolean(key, q);
    }

    /** {@code true}/{@code false} in any case (Python clients send {@code True}); anything else is a 400. */
    static boolean parseBoolean(String key, String value) {
        if ("true".equalsIgnoreCase(value)) {
            return true;
        }
        if ("false".equalsIgnoreCase(value)) {
            return false;
        }
        throw ApiError.badParameters("`" + key + "` must be <true/false>, got " + value);
    }

    private static byte[] readSmall(InputStream in) {
        if (in == null) {
            return new byte[0];
        }
        try {
            byte[] bytes = in.readNBytes(MAX_BODY_BYTES + 1);
            if (bytes.length > MAX_BODY_BYTES) {
                throw ApiError.badParameters("The request body is larger than " + MAX_BODY_BYTES + " bytes");
            }
            return bytes;
        } catch (IOException e) {
            throw ApiError.badParameters("The request body could not be read: " + e.getMessage());
        }
    }
}
