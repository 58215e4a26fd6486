package dev.tributary.topics;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TopicsFileTest {

    @Test
    void bundledDefaultsMatchTheDesignTable() {
        TopicsFile defaults = TopicsFile.defaults();

        assertThat(defaults.topics()).extracting(TopicSpec::name).containsExactly(
                "metrics.events", "logs.events", "health.events",
                "metrics.events.dlq", "logs.events.dlq", "health.events.dlq");
        assertThat(defaults.topic("metrics.events").orElseThrow().topicConfigs()).containsExactly(
                Map.entry("retention.ms", "604800000"),
                Map.entry("compression.type", "lz4"),
                Map.entry("cleanup.policy", "delete"));
        assertThat(defaults.topic("logs.events").orElseThrow().topicConfigs()).containsExactly(
                Map.entry("retention.ms", "604800000"),
                Map.entry("compression.type", "lz4"),
                Map.entry("cleanup.policy", "delete"));
        TopicSpec health = defaults.topic("health.events").orElseThrow();
        assertThat(health.partitions()).isEqualTo(3);
        assertThat(health.copartitionedWith()).contains("metrics.events");
        assertThat(health.topicConfigs()).containsExactly(
                Map.entry("retention.ms", "604800000"),
                Map.entry("cleanup.policy", "compact,delete"));
        for (String dlq : List.of("metrics.events.dlq", "logs.events.dlq", "health.events.dlq")) {
            TopicSpec spec = defaults.topic(dlq).orElseThrow();
            assertThat(spec.partitions()).as(dlq).isEqualTo(1);
            assertThat(spec.retention()).as(dlq).contains(Duration.ofDays(30));
        }
        assertThat(defaults.topics()).allSatisfy(spec -> assertThat(spec.replicationFactor()).isEmpty());
        assertThat(defaults.source()).isEqualTo("bundled " + TopicsFile.DEFAULTS_RESOURCE);
    }

    @Test
    void everyFieldMapsOntoTheSpec() throws IOException {
        TopicsFile file = parse("{\"defaults\": {\"replicationFactor\": 1},"
                + " \"topics\": [{\"name\": \"payment.events\", \"partitions\": 2, \"retention\": \"30d\","
                + " \"compression\": \"zstd\", \"cleanupPolicy\": [\"delete\", \"compact\"],"
                + " \"description\": \"business events\","
                + " \"config\": {\"min.insync.replicas\": 1, \"min.cleanable.dirty.ratio\": 0.50,"
                + " \"message.timestamp.type\": \"LogAppendTime\", \"unclean.leader.election.enable\": false}}]}");

        TopicSpec spec = file.topics().get(0);
        assertThat(spec.name()).isEqualTo("payment.events");
        assertThat(spec.partitions()).isEqualTo(2);
        assertThat(spec.replicationFactor()).contains((short) 1);
        assertThat(spec.retention()).contains(Duration.ofDays(30));
        assertThat(spec.compression()).contains("zstd");
        assertThat(spec.cleanupPolicy()).contains("compact,delete");
        assertThat(spec.description()).contains("business events");
        assertThat(spec.copartitionedWith()).isEmpty();
        assertThat(spec.topicConfigs()).containsExactly(
                Map.entry("retention.ms", "2592000000"),
                Map.entry("compression.type", "zstd"),
                Map.entry("cleanup.policy", "compact,delete"),
                Map.entry("min.insync.replicas", "1"),
                Map.entry("min.cleanable.dirty.ratio", "0.5"),
                Map.entry("message.timestamp.type", "LogAppendTime"),
                Map.entry("unclean.leader.election.enable", "false"));
    }

    @Test
    void retentionAcceptsUnitsAndPlainMilliseconds() throws IOException {
        TopicsFile file = parse("{\"topics\": ["
                + "{\"name\": \"a\", \"partitions\": 1, \"retention\": \"12h\"},"
                + "{\"name\": \"b\", \"partitions\": 1, \"retention\": \"30m\"},"
                + "{\"name\": \"c\", \"partitions\": 1, \"retention\": \"500ms\"},"
                + "{\"name\": \"d\", \"partitions\": 1, \"retention\": 86400000},"
                + "{\"name\": \"e\", \"partitions\": 1, \"retention\": \"86400000\"},"
                + "{\"name\": \"f\", \"partitions\": 1, \"retention\": \"45s\"}]}");

        assertThat(file.topics()).extracting(spec -> spec.topicConfigs().get("retention.ms"))
                .containsExactly("43200000", "1800000", "500", "86400000", "86400000", "45000");
    }

    @Test
    void negativeRetentionPointsToUnlimitedRetention() {
        assertThatThrownBy(() -> parse("{\"topics\": [{\"name\": \"a\", \"partitions\": 1, \"retention\": -1}]}"))
                .hasMessage("<stream>: topics[0].retention must be positive, got -1ms (for unlimited retention set"
                        + " config retention.ms to -1) (topic 'a')");
    }

    @Test
    void topicValuesOverrideDefaultsInEitherForm() throws IOException {
        TopicsFile file = parse("{\"defaults\": {\"partitions\": 4, \"retention\": \"7d\", \"compression\": \"lz4\","
                + " \"config\": {\"min.insync.replicas\": \"2\", \"cleanup.policy\": \"delete\"}},"
                + " \"topics\": [{\"name\": \"plain\"},"
                + " {\"name\": \"forever\", \"partitions\": 1, \"config\": {\"retention.ms\": \"-1\"},"
                + "  \"cleanupPolicy\": \"compact\", \"compression\": \"zstd\"}]}");

        assertThat(file.topics().get(0).partitions()).isEqualTo(4);
        assertThat(file.topics().get(0).topicConfigs()).containsExactly(
                Map.entry("retention.ms", "604800000"),
                Map.entry("compression.type", "lz4"),
                Map.entry("min.insync.replicas", "2"),
                Map.entry("cleanup.policy", "delete"));
        assertThat(file.topics().get(1).partitions()).isEqualTo(1);
        assertThat(file.topics().get(1).topicConfigs()).containsExactly(
                Map.entry("compression.type", "zstd"),
                Map.entry("cleanup.policy", "compact"),
                Map.entry("min.insync.replicas", "2"),
                Map.entry("retention.ms", "-1"));
    }

    @Test
    void invalidPartitionsNameTheFieldAndTopic() {
        assertThatThrownBy(() -> parse("{\"topics\": [{\"name\": \"a\", \"partitions\": 1},"
                + " {\"name\": \"b\", \"partitions\": 1}, {\"name\": \"payment.events\", \"partitions\": 0}]}"))
                .isInstanceOf(TopicsFileException.class)
                .hasMessage("<stream>: topics[2].partitions must be positive, got 0 (topic 'payment.events')");
    }

    @Test
    void missingPartitionsIsRejected() {
        assertThatThrownBy(() -> parse("{\"topics\": [{\"name\": \"a\"}]}"))
                .hasMessage("<stream>: topics[0].partitions is required (topic 'a')");
    }

    @Test
    void unknownPropertiesAreRejectedByName() {
        assertThatThrownBy(() -> parse("{\"topics\": [{\"name\": \"logs.events\", \"partitions\": 3,"
                + " \"retension\": \"7d\"}]}"))
                .hasMessage("<stream>: topics[0].retension is not a known property (topic 'logs.events'); known: "
                        + "cleanupPolicy, compression, config, copartitionedWith, description, name, partitions, "
                        + "replicationFactor, retention");
        assertThatThrownBy(() -> parse("{\"topic\": []}"))
                .hasMessageContaining("topic is not a known property; known: defaults, topics");
        assertThatThrownBy(() -> parse("{\"defaults\": {\"name\": \"x\"}, \"topics\": []}"))
                .hasMessageStartingWith("<stream>: defaults.name is not a known property; known: cleanupPolicy,");
    }

    @Test
    void duplicateTopicNamesAreRejected() {
        assertThatThrownBy(() -> parse("{\"topics\": [{\"name\": \"a\", \"partitions\": 1},"
                + " {\"name\": \"b\", \"partitions\": 1}, {\"name\": \"a\", \"partitions\": 2}]}"))
                .hasMessage("<stream>: topics[2].name 'a' is already declared at topics[0]");
    }

    @Test
    void duplicateJsonKeysAreRejected() {
        assertThatThrownBy(() -> parse("{\"topics\": [{\"name\": \"a\", \"partitions\": 1, \"partitions\": 2}]}"))
                .isInstanceOf(TopicsFileException.class)
                .hasMessageContaining("<stream>: is not valid JSON at line 1, column")
                .hasMessageContaining("Duplicate field 'partitions'");
    }

    @Test
    void malformedJsonNamesTheLocation() {
        assertThatThrownBy(() -> parse("{\"topics\": [\n{\"name\": \"a\" \"partitions\": 1}]}"))
                .isInstanceOf(TopicsFileException.class)
                .hasMessageStartingWith("<stream>: is not valid JSON at line 2, column");
    }

    @Test
    void copartitionedTopicsMustHaveTheSamePartitionCount() {
        assertThatThrownBy(() -> parse("{\"topics\": [{\"name\": \"metrics.events\", \"partitions\": 3},"
                + " {\"name\": \"health.events\", \"partitions\": 2, \"copartitionedWith\": \"metrics.events\"}]}"))
                .hasMessage("<stream>: topics[1].partitions must equal the partitions of 'metrics.events' (3) because"
                        + " it is copartitionedWith it, got 2 (topic 'health.events')");
    }

    @Test
    void copartitionedWithMustNameADeclaredTopic() {
        assertThatThrownBy(() -> parse("{\"topics\": [{\"name\": \"health.events\", \"partitions\": 3,"
                + " \"copartitionedWith\": \"metrics.event\"}]}"))
                .hasMessage("<stream>: topics[0].copartitionedWith names 'metrics.event', which this file does not"
                        + " declare (topic 'health.events')");
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        TopicsFileException e = (TopicsFileException) catchThrowable("{\"topics\": ["
                + "{\"name\": \"bad name!\", \"partitions\": 1},"
                + "{\"name\": \"b\", \"partitions\": \"three\", \"retention\": \"7 days\"},"
                + "{\"name\": \"c\", \"partitions\": 1, \"compression\": \"brotli\", \"cleanupPolicy\": \"compact,purge\","
                + " \"replicationFactor\": 0, \"retention\": \"7d\", \"config\": {\"retention.ms\": 1, \"x\": null}}]}");

        assertThat(e.problems()).containsExactly(
                "topics[0].name may contain only ASCII letters, digits, '.', '_' and '-', got 'bad name!'",
                "topics[1].partitions must be an integer, got \"three\" (topic 'b')",
                "topics[1].retention must be a duration such as 7d, 12h, 30m, 45s, 500ms or a number of milliseconds,"
                        + " got '7 days' (topic 'b')",
                "topics[2].config.x must be a string, number or boolean, got null (topic 'c')",
                "topics[2].replicationFactor must be between 1 and 32767, got 0 (topic 'c')",
                "topics[2].compression must be one of [gzip, lz4, producer, snappy, uncompressed, zstd], got 'brotli'"
                        + " (topic 'c')",
                "topics[2].cleanupPolicy must be delete, compact or compact,delete, got 'compact,purge' (topic 'c')",
                "topics[2].config.retention.ms repeats topics[2].retention; set only one (topic 'c')");
        assertThat(e.getMessage()).startsWith("<stream> has 8 problems:");
    }

    @Test
    void structuralMistakesAreNamed() {
        assertThatThrownBy(() -> parse("[]")).hasMessage(
                "<stream>: must be a JSON object with a \"topics\" array, got an array");
        assertThatThrownBy(() -> parse("")).hasMessage("<stream>: is empty; expected {\"topics\": [...]}");
        assertThatThrownBy(() -> parse("{}")).hasMessage(
                "<stream>: topics is required: a list of {\"name\": ..., \"partitions\": ...}");
        assertThatThrownBy(() -> parse("{\"topics\": {}}")).hasMessage("<stream>: topics must be an array, got an object");
        assertThatThrownBy(() -> parse("{\"topics\": [{\"name\": 7, \"partitions\": 1}]}"))
                .hasMessage("<stream>: topics[0].name must be a string, got 7");
        assertThatThrownBy(() -> parse("{\"topics\": [\"metrics.events\"]}"))
                .hasMessage("<stream>: topics[0] must be an object, got \"metrics.events\"");
        assertThatThrownBy(() -> parse("{\"defaults\": {\"partitions\": -1}, \"topics\": [{\"name\": \"a\"}]}"))
                .hasMessage("<stream>: defaults.partitions must be positive, got -1");
    }

    @Test
    void parsingAPathNamesTheFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("topics.json");
        Files.writeString(file, "{\"topics\": [{\"name\": \"a\", \"partitions\": 1, \"compression\": \"LZ4\"}]}");

        assertThatThrownBy(() -> TopicsFile.parse(file))
                .hasMessageStartingWith(file + ": topics[0].compression must be one of");
    }

    @Test
    void topicsBuiltInCodeAreCheckedLikeAFile() {
        TopicSpec metrics = TopicSpec.builder("metrics.events").partitions(3).build();
        TopicSpec health = TopicSpec.builder("health.events").partitions(4).copartitionedWith("metrics.events").build();

        assertThatThrownBy(() -> TopicsFile.of(List.of(metrics, health)))
                .hasMessageStartingWith("TopicsFile.of: topics[1].partitions must equal the partitions of 'metrics.events'");
        assertThat(TopicsFile.of(List.of(metrics)).topics()).containsExactly(metrics);
    }

    private static TopicsFile parse(String json) throws IOException {
        return TopicsFile.parse(new ByteArrayInputStream(json.getBytes(UTF_8)));
    }

    private static Throwable catchThrowable(String json) {
        try {
            parse(json);
        } catch (Throwable t) {
            return t;
        }
        throw new AssertionError("expected the file to be rejected");
    }
}
