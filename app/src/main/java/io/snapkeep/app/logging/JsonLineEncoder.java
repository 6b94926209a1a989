package io.snapkeep.app.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.encoder.EncoderBase;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.slf4j.event.KeyValuePair;

/**
 * One JSON object per line: {@code timestamp} (ISO-8601, UTC), {@code level}, {@code logger}, {@code thread},
 * {@code message}, {@code request_id} (when the event belongs to a request), the event's key-value pairs (the
 * access line's {@code method}, {@code path}, {@code status}...), and {@code exception} (the stack trace as
 * text) when there is one. Jackson writes it, so every string is escaped and a message with a line break
 * stays on one line.
 */
final class JsonLineEncoder extends EncoderBase<ILoggingEvent> {
    private static final JsonFactory JSON = new JsonFactory();
    private static final byte[] NONE = new byte[0];
    /** Keys the encoder writes itself; a key-value pair of the same name is left out rather than repeated. */
    private static final Set<String> OWN_KEYS = Set.of("timestamp", "level", "logger", "thread", "message",
            RequestIds.MDC_KEY, "exception");

    @Override
    public byte[] headerBytes() {
        return NONE;
    }

    @Override
    public byte[] footerBytes() {
        return NONE;
    }

    @Override
    public byte[] encode(ILoggingEvent event) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("timestamp", Instant.ofEpochMilli(event.getTimeStamp()).toString());
            json.writeStringField("level", event.getLevel().toString().toLowerCase(Locale.ROOT));
            json.writeStringField("logger", event.getLoggerName());
            json.writeStringField("thread", event.getThreadName());
            json.writeStringField("message", event.getFormattedMessage());
            Map<String, String> mdc = event.getMDCPropertyMap();
            String requestId = mdc == null ? null : mdc.get(RequestIds.MDC_KEY);
            if (requestId != null) {
                json.writeStringField(RequestIds.MDC_KEY, requestId);
            }
            if (event.getKeyValuePairs() != null) {
                for (KeyValuePair pair : event.getKeyValuePairs()) {
                    if (pair.key != null && !OWN_KEYS.contains(pair.key)) {
                        writeValue(json, pair.key, pair.value);
                    }
                }
            }
            IThrowableProxy thrown = event.getThrowableProxy();
            if (thrown != null) {
                json.writeStringField("exception", ThrowableProxyUtil.asString(thrown));
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("A JSON line in memory cannot fail to write", e);
        }
        out.write('\n');
        return out.toByteArray();
    }

    private static void writeValue(JsonGenerator json, String key, Object value) throws IOException {
        if (value == null) {
            json.writeNullField(key);
        } else if (value instanceof Integer || value instanceof Long) {
            json.writeNumberField(key, ((Number) value).longValue());
        } else if (value instanceof Boolean b) {
            json.writeBooleanField(key, b);
        } else {
            json.writeStringField(key, value.toString());
        }
    }
}
