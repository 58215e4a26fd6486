package dev.tributary.topics;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.IntSummaryStatistics;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.TopicConfig;

/** Compares a declared topic with what the cluster describes; pure logic, no I/O. */
final class DriftDetector {

    private DriftDetector() {
    }

    /**
     * @param spec the declaration
     * @param description the topic as described by the cluster
     * @param config the topic's configs as described by the cluster (all of them, defaults included)
     * @return every difference, partitions first, then replication, then configs in declaration order
     */
    static List<TopicDrift> compare(TopicSpec spec, TopicDescription description, Config config) {
        List<TopicDrift> drift = new ArrayList<>();
        int partitions = description.partitions().size();
        if (partitions != spec.partitions()) {
            drift.add(new TopicDrift(spec.name(),
                    partitions < spec.partitions() ? TopicDrift.Kind.PARTITIONS_LOWER : TopicDrift.Kind.PARTITIONS_HIGHER,
                    "partitions", Integer.toString(spec.partitions()), Integer.toString(partitions)));
        }
        spec.replicationFactor().ifPresent(expected -> {
            IntSummaryStatistics replicas = description.partitions().stream()
                    .map(TopicPartitionInfo::replicas)
                    .mapToInt(List::size)
                    .summaryStatistics();
            if (replicas.getCount() > 0 && (replicas.getMin() != expected || replicas.getMax() != expected)) {
                String actual = replicas.getMin() == replicas.getMax()
                        ? Integer.toString(replicas.getMin())
                        : replicas.getMin() + " to " + replicas.getMax();
                drift.add(new TopicDrift(spec.name(), TopicDrift.Kind.REPLICATION_FACTOR_DIFFERS,
                        "replication.factor", Short.toString(expected), actual));
            }
        });
        for (Map.Entry<String, String> declared : spec.topicConfigs().entrySet()) {
            ConfigEntry entry = config.get(declared.getKey());
            String actual = entry == null || entry.value() == null ? null : entry.value();
            if (!sameValue(declared.getKey(), declared.getValue(), actual)) {
                drift.add(new TopicDrift(spec.name(), TopicDrift.Kind.CONFIG_DIFFERS, declared.getKey(),
                        declared.getValue(), actual == null ? TopicDrift.NOT_SET : actual));
            }
        }
        return drift;
    }

    /**
     * Whether a config value in the cluster means what was declared: {@code cleanup.policy} compares
     * as a set ({@code delete,compact} is {@code compact,delete}), numbers by value ({@code 0.50} is
     * {@code 0.5}), everything else exactly.
     */
    static boolean sameValue(String key, String expected, String actual) {
        if (actual == null) {
            return false;
        }
        if (expected.equals(actual)) {
            return true;
        }
        if (key.equals(TopicConfig.CLEANUP_POLICY_CONFIG)) {
            return TopicSpec.normalizeCleanupPolicy(expected).equals(TopicSpec.normalizeCleanupPolicy(actual));
        }
        try {
            return new BigDecimal(expected.trim()).compareTo(new BigDecimal(actual.trim())) == 0;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
