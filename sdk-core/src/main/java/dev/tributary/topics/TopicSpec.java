package dev.tributary.topics;

import dev.tributary.internal.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.apache.kafka.common.config.TopicConfig;

/**
 * One topic as a topics file declares it: name, partition count, optional replication factor,
 * and the topic configs Tributary cares about. Immutable; equal when all fields are equal.
 *
 * <p>The first-class fields map onto Kafka topic configs: {@link #retention()} onto
 * {@code retention.ms}, {@link #compression()} onto {@code compression.type} and
 * {@link #cleanupPolicy()} onto {@code cleanup.policy}; {@link #config()} carries any other topic
 * config through unchanged. {@link #topicConfigs()} is the union, exactly what a new topic is
 * created with and what an existing topic is compared against.
 *
 * <p>Instances come from {@link TopicsFile#parse(java.nio.file.Path)} or from {@link #builder(String)}.
 */
public final class TopicSpec {

    /** Longest topic name Kafka accepts. */
    public static final int MAX_NAME_LENGTH = 249;

    private static final Pattern LEGAL_NAME = Pattern.compile("[a-zA-Z0-9._-]+");
    private static final Set<String> COMPRESSION_TYPES =
            Set.of("uncompressed", "zstd", "lz4", "snappy", "gzip", "producer");
    private static final Set<String> CLEANUP_POLICIES =
            Set.of(TopicConfig.CLEANUP_POLICY_COMPACT, TopicConfig.CLEANUP_POLICY_DELETE);

    private final String name;
    private final int partitions;
    private final Optional<Short> replicationFactor;
    private final Optional<Duration> retention;
    private final Optional<String> compression;
    private final Optional<String> cleanupPolicy;
    private final Map<String, String> config;
    private final Optional<String> copartitionedWith;
    private final Optional<String> description;

    private TopicSpec(Builder b) {
        this.name = b.name;
        this.partitions = b.partitions;
        this.replicationFactor = Optional.ofNullable(b.replicationFactor).map(Integer::shortValue);
        this.retention = Optional.ofNullable(b.retention);
        this.compression = Optional.ofNullable(b.compression);
        this.cleanupPolicy = Optional.ofNullable(b.cleanupPolicy).map(TopicSpec::normalizeCleanupPolicy);
        this.config = Collections.unmodifiableMap(new LinkedHashMap<>(b.config));
        this.copartitionedWith = Optional.ofNullable(b.copartitionedWith);
        this.description = Optional.ofNullable(b.description);
    }

    /**
     * Starts a spec for the topic {@code name}; {@link Builder#partitions(int)} is required.
     *
     * @param name the Kafka topic name
     * @return a new builder
     */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** @return the Kafka topic name */
    public String name() {
        return name;
    }

    /** @return the partition count the topic is created with and compared against */
    public int partitions() {
        return partitions;
    }

    /**
     * @return the replication factor, or empty to let the broker apply its
     *     {@code default.replication.factor} (and not compare it on existing topics)
     */
    public Optional<Short> replicationFactor() {
        return replicationFactor;
    }

    /** @return how long records are kept ({@code retention.ms}), if declared */
    public Optional<Duration> retention() {
        return retention;
    }

    /** @return the {@code compression.type} topic config, if declared */
    public Optional<String> compression() {
        return compression;
    }

    /**
     * @return the {@code cleanup.policy} topic config, if declared, normalized to a sorted
     *     comma-separated list ({@code "compact,delete"})
     */
    public Optional<String> cleanupPolicy() {
        return cleanupPolicy;
    }

    /** @return the other topic configs, passed through to Kafka unchanged, in declaration order */
    public Map<String, String> config() {
        return config;
    }

    /**
     * @return the topic this one must share its partition count with (as {@code health.events}
     *     does with {@code metrics.events}), if declared
     */
    public Optional<String> copartitionedWith() {
        return copartitionedWith;
    }

    /** @return free text for the humans reading the topics file, if any */
    public Optional<String> description() {
        return description;
    }

