package dev.tributary.testkit;

import static dev.tributary.testkit.KafkaBrokerTest.producer;
import static dev.tributary.testkit.KafkaBrokerTest.send;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaBrokerRestartTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    @Test
    void restartKeepsDataAndAddressAndClientsReconnect() throws Exception {
        try (KafkaBroker broker = KafkaBroker.start();
                KafkaProducer<String, String> producer = producer(broker.bootstrapServers())) {
            String address = broker.bootstrapServers();
            broker.createTopic("outage", 1);
            send(producer, "outage", "k", "before-stop");

            broker.stop();
            assertThat(broker.isRunning()).isFalse();
            broker.stop(); // stopping twice is harmless

            broker.restart();
            assertThat(broker.isRunning()).isTrue();
            assertThat(broker.bootstrapServers()).isEqualTo(address);
            // the producer created before the outage delivers once it reconnects
            send(producer, "outage", "k", "after-restart");

            broker.stop();
            broker.restart();
            send(producer, "outage", "k", "after-second-restart");

            assertThat(broker.reader().drain("outage", Duration.ZERO))
                    .extracting(ConsumerRecord::value)
                    .containsExactly("before-stop", "after-restart", "after-second-restart");
        }
    }

    @Test
    void clientStartedBeforeTheBrokerExistsDeliversOnceItStarts() throws Exception {
        int port = FreePorts.find();
        try (KafkaProducer<String, String> producer = producer("127.0.0.1:" + port)) {
            // send() waits for metadata (up to max.block.ms) on this other thread
            CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> {
                try {
                    send(producer, "early", "k", "sent-before-broker-existed");
                } catch (Exception e) {
                    throw new CompletionException(e);
                }
            });
            try (KafkaBroker broker = KafkaBroker.builder().port(port).start()) {
                sent.get(30, TimeUnit.SECONDS);
                assertThat(broker.reader().records("early", 1, TIMEOUT))
                        .extracting(ConsumerRecord::value).containsExactly("sent-before-broker-existed");
            }
        }
    }

    @Test
    void restartWhileRunningStopsFirst() {
        try (KafkaBroker broker = KafkaBroker.start()) {
            broker.restart();
            assertThat(broker.isRunning()).isTrue();
        }
    }

    @Test
    void givenDirectoryIsReusedWithItsPortsAndKeptOnClose(@TempDir Path dir) throws Exception {
        int port;
        try (KafkaBroker first = KafkaBroker.builder().logDir(dir).start();
                KafkaProducer<String, String> producer = producer(first.bootstrapServers())) {
            port = first.port();
            assertThat(first.logDir()).isEqualTo(dir.toAbsolutePath());
            send(producer, "kept", null, "from-first-broker");
        }
        assertThat(dir.resolve("data")).isDirectory();

        try (KafkaBroker second = KafkaBroker.builder().logDir(dir).start()) {
            assertThat(second.port()).isEqualTo(port);
            assertThat(second.reader().records("kept", 1, TIMEOUT))
                    .extracting(ConsumerRecord::value).containsExactly("from-first-broker");
        }
    }
}
