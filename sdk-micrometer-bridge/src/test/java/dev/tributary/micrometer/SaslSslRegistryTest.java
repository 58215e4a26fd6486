package dev.tributary.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.testkit.KafkaBroker;
import dev.tributary.testkit.SaslMechanism;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A registry with its own client publishes to a broker that requires SASL over TLS, configured by
 * {@link TributaryConfig#kafkaProperties()} or by the environment ({@code tributary.kafka.*} system
 * properties here; {@code TRIBUTARY_KAFKA_*} variables take the same SDK mapping).
 */
class SaslSslRegistryTest {
  private static final String USER = "meters";
  private static final String PASSWORD = "meters-Secret-3";

  private static KafkaBroker broker;

  @BeforeAll
  static void startBroker() {
    broker = KafkaBroker.builder().saslUser(USER, PASSWORD).start();
  }

  @AfterAll
  static void closeBroker() {
    broker.close();
  }

  private static Map<String, String> settings(String topic, String bootstrap) {
    return Map.of("tributary.bootstrapServers", bootstrap, "tributary.serviceName", "meters",
        "tributary.instanceId", "meters-1", "tributary.topic", topic, "tributary.step", "1h",
        "tributary.closeTimeout", "30s"); // the first TLS handshakes of a loaded machine may take seconds
  }

  @Test
  void scramThroughKafkaPropertiesPublishes() {
    Map<String, String> kafka = broker.saslSslClientProperties(SaslMechanism.SCRAM_SHA_512, USER, PASSWORD);
    Map<String, String> settings = settings("metrics.scram", kafka.remove("bootstrap.servers"));
    TributaryConfig config = new TributaryConfig() {
      @Override
      public String get(String key) {
        return settings.get(key);
      }

      @Override
      public Map<String, String> kafkaProperties() {
        return kafka;
      }
    };

    publishes(config, "metrics.scram");
  }

  @Test
  void plainThroughTheEnvironmentPublishes() {
    Map<String, String> kafka = broker.saslSslClientProperties(SaslMechanism.PLAIN, USER, PASSWORD);
    Map<String, String> settings = settings("metrics.plain", kafka.remove("bootstrap.servers"));
    kafka.forEach((k, v) -> System.setProperty("tributary.kafka." + k, v));
    try {
      publishes(settings::get, "metrics.plain");
    } finally {
      kafka.keySet().forEach(k -> System.clearProperty("tributary.kafka." + k));
    }
  }

  private static void publishes(TributaryConfig config, String topic) {
    TributaryMeterRegistry registry = TributaryMeterRegistry.builder(config).build();
    registry.counter("secure.jobs").increment(3);
    registry.close(); // publishes the final step and closes its own client

    broker.reader().recordsMatching(topic, r -> r.value().contains("\"name\":\"secure_jobs_total\""), 1,
        Duration.ofSeconds(30));
    Published published = Published.drain(broker, topic);
    assertThat(published.only("secure_jobs_total", Map.of()).value()).isEqualTo(3);
  }
}