    /**
     * All Kafka topic configs this spec declares: {@code retention.ms}, {@code compression.type}
     * and {@code cleanup.policy} from the first-class fields, followed by {@link #config()}.
     *
     * @return an unmodifiable map, in that order
     */
    public Map<String, String> topicConfigs() {
        Map<String, String> configs = new LinkedHashMap<>();
        retention.ifPresent(r -> configs.put(TopicConfig.RETENTION_MS_CONFIG, Long.toString(r.toMillis())));
        compression.ifPresent(c -> configs.put(TopicConfig.COMPRESSION_TYPE_CONFIG, c));
        cleanupPolicy.ifPresent(c -> configs.put(TopicConfig.CLEANUP_POLICY_CONFIG, c));
        configs.putAll(config);
        return Collections.unmodifiableMap(configs);
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof TopicSpec)) {
            return false;
        }
        TopicSpec that = (TopicSpec) o;
        return partitions == that.partitions
                && name.equals(that.name)
                && replicationFactor.equals(that.replicationFactor)
                && retention.equals(that.retention)
                && compression.equals(that.compression)
                && cleanupPolicy.equals(that.cleanupPolicy)
                && config.equals(that.config)
                && copartitionedWith.equals(that.copartitionedWith)
                && description.equals(that.description);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, partitions, replicationFactor, retention, compression, cleanupPolicy, config,
                copartitionedWith, description);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("TopicSpec[").append(name).append(", partitions=").append(partitions);
        replicationFactor.ifPresent(rf -> s.append(", replicationFactor=").append(rf));
        retention.ifPresent(r -> s.append(", retention=").append(Durations.format(r)));
        compression.ifPresent(c -> s.append(", compression=").append(c));
        cleanupPolicy.ifPresent(c -> s.append(", cleanupPolicy=").append(c));
        if (!config.isEmpty()) {
            s.append(", config=").append(config);
        }
        copartitionedWith.ifPresent(c -> s.append(", copartitionedWith=").append(c));
        return s.append(']').toString();
    }

    static String normalizeCleanupPolicy(String policy) {
        return String.join(",", new TreeSet<>(splitCleanupPolicy(policy)));
    }

    private static List<String> splitCleanupPolicy(String policy) {
        List<String> parts = new ArrayList<>();
        for (String part : policy.split(",", -1)) {
            parts.add(part.trim());
        }
        return parts;
    }

    /**
     * Checks the builder's values, adding one message per problem to {@code problems}; each message
     * starts with {@code path} and the field ("topics[2].partitions must be positive") and names the topic.
     *
     * @return the spec, or {@code null} if any problem was found
     */
    static TopicSpec validate(Builder b, String path, List<String> problems) {
        return validate(b, path, false, problems);
    }

    /**
     * As {@link #validate(Builder, String, List)}; for the {@code defaults} block of a topics file
     * ({@code forDefaults}) the name and the partition count are not required.
     */
    static TopicSpec validate(Builder b, String path, boolean forDefaults, List<String> problems) {
        int before = problems.size();
        String topic = b.name == null || b.name.isBlank() || forDefaults ? "" : " (topic '" + b.name + "')";
        if (!forDefaults) {
            checkName(b.name, path, problems);
        }
        if (b.partitions == null) {
            if (!forDefaults) {
                problems.add(path + ".partitions is required" + topic);
            }
        } else if (b.partitions <= 0) {
            problems.add(path + ".partitions must be positive, got " + b.partitions + topic);
        }
        if (b.replicationFactor != null && (b.replicationFactor <= 0 || b.replicationFactor > Short.MAX_VALUE)) {
            problems.add(path + ".replicationFactor must be between 1 and " + Short.MAX_VALUE + ", got "
                    + b.replicationFactor + topic);
        }
        if (b.retention != null && (b.retention.isNegative() || b.retention.isZero())) {
            problems.add(path + ".retention must be positive, got " + Durations.format(b.retention)
                    + " (for unlimited retention set config retention.ms to -1)" + topic);
        }
        if (b.compression != null && !COMPRESSION_TYPES.contains(b.compression)) {
            problems.add(path + ".compression must be one of " + new TreeSet<>(COMPRESSION_TYPES) + ", got '"
                    + b.compression + "'" + topic);
        }
        if (b.cleanupPolicy != null) {
            List<String> parts = splitCleanupPolicy(b.cleanupPolicy);
            if (!CLEANUP_POLICIES.containsAll(parts) || new LinkedHashSet<>(parts).size() != parts.size()) {
                problems.add(path + ".cleanupPolicy must be delete, compact or compact,delete, got '"
                        + b.cleanupPolicy + "'" + topic);
            }
        }
        checkNotAlsoInConfig(b, b.retention != null, TopicConfig.RETENTION_MS_CONFIG, "retention", path, topic,
                problems);
        checkNotAlsoInConfig(b, b.compression != null, TopicConfig.COMPRESSION_TYPE_CONFIG, "compression", path,
                topic, problems);
        checkNotAlsoInConfig(b, b.cleanupPolicy != null, TopicConfig.CLEANUP_POLICY_CONFIG, "cleanupPolicy", path,
                topic, problems);
        for (Map.Entry<String, String> entry : b.config.entrySet()) {
            if (entry.getKey() == null || entry.getKey().isBlank()) {
                problems.add(path + ".config has an empty key" + topic);
            } else if (entry.getValue() == null) {
                problems.add(path + ".config." + entry.getKey() + " must have a value" + topic);
            }
        }
        if (b.copartitionedWith != null) {
            if (b.copartitionedWith.isBlank()) {
                problems.add(path + ".copartitionedWith must name a topic" + topic);
            } else if (b.copartitionedWith.equals(b.name)) {
                problems.add(path + ".copartitionedWith must name another topic, not itself" + topic);
            }
        }
        return problems.size() == before && !forDefaults ? new TopicSpec(b) : null;
    }

    private static void checkName(String name, String path, List<String> problems) {
        if (name == null || name.isBlank()) {
            problems.add(path + ".name is required");
        } else if (name.length() > MAX_NAME_LENGTH) {
            problems.add(path + ".name must be at most " + MAX_NAME_LENGTH + " characters, got " + name.length()
                    + " (topic '" + name + "')");
        } else if (!LEGAL_NAME.matcher(name).matches() || name.equals(".") || name.equals("..")) {
            problems.add(path + ".name may contain only ASCII letters, digits, '.', '_' and '-', got '" + name + "'");
        }
    }

    private static void checkNotAlsoInConfig(Builder b, boolean fieldSet, String configKey, String field,
            String path, String topic, List<String> problems) {
        if (fieldSet && b.config.containsKey(configKey)) {
            problems.add(path + ".config." + configKey + " repeats " + path + "." + field + "; set only one"
                    + topic);
        }
    }

    /** Builds a {@link TopicSpec}; {@link #build()} validates every field at once. */
    public static final class Builder {

        private final String name;
        private Integer partitions;
        private Integer replicationFactor;
        private Duration retention;
        private String compression;
        private String cleanupPolicy;
        private final Map<String, String> config = new LinkedHashMap<>();
        private String copartitionedWith;
        private String description;

        private Builder(String name) {
            this.name = name;
        }

        /**
         * @param partitions the partition count, positive (required)
         * @return this builder
         */
        public Builder partitions(int partitions) {
            this.partitions = partitions;
            return this;
        }

        /**
         * @param replicationFactor replicas per partition, positive; when never set, the broker's
         *     {@code default.replication.factor} applies
         * @return this builder
         */
        public Builder replicationFactor(int replicationFactor) {
            this.replicationFactor = replicationFactor;
            return this;
        }

        /**
         * @param retention how long records are kept ({@code retention.ms}), positive; for unlimited
         *     retention set {@code config("retention.ms", "-1")} instead
         * @return this builder
         */
        public Builder retention(Duration retention) {
            this.retention = Objects.requireNonNull(retention, "retention");
            return this;
        }

        /**
         * @param compression {@code compression.type}: one of {@code uncompressed}, {@code zstd},
         *     {@code lz4}, {@code snappy}, {@code gzip}, {@code producer}
         * @return this builder
         */
        public Builder compression(String compression) {
            this.compression = Objects.requireNonNull(compression, "compression");
            return this;
        }

        /**
         * @param cleanupPolicy {@code cleanup.policy}: {@code delete}, {@code compact} or
         *     {@code compact,delete}
         * @return this builder
         */
        public Builder cleanupPolicy(String cleanupPolicy) {
            this.cleanupPolicy = Objects.requireNonNull(cleanupPolicy, "cleanupPolicy");
            return this;
        }

        /**
         * Adds any other Kafka topic config, passed through unchanged (the broker validates it).
         *
         * @param key a topic config name such as {@code min.insync.replicas}
         * @param value its value
         * @return this builder
         */
        public Builder config(String key, String value) {
            this.config.put(key, value);
            return this;
        }

        /**
         * @param topic a topic in the same {@link TopicsFile} that must have the same partition count
         * @return this builder
         */
        public Builder copartitionedWith(String topic) {
            this.copartitionedWith = Objects.requireNonNull(topic, "topic");
            return this;
        }

        /**
         * @param description free text for humans; not sent to Kafka
         * @return this builder
         */
        public Builder description(String description) {
            this.description = description;
            return this;
        }

        /**
         * @return the validated spec
         * @throws IllegalArgumentException naming every invalid field
         */
        public TopicSpec build() {
            List<String> problems = new ArrayList<>();
            TopicSpec spec = validate(this, "TopicSpec", problems);
            if (spec == null) {
                throw new IllegalArgumentException(String.join("; ", problems));
            }
            return spec;
        }
    }
}
