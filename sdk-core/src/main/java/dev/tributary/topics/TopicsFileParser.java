package dev.tributary.topics;

import dev.tributary.internal.Durations;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.common.config.TopicConfig;

/**
 * Reads the JSON of a topics file into {@link TopicSpec}s, collecting every problem with the path
 * of the offending field, so a user fixes a file in one pass.
 */
final class TopicsFileParser {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();

    private static final Set<String> FILE_PROPERTIES = Set.of("defaults", "topics");
    private static final Set<String> DEFAULTS_PROPERTIES =
            Set.of("partitions", "replicationFactor", "retention", "compression", "cleanupPolicy", "config");
    private static final Set<String> TOPIC_PROPERTIES = Set.of("name", "partitions", "replicationFactor",
            "retention", "compression", "cleanupPolicy", "config", "copartitionedWith", "description");

    private final String source;
    private final List<String> problems = new ArrayList<>();

    private TopicsFileParser(String source) {
        this.source = source;
    }

    static List<TopicSpec> parse(InputStream in, String source) throws IOException {
        return new TopicsFileParser(source).parse(in);
    }

    private List<TopicSpec> parse(InputStream in) throws IOException {
        JsonNode root;
        try {
            root = MAPPER.readTree(in);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw new TopicsFileException(source, "is not valid JSON" + where + ": " + e.getOriginalMessage(), e);
        }
        if (root == null || root.isMissingNode()) {
            throw new TopicsFileException(source, List.of("is empty; expected {\"topics\": [...]}"));
        }
        if (!root.isObject()) {
            throw new TopicsFileException(source,
                    List.of("must be a JSON object with a \"topics\" array, got " + kind(root)));
        }
        rejectUnknown(root, "", FILE_PROPERTIES, "");

        Fields defaults = new Fields();
        JsonNode defaultsNode = root.get("defaults");
        if (defaultsNode != null) {
            if (defaultsNode.isObject()) {
                rejectUnknown(defaultsNode, "defaults", DEFAULTS_PROPERTIES, "");
                defaults = readFields(defaultsNode, "defaults", "");
                TopicSpec.validate(defaults.applyTo(TopicSpec.builder(null)), "defaults", true, problems);
            } else {
                problems.add("defaults must be an object, got " + kind(defaultsNode));
            }
        }
        // Invalid defaults would be reported again for every topic that inherits them: stop here.
        failIfProblems();

        JsonNode topicsNode = root.get("topics");
        if (topicsNode == null) {
            problems.add("topics is required: a list of {\"name\": ..., \"partitions\": ...}");
        } else if (!topicsNode.isArray()) {
            problems.add("topics must be an array, got " + kind(topicsNode));
        }
        failIfProblems();

        List<TopicSpec> specs = new ArrayList<>();
        for (int i = 0; i < topicsNode.size(); i++) {
            String path = "topics[" + i + "]";
            JsonNode topicNode = topicsNode.get(i);
            if (!topicNode.isObject()) {
                problems.add(path + " must be an object, got " + kind(topicNode));
                continue;
            }
            int beforeFields = problems.size();
            JsonNode nameNode = topicNode.get("name");
            String name = null;
            if (nameNode != null && !nameNode.isTextual()) {
                problems.add(path + ".name must be a string, got " + kind(nameNode));
            } else if (nameNode != null) {
                name = nameNode.textValue();
            }
            String topic = name == null || name.isBlank() ? "" : " (topic '" + name + "')";
            rejectUnknown(topicNode, path, TOPIC_PROPERTIES, topic);
            Fields fields = readFields(topicNode, path, topic).inheriting(defaults);
            List<String> unreadable = List.copyOf(problems.subList(beforeFields, problems.size()));
            TopicSpec.Builder builder = fields.applyTo(TopicSpec.builder(name));
            String copartitionedWith = text(topicNode, "copartitionedWith", path, topic);
            if (copartitionedWith != null) {
                builder.copartitionedWith(copartitionedWith);
            }
            String description = text(topicNode, "description", path, topic);
            if (description != null) {
                builder.description(description);
            }
            List<String> invalid = new ArrayList<>();
            TopicSpec spec = TopicSpec.validate(builder, path, invalid);
            if (spec != null) {
                specs.add(spec);
            }
            // A field that could not be read is unset for validation: don't also call it "required".
            invalid.stream().filter(problem -> unreadable.stream().noneMatch(
                    reported -> sameField(reported, problem))).forEach(problems::add);
        }
        failIfProblems();
        TopicsFile.checkTopics(specs, problems);
        failIfProblems();
        return specs;
    }

