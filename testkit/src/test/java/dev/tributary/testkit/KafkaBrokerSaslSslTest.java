package dev.tributary.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class KafkaBrokerSaslSslTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private static KafkaBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = KafkaBroker.builder().saslUser("alice", "alice-secret").saslUser("bob", "b0b!pw").start();
    }

    @AfterAll
    static void closeBroker() {
        broker.close();
    }

    private static void send(Map<String, String> client, String topic, String value) throws Exception {
        Map<String, Object> config = new HashMap<>(client);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, value)).get(20, TimeUnit.SECONDS);
        }
    }

    @Test
    void plainUserDeliversOverSaslSsl() throws Exception {
        broker.createTopic("sasl.plain", 1);

        send(broker.saslSslClientProperties(SaslMechanism.PLAIN, "alice", "alice-secret"), "sasl.plain", "p");

        List<ConsumerRecord<String, String>> records = broker.reader().records("sasl.plain", 1, TIMEOUT);
        assertThat(records).extracting(ConsumerRecord::value).containsExactly("p");
    }

    @Test
    void scramUserCreatedAtFormatDeliversOverSaslSsl() throws Exception {
        broker.createTopic("sasl.scram", 1);

        send(broker.saslSslClientProperties(SaslMechanism.SCRAM_SHA_512, "bob", "b0b!pw"), "sasl.scram", "s");

        List<ConsumerRecord<String, String>> records = broker.reader().records("sasl.scram", 1, TIMEOUT);
        assertThat(records).extracting(ConsumerRecord::value).containsExactly("s");
    }

    @Test
    void wrongPasswordIsRefusedWithAnAuthenticationError() {
        for (SaslMechanism mechanism : SaslMechanism.values()) {
            Map<String, String> client = broker.saslSslClientProperties(mechanism, "alice", "wrong");
            assertThatThrownBy(() -> send(client, "sasl.refused", "x"))
                    .as(mechanism.kafkaName())
                    .isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(SaslAuthenticationException.class);
        }
    }

    @Test
    void certificateOfAnUnknownCaIsNotTrusted() {
        // Without the kit's truststore the client falls back to the JDK's CAs, which never signed it.
        Map<String, String> client = broker.saslSslClientProperties(SaslMechanism.PLAIN, "alice", "alice-secret");
        client.keySet().removeIf(key -> key.startsWith("ssl.truststore."));

        assertThatThrownBy(() -> send(client, "sasl.untrusted", "x"))
                .isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(SslAuthenticationException.class);
    }

    @Test
    void plaintextListenerStaysOpenForTheKit() {
        assertThat(broker.isSaslSsl()).isTrue();
        assertThat(broker.saslSslBootstrapServers()).isNotEqualTo(broker.bootstrapServers())
                .startsWith("127.0.0.1:");
    }

    @Test
    void certificatesAreFilesAndHideTheirPassword() throws Exception {
        TestCertificates tls = broker.certificates();
        assertThat(tls).isSameAs(TestCertificates.shared());
        assertThat(Files.readString(tls.caCertificate())).startsWith("-----BEGIN CERTIFICATE-----");
        assertThat(tls.truststore()).isRegularFile();
        assertThat(tls.serverKeystore()).isRegularFile();
        assertThat(tls.toString()).doesNotContain(tls.password());
    }

    @Test
    void unsecuredBrokerRefusesSaslQuestions() {
        KafkaBroker.Builder builder = KafkaBroker.builder();
        assertThatThrownBy(() -> builder.saslUser("bad name", "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder.saslUser("carol", "has\"quote"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("has\"quote");
    }
}
