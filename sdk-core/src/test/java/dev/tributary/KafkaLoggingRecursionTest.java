package dev.tributary;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tributary.testkit.KafkaBrokerProcess;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A logging backend that ships every {@code org.apache.kafka} event through {@code sendLog}, with
 * Kafka's client logging at DEBUG (a log line per request): nothing loops or deadlocks, events from
 * the threads that deliver records are refused and counted, the others are shipped. The broker runs
 * in a child JVM, so that only client logging is in play.
 */
class KafkaLoggingRecursionTest {

  /** Feeds every Kafka log event back into the client, as a careless backend configuration would. */
  static final class FeedbackAppender extends AppenderBase<ILoggingEvent> {
    volatile Tributary client;
    final AtomicLong forwarded = new AtomicLong();
    final AtomicLong accepted = new AtomicLong();

    @Override
    protected void append(ILoggingEvent event) {
      Tributary c = client;
      if (c == null || !event.getLoggerName().startsWith("org.apache.kafka")) {
        return;
      }
      forwarded.incrementAndGet();
      LogEntry entry = LogEntry.builder(LogLevel.INFO, event.getFormattedMessage()).logger(event.getLoggerName())
          .thread(event.getThreadName()).build();
      if (c.sendLog(entry)) {
        accepted.incrementAndGet();
      }
    }
  }

  @Test
  void kafkaClientLoggingFedBackIntoSendLogNeverLoops() throws Exception {
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    Logger kafka = (Logger) LoggerFactory.getLogger("org.apache.kafka");
    Level before = kafka.getLevel();
    FeedbackAppender appender = new FeedbackAppender();
    appender.setContext(root.getLoggerContext());
    appender.start();
    try (KafkaBrokerProcess broker = KafkaBrokerProcess.start()) {
      Tributary client = Tributary.builder()
          .bootstrapServers(broker.bootstrapServers())
          .serviceName("feedback")
          .instanceId("feedback-1")
          .logsRateLimit(0)
          .metricsStep(Duration.ofHours(1))
          .healthInterval(Duration.ofHours(1))
          .build();
      appender.client = client;
      root.addAppender(appender);
      kafka.setLevel(Level.DEBUG);
      try {
        for (int i = 0; i < 200; i++) {
          assertThat(client.sendLog(LogLevel.INFO, "application line " + i)).isTrue();
          assertThat(client.sendEvent("feedback", "thing.happened", "e-" + i, Map.of())).isTrue();
        }
        // Kafka logging on an application thread: creating an admin client logs its configuration here.
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
          admin.listTopics().names().get();
        }
        DeliveryReport report = client.flush(Duration.ofSeconds(30));
        assertThat(report.isComplete()).as("no deadlock: %s", report).isTrue();
      } finally {
        kafka.setLevel(before);
        root.detachAppender(appender);
      }
      assertThat(client.flush(Duration.ofSeconds(30)).isComplete()).isTrue();

      TributaryStats.StreamStats logs = client.stats().stream(StreamKind.LOGS);
      long shipped = appender.accepted.get();
      long refused = appender.forwarded.get() - shipped;
      assertThat(shipped).as("Kafka events from the application's thread are shipped").isPositive();
      assertThat(refused).as("Kafka events from the delivering threads are refused").isPositive();
      assertThat(logs.rejected()).as("and counted").isEqualTo(refused);
      assertThat(logs.accepted()).isEqualTo(200 + shipped);

      // Nothing keeps generating records once the stimulus stopped: the topic goes quiet at exactly that.
      List<ConsumerRecord<String, String>> records = broker.reader().drain("logs.events", Duration.ofSeconds(3));
      assertThat(records).hasSize((int) (200 + shipped));
      assertThat(client.stats().stream(StreamKind.LOGS).sent()).isEqualTo(200 + shipped);
      for (ConsumerRecord<String, String> r : records) {
        JsonNode e = Envelopes.parse(r);
        String thread = e.path("process").path("thread").path("name").asText();
        assertThat(thread).as("shipped from %s", e).doesNotStartWith("kafka-producer-network-thread")
            .doesNotStartWith("tributary-io");
      }
      client.close();
    } finally {
      appender.stop();
    }
  }
}