    /** Whether two problem messages are about the same field ({@code topics[1].partitions ...}). */
    private static boolean sameField(String a, String b) {
        return a.substring(0, a.indexOf(' ')).equals(b.substring(0, b.indexOf(' ')));
    }

    private void failIfProblems() {
        if (!problems.isEmpty()) {
            throw new TopicsFileException(source, problems);
        }
    }

    private void rejectUnknown(JsonNode object, String path, Set<String> known, String topic) {
        for (Map.Entry<String, JsonNode> property : object.properties()) {
            String name = property.getKey();
            if (!known.contains(name)) {
                String where = path.isEmpty() ? name : path + "." + name;
                problems.add(where + " is not a known property" + topic + "; known: "
                        + String.join(", ", new TreeSet<>(known)));
            }
        }
    }

    private Fields readFields(JsonNode node, String path, String topic) {
        Fields fields = new Fields();
        fields.partitions = integer(node, "partitions", path, topic);
        fields.replicationFactor = integer(node, "replicationFactor", path, topic);
        fields.retention = duration(node, "retention", path, topic);
        fields.compression = text(node, "compression", path, topic);
        fields.cleanupPolicy = cleanupPolicy(node, path, topic);
        JsonNode config = node.get("config");
        if (config != null) {
            if (!config.isObject()) {
                problems.add(path + ".config must be an object of topic configs, got " + kind(config) + topic);
            } else {
                for (Map.Entry<String, JsonNode> entry : config.properties()) {
                    String value = configValue(entry.getValue());
                    if (value == null) {
                        problems.add(path + ".config." + entry.getKey()
                                + " must be a string, number or boolean, got " + kind(entry.getValue()) + topic);
                    } else {
                        fields.config.put(entry.getKey(), value);
                    }
                }
            }
        }
        return fields;
    }

