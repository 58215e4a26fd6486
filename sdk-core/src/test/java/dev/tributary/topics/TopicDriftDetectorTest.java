package dev.tributary.topics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.junit.jupiter.api.Test;

class TopicDriftDetectorTest {

    private static final TopicSpec HEALTH = TopicSpec.builder("health.events").partitions(3)
            .retention(Duration.ofDays(7)).cleanupPolicy("compact,delete").build();

    @Test
    void matchingTopicHasNoDrift() {
        assertThat(DriftDetector.compare(HEALTH, description(3, 1), config(Map.of(
                "retention.ms", "604800000", "cleanup.policy", "delete,compact", "compression.type", "producer"))))
                .isEmpty();
    }

    @Test
    void partitionCountsAndConfigsAreReportedWithExpectedAndActual() {
        List<TopicDrift> drift = DriftDetector.compare(HEALTH, description(2, 1), config(Map.of(
                "retention.ms", "86400000", "cleanup.policy", "delete")));

        assertThat(drift).containsExactly(
                new TopicDrift("health.events", TopicDrift.Kind.PARTITIONS_LOWER, "partitions", "3", "2"),
                new TopicDrift("health.events", TopicDrift.Kind.CONFIG_DIFFERS, "retention.ms", "604800000", "86400000"),
                new TopicDrift("health.events", TopicDrift.Kind.CONFIG_DIFFERS, "cleanup.policy", "compact,delete",
                        "delete"));
        assertThat(drift).extracting(TopicDrift::describe).containsExactly(
                "partitions: expected 3, actual 2 (fewer than declared)",
                "retention.ms: expected 604800000 (7d), actual 86400000 (1d)",
                "cleanup.policy: expected compact,delete, actual delete");
    }

    @Test
    void morePartitionsMissingConfigsAndReplicationAreDrift() {
        TopicSpec spec = TopicSpec.builder("a").partitions(1).replicationFactor(3).config("x.y", "1.0").build();

        assertThat(DriftDetector.compare(spec, description(2, 1), config(Map.of())))
                .extracting(TopicDrift::describe).containsExactly(
                        "partitions: expected 1, actual 2 (more than declared)",
                        "replication factor: expected 3, actual 1",
                        "x.y: expected 1.0, actual (not set)");
    }

    @Test
    void numbersCompareByValue() {
        assertThat(DriftDetector.sameValue("min.cleanable.dirty.ratio", "0.50", "0.5")).isTrue();
        assertThat(DriftDetector.sameValue("segment.ms", "1000", "1001")).isFalse();
        assertThat(DriftDetector.sameValue("compression.type", "lz4", "LZ4")).isFalse();
    }

    @Test
    void copartitioningDriftNamesTheOtherTopic() {
        TopicDrift drift = TopicDrift.notCopartitioned("health.events", 2, "metrics.events", 3);

        assertThat(drift.kind()).isEqualTo(TopicDrift.Kind.NOT_COPARTITIONED);
        assertThat(drift.copartitionedWith()).contains("metrics.events");
        assertThat(drift).hasToString("health.events partitions: expected 3 like metrics.events, actual 2"
                + " (not co-partitioned with metrics.events)");
    }

    private static TopicDescription description(int partitions, int replicas) {
        List<Node> nodes = new ArrayList<>();
        for (int i = 0; i < replicas; i++) {
            nodes.add(new Node(i, "127.0.0.1", 9092 + i));
        }
        List<TopicPartitionInfo> infos = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            infos.add(new TopicPartitionInfo(p, nodes.get(0), nodes, nodes));
        }
        return new TopicDescription("health.events", false, infos);
    }

    private static Config config(Map<String, String> values) {
        List<ConfigEntry> entries = new ArrayList<>();
        values.forEach((k, v) -> entries.add(new ConfigEntry(k, v)));
        return new Config(entries);
    }
}
