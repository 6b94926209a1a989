package io.snapkeep.participants.directory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import io.snapkeep.core.support.Printable;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The index entry {@code tree.jsonl}: one {@link Node} as a JSON object per line, in the walk's order.
 * Reading checks every line, so what comes out can be applied without further checks.
 */
final class TreeIndex {
    static final String ENTRY = "tree.jsonl";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectReader NODE_READER = JSON.readerFor(Node.class);

    private TreeIndex() {
    }

    /** Writes {@code nodes} to {@code out} and closes it. */
    static void write(List<Node> nodes, OutputStream out) throws IOException {
        try (Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8))) {
            for (Node node : nodes) {
                w.write(JSON.writeValueAsString(node));
                w.write('\n');
            }
        }
    }

    /**
     * The nodes of an index entry, each checked: a known type, a safe path (the root is the {@code dir}
     * {@code ""}), a valid mode and time, no negative size, no path twice, nothing under a file or a link, a
     * target on every link and on nothing else, and no link that {@link LinkTargets} refuses. Bad content
     * is refused through {@code rules}; a failure of the stream itself propagates as it is.
     */
    static List<Node> read(InputStream content, EntryRules rules) throws IOException {
        List<Node> nodes = new ArrayList<>();
        Map<String, String> types = new HashMap<>();
        // One parser over the whole index (a value per line), not one per line.
        MappingIterator<Node> lines;
        try {
            lines = NODE_READER.readValues(new InputStreamReader(content, StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            throw rules.invalid("has an unreadable " + ENTRY + ": " + e.getOriginalMessage());
        }
        while (true) {
            Node node;
            try {
                if (!lines.hasNextValue()) {
                    break;
                }
                node = lines.nextValue();
            } catch (JsonProcessingException e) {
                throw rules.invalid("has an unreadable line in " + ENTRY + ": " + e.getOriginalMessage());
            }
            if (node.path() == null || node.type() == null
                    || !(node.is(Node.FILE) || node.is(Node.DIR) || node.is(Node.LINK))) {
                throw rules.invalid("has a line without path or with an unknown type in " + ENTRY);
            }
            if (node.is(Node.LINK) ? node.target() == null || node.mode() != null || node.size() != 0
                    : node.target() != null) {
                throw rules.invalid("lists " + Printable.of(node.path()) + " in " + ENTRY
                        + " with a target that is not a link's, or as a link without a target or with a mode or size");
            }
            if (!(node.path().isEmpty() && node.type().equals(Node.DIR))) {
                rules.checkedPath(node.path());
            }
            if (node.mode() != null) {
                try {
                    Modes.fromOctal(node.mode());
                } catch (IllegalArgumentException e) {
                    throw rules.invalid("lists " + Printable.of(node.path()) + " in " + ENTRY + " with "
                            + e.getMessage());
                }
            }
            if (node.mtime() != null) {
                time(node, rules);
            }
            if (node.size() < 0 || types.put(node.path(), node.type()) != null) {
                throw rules.invalid("lists " + Printable.of(node.path()) + " twice or with a negative size in "
                        + ENTRY);
            }
            nodes.add(node);
        }
        for (Node node : nodes) {
            for (int slash = node.path().indexOf('/'); slash >= 0; slash = node.path().indexOf('/', slash + 1)) {
                String above = types.get(node.path().substring(0, slash));
                if (Node.FILE.equals(above) || Node.LINK.equals(above)) {
                    throw rules.invalid("lists " + Printable.of(node.path()) + " under a file or a link in " + ENTRY);
                }
            }
        }
        Set<String> links = links(nodes);
        for (Node node : nodes) {
            if (node.is(Node.LINK)) {
                String problem = LinkTargets.problem(node.path(), node.target(), links);
                if (problem != null) {
                    throw rules.invalid("has a symbolic link " + Printable.of(node.path()) + " to "
                            + Printable.of(node.target()) + " that a restore refuses: " + problem);
                }
            }
        }
        return nodes;
    }

    /** The paths of the links among {@code nodes}. */
    static Set<String> links(List<Node> nodes) {
        Set<String> links = new HashSet<>();
        for (Node node : nodes) {
            if (node.is(Node.LINK)) {
                links.add(node.path());
            }
        }
        return links;
    }

    /** The modification time of a node read by {@link #read}. */
    static Instant time(Node node, EntryRules rules) {
        try {
            return Instant.parse(node.mtime());
        } catch (DateTimeParseException e) {
            throw rules.invalid("has an invalid modification time in " + ENTRY + ": " + Printable.of(node.mtime()));
        }
    }
}
