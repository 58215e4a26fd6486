package dev.tributary.testkit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads what was published to a topic, from its beginning, for assertions in tests.
 *
 * <pre>{@code
 * TopicReader reader = broker.reader();
 * List<JsonNode> envelopes = reader.envelopes("metrics.events", 3, Duration.ofSeconds(10));
 * assertThat(envelopes).extracting(e -> e.get("type").asText()).containsOnly("metric");
 * }</pre>
 *
 * <p>Every call uses its own short-lived consumer without a consumer group, assigned to all
 * partitions the topic has when the call starts, so calls never disturb each other or the code under
 * test, and a reader can be shared between threads. Keys and values are read as UTF-8 strings.
 * Records come back in the order they were read: in offset order within each partition.
 *
 * <p>The waiting methods fail with an {@link AssertionError} naming the topic, what was expected
 * and what was read, so they work as assertions themselves.
 */
public final class TopicReader {

    /** Upper bound for {@link #drain(String, Duration)} on a topic that keeps receiving records. */
    public static final Duration DRAIN_LIMIT = Duration.ofSeconds(60);

    private static final Duration POLL_INTERVAL = Duration.ofMillis(100);
    private static final Duration METADATA_INTERVAL = Duration.ofMillis(50);
    private static final Duration METADATA_LOOKUP = Duration.ofSeconds(1);
    private static final int SHOWN_RECORDS = 5;
    private static final int SHOWN_CHARS = 200;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String bootstrapServers;

