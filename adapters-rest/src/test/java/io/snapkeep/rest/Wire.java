package io.snapkeep.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Assertions on what the wire carries. */
final class Wire {
    private Wire() {
    }

    /** The contract's error body: the status, the error_code, all three keys, JSON, no traceback. */
    static JsonNode assertError(TestServer.Reply r, int status, String errorCode) {
        assertThat(r.status()).as("status of %s", r).isEqualTo(status);
        assertThat(r.header("Content-Type")).as("content type of %s", r).startsWith("application/json");
        JsonNode body = r.json();
        assertThat(fieldNames(body)).containsExactlyInAnyOrder("message", "error_code", "server_traceback");
        assertThat(body.get("error_code").asText()).as("error_code of %s", r).isEqualTo(errorCode);
        assertThat(body.get("server_traceback").isNull()).isTrue();
        assertThat(body.get("message").asText()).isNotBlank();
        return body;
    }

    static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** Bytes that the fake takes for an archive: a {@code PK} start and {@code size} seeded random bytes. */
    static byte[] archive(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        bytes[0] = 'P';
        bytes[1] = 'K';
        return bytes;
    }
}
