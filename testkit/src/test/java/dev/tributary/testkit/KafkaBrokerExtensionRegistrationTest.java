package dev.tributary.testkit;

import static dev.tributary.testkit.KafkaBrokerTest.producer;
import static dev.tributary.testkit.KafkaBrokerTest.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class KafkaBrokerExtensionRegistrationTest {

    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = KafkaBrokerExtension.builder()
            .partitions(3)
            .brokerProperty("log.retention.ms", "3600000")
            .build();

    @Test
    void brokerIsReachableThroughTheField() {
        assertThat(KAFKA.broker().isRunning()).isTrue();
        assertThat(KAFKA.toString()).contains(KAFKA.broker().bootstrapServers());
    }

    @Test
    void builderSettingsReachTheBroker() throws Exception {
        try (KafkaProducer<String, String> producer = producer(KAFKA.broker().bootstrapServers())) {
            send(producer, "auto.created", "k", "v");
        }
        TopicDescription description = KAFKA.broker().admin().describeTopics(List.of("auto.created"))
                .allTopicNames().get(10, TimeUnit.SECONDS).get("auto.created");
        assertThat(description.partitions()).hasSize(3);
        assertThat(KAFKA.broker().reader().records("auto.created", 1, Duration.ofSeconds(10))).hasSize(1);
    }

    @Test
    void parameterInjectionGivesTheSameBroker(KafkaBroker broker) {
        assertThat(broker).isSameAs(KAFKA.broker());
    }

    @Test
    void anExtensionOutsideATestClassHasNoBroker() {
        assertThatThrownBy(() -> KafkaBrokerExtension.create().broker())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("no Kafka broker");
    }
}