    private TopicReader(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    /**
     * Returns a reader for any Kafka cluster, for example a {@link KafkaBrokerProcess}.
     *
     * @param bootstrapServers the cluster's {@code bootstrap.servers}
     * @return a reader for that cluster
     */
    public static TopicReader create(String bootstrapServers) {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        if (bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("bootstrapServers must not be blank");
        }
        return new TopicReader(bootstrapServers);
    }

    /**
     * Waits until the topic holds at least {@code atLeast} records and returns the records read,
     * which may be more than {@code atLeast}.
     *
     * @param topic the topic to read; it may not exist yet when the call starts
     * @param atLeast how many records to wait for, positive
     * @param timeout how long to wait
     * @return the records read from the beginning of the topic, at least {@code atLeast}
     * @throws AssertionError if fewer records arrived within the timeout; the message names the
     *     topic, the expected and the actual count and shows the first records
     */
    public List<ConsumerRecord<String, String>> records(String topic, int atLeast, Duration timeout) {
        return read(topic, record -> true, atLeast, timeout, "records");
    }

    /**
     * Like {@link #records(String, int, Duration)}, with each value parsed as JSON (Tributary's
     * envelopes are one JSON object per record). A record without a value gives a {@link NullNode}.
     *
     * @param topic the topic to read
     * @param atLeast how many records to wait for, positive
     * @param timeout how long to wait
     * @return the parsed values, in the order read
     * @throws AssertionError if fewer records arrived within the timeout, or a value is not JSON
     */
    public List<JsonNode> envelopes(String topic, int atLeast, Duration timeout) {
        List<ConsumerRecord<String, String>> records = records(topic, atLeast, timeout);
        List<JsonNode> envelopes = new ArrayList<>(records.size());
        for (ConsumerRecord<String, String> record : records) {
            envelopes.add(parse(record));
        }
        return envelopes;
    }

    /**
     * Waits until the topic holds at least {@code atLeast} records matching {@code filter} and
     * returns the matching records read (other records are skipped).
     *
     * @param topic the topic to read
     * @param filter which records count
     * @param atLeast how many matching records to wait for, positive
     * @param timeout how long to wait
     * @return the matching records, at least {@code atLeast}
     * @throws AssertionError if fewer matching records arrived within the timeout
     */
    public List<ConsumerRecord<String, String>> recordsMatching(String topic,
            Predicate<ConsumerRecord<String, String>> filter, int atLeast, Duration timeout) {
        Objects.requireNonNull(filter, "filter");
        return read(topic, filter, atLeast, timeout, "matching records");
    }

    /**
     * Returns everything in the topic: reads from the beginning up to the end offsets the topic has
     * when the call starts, then goes on until no record arrived for {@code quietPeriod}. Use it to
     * assert an exact count ("exactly 3 records, no duplicates"); a topic that does not exist within
     * the quiet period gives an empty list.
     *
     * @param topic the topic to read
     * @param quietPeriod how long the topic must stay quiet after the end was reached, may be zero
     * @return all records read, possibly none
     * @throws AssertionError if the topic never stays quiet that long within {@link #DRAIN_LIMIT}
     */
    public List<ConsumerRecord<String, String>> drain(String topic, Duration quietPeriod) {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(quietPeriod, "quietPeriod");
        if (quietPeriod.isNegative()) {
            throw new IllegalArgumentException("quietPeriod must not be negative, was " + quietPeriod);
        }
        Deadline limit = Deadline.after(DRAIN_LIMIT);
        try (KafkaConsumer<String, String> consumer = newConsumer()) {
            List<TopicPartition> partitions = awaitPartitions(consumer, topic, Deadline.after(quietPeriod));
            if (partitions.isEmpty()) {
                return List.of();
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> endOffsets = consumer.endOffsets(partitions, limit.remaining());
            List<ConsumerRecord<String, String>> records = new ArrayList<>();
            long lastArrival = System.nanoTime();
            while (true) {
                ConsumerRecords<String, String> batch = consumer.poll(limit.remainingAtMost(POLL_INTERVAL));
                if (!batch.isEmpty()) {
                    batch.forEach(records::add);
                    lastArrival = System.nanoTime();
                }
                boolean quiet = System.nanoTime() - lastArrival >= quietPeriod.toNanos();
                if (quiet && reachedEnd(consumer, endOffsets, limit)) {
                    return records;
                }
                if (limit.expired()) {
                    throw new AssertionError("topic '" + topic + "': did not stay quiet for "
                            + Deadline.describe(quietPeriod) + " within " + Deadline.describe(DRAIN_LIMIT)
                            + ", read " + records.size() + " records so far");
                }
            }
        }
    }

    @Override
    public String toString() {
        return "TopicReader[" + bootstrapServers + "]";
    }

    private List<ConsumerRecord<String, String>> read(String topic,
            Predicate<ConsumerRecord<String, String>> filter, int atLeast, Duration timeout, String what) {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(timeout, "timeout");
        if (atLeast <= 0) {
            throw new IllegalArgumentException("atLeast must be positive, was " + atLeast);
        }
        Deadline deadline = Deadline.after(timeout);
        try (KafkaConsumer<String, String> consumer = newConsumer()) {
            List<TopicPartition> partitions = awaitPartitions(consumer, topic, deadline);
            if (partitions.isEmpty()) {
                throw new AssertionError("topic '" + topic + "': expected at least " + atLeast + " " + what
                        + " within " + Deadline.describe(timeout) + ", got 0 (the topic does not exist)");
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            List<ConsumerRecord<String, String>> matched = new ArrayList<>();
            int seen = 0;
            while (true) {
                ConsumerRecords<String, String> batch = consumer.poll(deadline.remainingAtMost(POLL_INTERVAL));
                for (ConsumerRecord<String, String> record : batch) {
                    seen++;
                    if (filter.test(record)) {
                        matched.add(record);
                    }
                }
                if (matched.size() >= atLeast) {
                    return matched;
                }
                if (deadline.expired()) {
                    throw new AssertionError("topic '" + topic + "': expected at least " + atLeast + " " + what
                            + " within " + Deadline.describe(timeout) + ", got " + matched.size()
                            + (matched.size() == seen ? "" : " (of " + seen + " records read)")
                            + show(matched));
                }
            }
        }
    }

    /**
     * The topic's partitions, waiting until it exists; empty if it does not exist by the deadline.
     * Each lookup may take up to {@link #METADATA_LOOKUP} even past the deadline: Kafka answers
     * "unknown topic" at once, so only an unreachable broker makes a lookup that slow.
     */
    private static List<TopicPartition> awaitPartitions(KafkaConsumer<String, String> consumer, String topic,
            Deadline deadline) {
        while (true) {
            try {
                List<PartitionInfo> infos = consumer.partitionsFor(topic, METADATA_LOOKUP);
                if (infos != null && !infos.isEmpty()) {
                    return infos.stream()
                            .map(info -> new TopicPartition(info.topic(), info.partition()))
                            .collect(Collectors.toList());
                }
            } catch (KafkaException e) {
                // not there yet (timeout, unknown topic while being created): ask again
            }
            if (deadline.expired()) {
                return List.of();
            }
            try {
                deadline.pause(METADATA_INTERVAL);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for topic '" + topic + "'", e);
            }
        }
    }

    private static boolean reachedEnd(KafkaConsumer<String, String> consumer, Map<TopicPartition, Long> endOffsets,
            Deadline limit) {
        for (Map.Entry<TopicPartition, Long> end : endOffsets.entrySet()) {
            if (consumer.position(end.getKey(), limit.remainingAtMost(Duration.ofSeconds(5))) < end.getValue()) {
                return false;
            }
        }
        return true;
    }

    private KafkaConsumer<String, String> newConsumer() {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.CLIENT_ID_CONFIG, "tributary-topic-reader",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false,
                // An empty partition answers a fetch after this long; keeps polls short.
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100,
                ConsumerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 250);
        return new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer());
    }

    private static JsonNode parse(ConsumerRecord<String, String> record) {
        if (record.value() == null) {
            return NullNode.getInstance();
        }
        try {
            return JSON.readTree(record.value());
        } catch (JsonProcessingException e) {
            throw new AssertionError("topic '" + record.topic() + "' partition " + record.partition() + " offset "
                    + record.offset() + ": value is not JSON: " + truncate(record.value()), e);
        }
    }

    private static String show(List<ConsumerRecord<String, String>> records) {
        if (records.isEmpty()) {
            return "";
        }
        return records.stream()
                .limit(SHOWN_RECORDS)
                .map(r -> r.partition() + "@" + r.offset() + " " + truncate(r.key()) + "=" + truncate(r.value()))
                .collect(Collectors.joining(", ", "; first: [", records.size() > SHOWN_RECORDS ? ", ...]" : "]"));
    }

    private static String truncate(String text) {
        if (text == null || text.length() <= SHOWN_CHARS) {
            return text;
        }
        return text.substring(0, SHOWN_CHARS) + "...";
    }
}
