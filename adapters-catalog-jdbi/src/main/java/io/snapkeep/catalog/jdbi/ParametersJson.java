package io.snapkeep.catalog.jdbi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An execution's parameters as a JSON object in one text column. Jackson keeps the keys in insertion order
 * both ways, which is the order clients see them in.
 */
final class ParametersJson {
    private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {
    };
    private final ObjectMapper mapper = new ObjectMapper();

    String write(Map<String, Object> parameters) {
        try {
            return mapper.writeValueAsString(parameters);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Execution parameters cannot be written as JSON: " + e.getMessage(), e);
        }
    }

    Map<String, Object> read(String json) {
        try {
            return mapper.readValue(json, MAP);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored execution parameters are not a JSON object: " + e.getMessage(), e);
        }
    }
}
