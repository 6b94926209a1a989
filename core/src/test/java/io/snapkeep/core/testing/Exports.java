package io.snapkeep.core.testing;

import io.snapkeep.core.port.out.StateParticipant;
import io.snapkeep.core.port.out.StateParticipant.ExportSink;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.Map;

/** A participant's export held in memory, for tests of small states: entry path to bytes, in export order. */
public final class Exports {
    private Exports() {
    }

    /**
     * Exports {@code participant} into a map. An entry added with a known size must have exactly that many
     * bytes, as the port promises.
     */
    public static Map<String, byte[]> of(StateParticipant participant) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        participant.exportTo(new ExportSink() {
            @Override
            public OutputStream newEntry(String path) {
                return new ByteArrayOutputStream() {
                    @Override
                    public void close() {
                        entries.put(path, toByteArray());
                    }
                };
            }

            @Override
            public void addEntry(String path, long size, InputStream content) throws IOException {
                byte[] bytes = content.readAllBytes();
                if (bytes.length != size) {
                    throw new AssertionError("entry " + path + " announced " + size + " bytes and had "
                            + bytes.length);
                }
                entries.put(path, bytes);
            }
        });
        return entries;
    }
}
