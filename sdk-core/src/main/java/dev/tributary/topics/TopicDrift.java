package dev.tributary.topics;

import dev.tributary.internal.Durations;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * One difference between a topic as declared and as it exists in the cluster. Drift is reported,
 * never repaired: see {@link TopicProvisioner} for why.
 */
public final class TopicDrift {

    /** What differs. */
    public enum Kind {
        /** The topic has fewer partitions than declared. */
        PARTITIONS_LOWER,
        /** The topic has more partitions than declared. */
        PARTITIONS_HIGHER,
        /** Some partition has a different number of replicas than the declared replication factor. */
        REPLICATION_FACTOR_DIFFERS,
        /** A declared topic config has another value (or none) on the topic. */
        CONFIG_DIFFERS,
        /**
         * The topic and the topic it is declared {@code copartitionedWith} have different partition
         * counts in the cluster, so records with the same key land in different partition numbers.
         */
        NOT_COPARTITIONED
    }

    /** Shown as the actual value of a config the topic does not have at all. */
    public static final String NOT_SET = "(not set)";

    private final String topic;
    private final Kind kind;
    private final String property;
    private final String expected;
    private final String actual;
    private final Optional<String> copartitionedWith;

    TopicDrift(String topic, Kind kind, String property, String expected, String actual) {
        this(topic, kind, property, expected, actual, null);
    }

    private TopicDrift(String topic, Kind kind, String property, String expected, String actual,
            String copartitionedWith) {
        this.copartitionedWith = Optional.ofNullable(copartitionedWith);
        this.topic = Objects.requireNonNull(topic, "topic");
        this.kind = Objects.requireNonNull(kind, "kind");
        this.property = Objects.requireNonNull(property, "property");
        this.expected = Objects.requireNonNull(expected, "expected");
        this.actual = Objects.requireNonNull(actual, "actual");
    }

    /**
     * The partition counts of {@code topic} and {@code other} differ although {@code topic} is declared
     * {@code copartitionedWith} {@code other}.
     */
    static TopicDrift notCopartitioned(String topic, int partitions, String other, int otherPartitions) {
        return new TopicDrift(topic, Kind.NOT_COPARTITIONED, "partitions", Integer.toString(otherPartitions),
                Integer.toString(partitions), other);
    }

    /** @return the topic that drifted */
    public String topic() {
        return topic;
    }

    /** @return what differs */
    public Kind kind() {
        return kind;
    }

    /**
     * @return {@code partitions} (also for {@link Kind#NOT_COPARTITIONED}), {@code replication.factor},
     *     or the topic config name (such as {@code retention.ms})
     */
    public String property() {
        return property;
    }

    /**
     * @return the declared value as Kafka spells it (partition count, replication factor, config
     *     value); for {@link Kind#NOT_COPARTITIONED} the partition count of the other topic
     */
    public String expected() {
        return expected;
    }

    /** @return the value in the cluster, or {@link #NOT_SET} */
    public String actual() {
        return actual;
    }

    /**
     * @return for {@link Kind#NOT_COPARTITIONED}, the topic this one is declared co-partitioned with
     *     (whose partition count is {@link #expected()}); empty for the other kinds
     */
    public Optional<String> copartitionedWith() {
        return copartitionedWith;
    }

    /**
     * One human-readable line without the topic name, for example
     * {@code partitions: expected 3, actual 2 (fewer than declared)} or
     * {@code retention.ms: expected 604800000 (7d), actual 86400000 (1d)}.
     *
     * @return the description
     */
    public String describe() {
        switch (kind) {
            case PARTITIONS_LOWER:
                return "partitions: expected " + expected + ", actual " + actual + " (fewer than declared)";
            case PARTITIONS_HIGHER:
                return "partitions: expected " + expected + ", actual " + actual + " (more than declared)";
            case REPLICATION_FACTOR_DIFFERS:
                return "replication factor: expected " + expected + ", actual " + actual;
            case NOT_COPARTITIONED:
                return "partitions: expected " + expected + " like " + copartitionedWith.orElse("?")
                        + ", actual " + actual + " (not co-partitioned with " + copartitionedWith.orElse("?") + ")";
            default:
                return property + ": expected " + withDuration(property, expected) + ", actual "
                        + withDuration(property, actual);
        }
    }

    /** Adds the short form to millisecond configs: {@code 604800000 (7d)}. */
    private static String withDuration(String config, String value) {
        if (!config.endsWith(".ms")) {
            return value;
        }
        try {
            long millis = new BigDecimal(value).longValueExact();
            return millis > 0 ? value + " (" + Durations.format(Duration.ofMillis(millis)) + ")" : value;
        } catch (NumberFormatException | ArithmeticException e) {
            return value;
        }
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof TopicDrift)) {
            return false;
        }
        TopicDrift that = (TopicDrift) o;
        return topic.equals(that.topic) && kind == that.kind && property.equals(that.property)
                && expected.equals(that.expected) && actual.equals(that.actual)
                && copartitionedWith.equals(that.copartitionedWith);
    }

    @Override
    public int hashCode() {
        return Objects.hash(topic, kind, property, expected, actual, copartitionedWith);
    }

    @Override
    public String toString() {
        return topic + " " + describe();
    }
}
