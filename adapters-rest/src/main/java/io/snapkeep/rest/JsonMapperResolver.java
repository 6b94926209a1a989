package io.snapkeep.rest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import jakarta.ws.rs.ext.ContextResolver;

/**
 * The one ObjectMapper of the API: JSR-310 types as ISO text, nulls written (clients index every key).
 *
 * <p>What it reads are request bodies, which are small flat objects of options, so it reads strictly: a
 * member named twice, anything after the value, and a document beyond {@link #READ_CONSTRAINTS} are refused
 * rather than guessed at or paid for.
 */
final class JsonMapperResolver implements ContextResolver<ObjectMapper> {
    /** A request body holds at most this many bytes (the options of a create, a restore or a cancel). */
    static final int MAX_BODY_BYTES = 64 * 1024;

    /** Far tighter than Jackson's defaults: no option is a long number, a long name or a deep structure. */
    static final StreamReadConstraints READ_CONSTRAINTS = StreamReadConstraints.builder()
            .maxNumberLength(100)
            .maxNestingDepth(32)
            .maxStringLength(MAX_BODY_BYTES)
            .maxNameLength(1024)
            .maxDocumentLength(MAX_BODY_BYTES)
            .build();

    static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(READ_CONSTRAINTS)
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .build())
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .build();

    @Override
    public ObjectMapper getContext(Class<?> type) {
        return MAPPER;
    }
}