    private Integer integer(JsonNode node, String field, String path, String topic) {
        JsonNode value = node.get(field);
        if (value == null) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            problems.add(path + "." + field + " must be an integer, got " + kind(value) + topic);
            return null;
        }
        return value.intValue();
    }

    private String text(JsonNode node, String field, String path, String topic) {
        JsonNode value = node.get(field);
        if (value == null) {
            return null;
        }
        if (!value.isTextual()) {
            problems.add(path + "." + field + " must be a string, got " + kind(value) + topic);
            return null;
        }
        return value.textValue();
    }

    private Duration duration(JsonNode node, String field, String path, String topic) {
        JsonNode value = node.get(field);
        if (value == null) {
            return null;
        }
        if (value.isIntegralNumber() && value.canConvertToLong()) {
            return Duration.ofMillis(value.longValue());
        }
        if (value.isTextual()) {
            try {
                return Durations.parseMillisByDefault(value.textValue());
            } catch (IllegalArgumentException e) {
                problems.add(path + "." + field + " " + e.getMessage() + topic);
                return null;
            }
        }
        problems.add(path + "." + field + " must be a duration such as \"7d\" or a number of milliseconds, got "
                + kind(value) + topic);
        return null;
    }

    private String cleanupPolicy(JsonNode node, String path, String topic) {
        JsonNode value = node.get("cleanupPolicy");
        if (value == null) {
            return null;
        }
        if (value.isTextual()) {
            return value.textValue();
        }
        if (value.isArray() && value.size() > 0) {
            List<String> parts = new ArrayList<>();
            for (JsonNode part : value) {
                if (!part.isTextual()) {
                    parts = null;
                    break;
                }
                parts.add(part.textValue());
            }
            if (parts != null) {
                return String.join(",", parts);
            }
        }
        problems.add(path + ".cleanupPolicy must be \"delete\", \"compact\" or \"compact,delete\", got "
                + kind(value) + topic);
        return null;
    }

    /** Kafka takes every config as a string; JSON numbers and booleans are written the way Kafka prints them. */
    private static String configValue(JsonNode value) {
        if (value.isTextual()) {
            return value.textValue();
        }
        if (value.isIntegralNumber()) {
            return value.bigIntegerValue().toString();
        }
        if (value.isNumber()) {
            return value.decimalValue().stripTrailingZeros().toPlainString();
        }
        if (value.isBoolean()) {
            return Boolean.toString(value.booleanValue());
        }
        return null;
    }

    private static String kind(JsonNode value) {
        if (value.isTextual()) {
            String text = value.textValue();
            return "\"" + (text.length() > 40 ? text.substring(0, 40) + "…" : text) + "\"";
        }
        if (value.isObject()) {
            return "an object";
        }
        if (value.isArray()) {
            return "an array";
        }
        if (value.isNull()) {
            return "null";
        }
        return value.toString();
    }

    /** The optional fields a topic and the defaults block share, before they are merged. */
    private static final class Fields {
        Integer partitions;
        Integer replicationFactor;
        Duration retention;
        String compression;
        String cleanupPolicy;
        final Map<String, String> config = new LinkedHashMap<>();

        /**
         * Fills what this topic leaves open from {@code defaults}. A topic setting a Kafka config in
         * either form (the first-class field or {@code config}) overrides the defaults' value in
         * either form, so {@code "config": {"retention.ms": "-1"}} on a topic beats
         * {@code "retention": "7d"} in the defaults.
         */
        Fields inheriting(Fields defaults) {
            Fields merged = new Fields();
            merged.partitions = partitions != null ? partitions : defaults.partitions;
            merged.replicationFactor = replicationFactor != null ? replicationFactor : defaults.replicationFactor;
            boolean ownsRetention = retention != null || config.containsKey(TopicConfig.RETENTION_MS_CONFIG);
            boolean ownsCompression = compression != null || config.containsKey(TopicConfig.COMPRESSION_TYPE_CONFIG);
            boolean ownsCleanup = cleanupPolicy != null || config.containsKey(TopicConfig.CLEANUP_POLICY_CONFIG);
            merged.retention = ownsRetention ? retention : defaults.retention;
            merged.compression = ownsCompression ? compression : defaults.compression;
            merged.cleanupPolicy = ownsCleanup ? cleanupPolicy : defaults.cleanupPolicy;
            defaults.config.forEach((key, value) -> {
                boolean owned = key.equals(TopicConfig.RETENTION_MS_CONFIG) && ownsRetention
                        || key.equals(TopicConfig.COMPRESSION_TYPE_CONFIG) && ownsCompression
                        || key.equals(TopicConfig.CLEANUP_POLICY_CONFIG) && ownsCleanup;
                if (!owned) {
                    merged.config.put(key, value);
                }
            });
            merged.config.putAll(config);
            return merged;
        }

        TopicSpec.Builder applyTo(TopicSpec.Builder builder) {
            if (partitions != null) {
                builder.partitions(partitions);
            }
            if (replicationFactor != null) {
                builder.replicationFactor(replicationFactor);
            }
            if (retention != null) {
                builder.retention(retention);
            }
            if (compression != null) {
                builder.compression(compression);
            }
            if (cleanupPolicy != null) {
                builder.cleanupPolicy(cleanupPolicy);
            }
            config.forEach(builder::config);
            return builder;
        }
    }
}
