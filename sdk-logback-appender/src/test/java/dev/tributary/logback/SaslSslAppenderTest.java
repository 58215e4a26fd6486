package dev.tributary.logback;

import static dev.tributary.logback.LogbackContexts.appender;
import static dev.tributary.logback.LogbackContexts.configure;
import static dev.tributary.logback.LogbackContexts.statuses;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.status.Status;
import dev.tributary.testkit.KafkaBroker;
import dev.tributary.testkit.SaslMechanism;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The appender ships to a broker that requires SASL over TLS, configured by {@code <producerProperty>}
 * elements or by the environment ({@code tributary.kafka.*} system properties here; the
 * {@code TRIBUTARY_KAFKA_*} variables go through the same SDK mapping), and never shows the password.
 */
class SaslSslAppenderTest {
  private static final String USER = "app";
  private static final String PASSWORD = "app-Secret-7";
  private static final Duration WAIT = Duration.ofSeconds(30);

  private static KafkaBroker broker;
  private LoggerContext context;

  @BeforeAll
  static void startBroker() {
    broker = KafkaBroker.builder().saslUser(USER, PASSWORD).start();
  }

  @AfterAll
  static void closeBroker() {
    broker.close();
  }

  @AfterEach
  void stopContext() {
    if (context != null) {
      context.stop();
    }
  }

  @Test
  void scramThroughProducerPropertyElementsShipsLogs() {
    Map<String, String> kafka = broker.saslSslClientProperties(SaslMechanism.SCRAM_SHA_512, USER, PASSWORD);
    String bootstrap = kafka.remove("bootstrap.servers");
    String elements = kafka.entrySet().stream()
        .map(e -> "<producerProperty>" + e.getKey() + "=" + e.getValue().replace("\"", "&quot;") + "</producerProperty>")
        .collect(Collectors.joining("\n"));
    context = configure(AppenderXml.withFallback(AppenderXml.client("scramapp", "logs.scramapp", elements)),
        Map.of("bootstrap", bootstrap));

    shipsAndHidesThePassword("logs.scramapp");
  }

  @Test
  void plainThroughTheEnvironmentShipsLogs() {
    Map<String, String> kafka = broker.saslSslClientProperties(SaslMechanism.PLAIN, USER, PASSWORD);
    String bootstrap = kafka.remove("bootstrap.servers");
    kafka.forEach((k, v) -> System.setProperty("tributary.kafka." + k, v));
    try {
      context = configure(AppenderXml.withFallback(AppenderXml.client("plainapp", "logs.plainapp", "")),
          Map.of("bootstrap", bootstrap));
    } finally {
      kafka.keySet().forEach(k -> System.clearProperty("tributary.kafka." + k));
    }

    shipsAndHidesThePassword("logs.plainapp");
  }

  private void shipsAndHidesThePassword(String topic) {
    assertThat(statuses(context, Status.WARN)).as("configuration problems").isEmpty();
    TributaryAppender appender = appender(context, "TRIBUTARY");
    context.getLogger("com.acme.Secure").info("hello over SASL_SSL");

    List<ConsumerRecord<String, String>> records = broker.reader().records(topic, 1, WAIT);

    assertThat(records.get(0).value()).contains("hello over SASL_SSL");
    assertThat(statuses(context, Status.INFO)).noneMatch(s -> s.contains(PASSWORD));
    assertThat(appender.toString()).doesNotContain(PASSWORD);
    assertThat(appender.getClientStats().toString()).doesNotContain(PASSWORD);
  }
}
