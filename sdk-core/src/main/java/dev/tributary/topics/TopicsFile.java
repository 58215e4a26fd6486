package dev.tributary.topics;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A validated set of topic declarations: what {@link TopicProvisioner} creates and checks.
 *
 * <p>The JSON format, every field and its default, is described in {@code docs/topics.md}:
 * <pre>{@code
 * {
 *   "defaults": {"replicationFactor": 1},
 *   "topics": [
 *     {"name": "metrics.events", "partitions": 3, "retention": "7d", "compression": "lz4"},
 *     {"name": "health.events", "partitions": 3, "retention": "7d", "cleanupPolicy": "compact,delete",
 *      "copartitionedWith": "metrics.events"}
 *   ]
 * }
 * }</pre>
 *
 * <p>Parsing is strict and eager: unknown properties, missing or invalid fields, duplicate topic names
 * and co-partitioned topics with different partition counts are all rejected with a
 * {@link TopicsFileException} that names each offending field and topic.
 */
public final class TopicsFile {

    /** Classpath location of the bundled defaults (the topics table of the design notes). */
    public static final String DEFAULTS_RESOURCE = "/dev/tributary/topics/tributary-topics.json";

    private final String source;
    private final List<TopicSpec> topics;

    private TopicsFile(String source, List<TopicSpec> topics) {
        this.source = source;
        this.topics = List.copyOf(topics);
    }

    /**
     * Reads and validates a topics file.
     *
     * @param path the JSON file
     * @return the file's topics, in file order
     * @throws TopicsFileException if the file is not valid JSON or not a valid topics file
     * @throws IOException if the file cannot be read
     */
    public static TopicsFile parse(Path path) throws IOException {
        try (InputStream in = Files.newInputStream(path)) {
            return parse(in, path.toString());
        }
    }

    /**
     * Reads and validates a topics file from a stream, which is left open.
     *
     * @param in the JSON document
     * @return its topics, in document order
     * @throws TopicsFileException if the stream is not valid JSON or not a valid topics file
     * @throws IOException if the stream cannot be read
     */
    public static TopicsFile parse(InputStream in) throws IOException {
        return parse(in, "<stream>");
    }

    static TopicsFile parse(InputStream in, String source) throws IOException {
        return new TopicsFile(source, TopicsFileParser.parse(in, source));
    }

    /**
     * The bundled defaults: {@code metrics.events}, {@code logs.events} and {@code health.events}
     * with their dead-letter topics, as the topics table in {@code docs/topics.md} lists them.
     *
     * @return the bundled topics file
     */
    public static TopicsFile defaults() {
        return DefaultsHolder.DEFAULTS;
    }

    /**
     * A topics file built in code, checked as a parsed file is (unique names, co-partitioning).
     *
     * @param topics the topics, in the order they are created and reported
     * @return the topics file
     * @throws TopicsFileException if two topics share a name or a co-partitioning declaration is broken
     */
    public static TopicsFile of(Collection<TopicSpec> topics) {
        List<TopicSpec> list = new ArrayList<>(topics);
        List<String> problems = new ArrayList<>();
        checkTopics(list, problems);
        if (!problems.isEmpty()) {
            throw new TopicsFileException("TopicsFile.of", problems);
        }
        return new TopicsFile("TopicsFile.of", list);
    }

    /** @return the declared topics, in declaration order (unmodifiable) */
    public List<TopicSpec> topics() {
        return topics;
    }

    /**
     * @param name a topic name
     * @return the declaration of that topic, if this file has one
     */
    public Optional<TopicSpec> topic(String name) {
        return topics.stream().filter(t -> t.name().equals(name)).findFirst();
    }

    /** @return where the topics came from: the file path, {@code <stream>}, or the bundled resource */
    public String source() {
        return source;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TopicsFile && topics.equals(((TopicsFile) o).topics);
    }

    @Override
    public int hashCode() {
        return topics.hashCode();
    }

    @Override
    public String toString() {
        return "TopicsFile[" + source + ", " + topics + "]";
    }

    /** Cross-topic rules: unique names; a co-partitioned topic names a declared topic with as many partitions. */
    static void checkTopics(List<TopicSpec> topics, List<String> problems) {
        Map<String, Integer> firstIndex = new HashMap<>();
        for (int i = 0; i < topics.size(); i++) {
            Integer first = firstIndex.putIfAbsent(topics.get(i).name(), i);
            if (first != null) {
                problems.add("topics[" + i + "].name '" + topics.get(i).name() + "' is already declared at topics["
                        + first + "]");
            }
        }
        for (int i = 0; i < topics.size(); i++) {
            TopicSpec topic = topics.get(i);
            if (topic.copartitionedWith().isEmpty()) {
                continue;
            }
            String other = topic.copartitionedWith().get();
            Integer otherIndex = firstIndex.get(other);
            if (otherIndex == null) {
                problems.add("topics[" + i + "].copartitionedWith names '" + other
                        + "', which this file does not declare (topic '" + topic.name() + "')");
            } else if (topics.get(otherIndex).partitions() != topic.partitions()) {
                problems.add("topics[" + i + "].partitions must equal the partitions of '" + other
                        + "' (" + topics.get(otherIndex).partitions() + ") because it is copartitionedWith it, got "
                        + topic.partitions() + " (topic '" + topic.name() + "')");
            }
        }
    }

    private static final class DefaultsHolder {
        static final TopicsFile DEFAULTS = load();

        private static TopicsFile load() {
            try (InputStream in = TopicsFile.class.getResourceAsStream(DEFAULTS_RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException("bundled topics file " + DEFAULTS_RESOURCE + " is missing");
                }
                return parse(in, "bundled " + DEFAULTS_RESOURCE);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read bundled topics file " + DEFAULTS_RESOURCE, e);
            }
        }
    }
}
