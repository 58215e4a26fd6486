package dev.tributary.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class KafkaBrokerTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private static KafkaBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = KafkaBroker.start();
    }

    @AfterAll
    static void closeBroker() {
        broker.close();
    }

    static KafkaProducer<String, String> producer(String bootstrapServers) {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.LINGER_MS_CONFIG, 0),
                new StringSerializer(), new StringSerializer());
    }

    static void send(KafkaProducer<String, String> producer, String topic, String key, String value) throws Exception {
        producer.send(new ProducerRecord<>(topic, key, value)).get(20, TimeUnit.SECONDS);
    }

    @Test
    void startedBrokerListensOnLoopbackWithItsPort() {
        assertThat(broker.isRunning()).isTrue();
        assertThat(broker.bootstrapServers()).isEqualTo("127.0.0.1:" + broker.port());
        assertThat(Files.isDirectory(broker.logDir())).isTrue();
    }

    @Test
    void publishedRecordsComeBackThroughTheReader() throws Exception {
        broker.createTopic("round.trip", 2);
        try (KafkaProducer<String, String> producer = producer(broker.bootstrapServers())) {
            send(producer, "round.trip", "a", "{\"n\":1}");
            send(producer, "round.trip", "b", "{\"n\":2}");
            send(producer, "round.trip", "a", "{\"n\":3}");
        }
        TopicReader reader = broker.reader();

        List<ConsumerRecord<String, String>> records = reader.records("round.trip", 3, TIMEOUT);
        assertThat(records).extracting(ConsumerRecord::value)
                .containsExactlyInAnyOrder("{\"n\":1}", "{\"n\":2}", "{\"n\":3}");
        assertThat(records).filteredOn(r -> "a".equals(r.key())).extracting(ConsumerRecord::value)
                .containsExactly("{\"n\":1}", "{\"n\":3}");

        List<JsonNode> envelopes = reader.envelopes("round.trip", 3, TIMEOUT);
        assertThat(envelopes).extracting(e -> e.get("n").asInt()).containsExactlyInAnyOrder(1, 2, 3);

        assertThat(reader.recordsMatching("round.trip", r -> "b".equals(r.key()), 1, TIMEOUT))
                .extracting(ConsumerRecord::value).containsExactly("{\"n\":2}");

        assertThat(reader.drain("round.trip", Duration.ofMillis(200))).hasSize(3);
    }

    @Test
    void readerWaitsForRecordsPublishedLater() throws Exception {
        Thread publisher = new Thread(() -> {
            try (KafkaProducer<String, String> producer = producer(broker.bootstrapServers())) {
                for (int i = 0; i < 5; i++) {
                    send(producer, "published.later", null, "v" + i);
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        publisher.start();
        try {
            // the topic does not exist yet when the reader starts: auto-creation makes it
            assertThat(broker.reader().records("published.later", 5, TIMEOUT))
                    .extracting(ConsumerRecord::value).containsExactly("v0", "v1", "v2", "v3", "v4");
        } finally {
            publisher.join(TIMEOUT.toMillis());
        }
    }

    @Test
    void readerTimeoutFailsNamingTopicExpectedAndActualCounts() throws Exception {
        broker.createTopic("too.few", 1);
        try (KafkaProducer<String, String> producer = producer(broker.bootstrapServers())) {
            send(producer, "too.few", "k", "only-one");
        }

        assertThatThrownBy(() -> broker.reader().records("too.few", 2, Duration.ofMillis(1500)))
                .isInstanceOf(AssertionError.class)
                .hasMessage("topic 'too.few': expected at least 2 records within 1500 ms, got 1; first: [0@0 k=only-one]");
    }

    @Test
    void readerOnMissingTopicSaysSo() {
        assertThatThrownBy(() -> broker.reader().records("never.created", 1, Duration.ofMillis(500)))
                .isInstanceOf(AssertionError.class)
                .hasMessage("topic 'never.created': expected at least 1 records within 500 ms, got 0 (the topic does not exist)");
        assertThat(broker.reader().drain("never.created", Duration.ofMillis(200))).isEmpty();
    }

    @Test
    void drainReturnsExactlyWhatIsInTheTopic() throws Exception {
        broker.createTopic("exact", 3);
        try (KafkaProducer<String, String> producer = producer(broker.bootstrapServers())) {
            for (int i = 0; i < 10; i++) {
                send(producer, "exact", "k" + i, "v" + i);
            }
        }
        List<ConsumerRecord<String, String>> all = broker.reader().drain("exact", Duration.ZERO);
        assertThat(all).extracting(ConsumerRecord::value).hasSize(10).doesNotHaveDuplicates();
        assertThat(broker.reader().drain("exact", Duration.ZERO)).hasSize(10);
    }

    @Test
    void createTopicAppliesPartitionsAndConfigs() throws Exception {
        broker.createTopic("health.events.test", 3, Map.of("cleanup.policy", "compact"));

        TopicDescription description = broker.admin().describeTopics(List.of("health.events.test"))
                .allTopicNames().get(10, TimeUnit.SECONDS).get("health.events.test");
        assertThat(description.partitions()).hasSize(3);
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, "health.events.test");
        Config config = broker.admin().describeConfigs(List.of(resource)).all().get(10, TimeUnit.SECONDS).get(resource);
        assertThat(config.get("cleanup.policy").value()).isEqualTo("compact");
    }

    @Test
    void creatingAnExistingTopicFails() {
        broker.createTopic("twice", 1);
        assertThatThrownBy(() -> broker.createTopic("twice", 1))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("topic 'twice' already exists on " + broker.bootstrapServers());
    }

    @Test
    void twoBrokersRunSideBySideOnDifferentPorts() throws Exception {
        try (KafkaBroker other = KafkaBroker.start()) {
            assertThat(other.port()).isNotEqualTo(broker.port());
            assertThat(other.logDir()).isNotEqualTo(broker.logDir());
            other.createTopic("only.on.other", 1);

            Set<String> topicsHere = broker.admin().listTopics().names().get(10, TimeUnit.SECONDS);
            Set<String> topicsThere = other.admin().listTopics().names().get(10, TimeUnit.SECONDS);
            assertThat(topicsThere).contains("only.on.other");
            assertThat(topicsHere).doesNotContain("only.on.other");
        }
    }

    @Test
    void closeDeletesTheTemporaryDirectoryAndIsIdempotent() {
        KafkaBroker shortLived = KafkaBroker.start();
        Path dir = shortLived.logDir();
        shortLived.close();
        shortLived.close();
        assertThat(shortLived.isRunning()).isFalse();
        assertThat(dir).doesNotExist();
        assertThatThrownBy(shortLived::restart).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is closed");
    }

    @Test
    void portInUseFailsNamingThePort() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            assertThatThrownBy(() -> KafkaBroker.builder().port(port).start())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("Kafka broker at 127.0.0.1:" + port + " (controller port ")
                    .hasMessageContaining("did not start")
                    .hasRootCauseInstanceOf(BindException.class);
        }
    }

    @Test
    void builderRejectsBadSettingsBeforeStarting() {
        assertThatThrownBy(() -> KafkaBroker.builder().port(-1))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("port must be between 0 and 65535, was -1");
        assertThatThrownBy(() -> KafkaBroker.builder().partitions(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("partitions must be positive, was 0");
        assertThatThrownBy(() -> KafkaBroker.builder().brokerProperty("listeners", "PLAINTEXT://0.0.0.0:9092"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("brokerProperty 'listeners' is managed");
        assertThatThrownBy(() -> KafkaBroker.builder().port(4000).controllerPort(4000).start())
                .isInstanceOf(IllegalArgumentException.class).hasMessage("port and controllerPort must differ, both are 4000");
    }

    @Test
    void freePortsAreDistinct() {
        Set<Integer> ports = java.util.stream.IntStream.range(0, 20).map(i -> FreePorts.find()).boxed()
                .collect(Collectors.toSet());
        assertThat(ports).hasSize(20).allMatch(p -> p > 0 && p < 65536);
    }
}
