package dev.tributary.exporter.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tributary.sidecar.SidecarConfig;
import dev.tributary.testkit.FreePorts;
import dev.tributary.testkit.KafkaBroker;
import dev.tributary.testkit.MutableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No broker at the address: cycles fail within the admin timeout, /ready says so, the webhook still
 * answers; once a broker appears there, the exporter recovers and the queued alerts are delivered.
 */
class UnreachableClusterTest {

  @Test
  void unreachableClusterFailsCyclesWithinTheTimeoutAndTheWebhookStillAnswers(@TempDir Path spool) throws Exception {
    int port = FreePorts.find();
    SidecarConfig config = SidecarConfig.of(KafkaExporterKeys.all(), Map.of(
        "bootstrap.servers", "127.0.0.1:" + port,
        "http.port", "0",
        "webhook.port", "0",
        "admin.timeout", "1s",
        "shutdown.timeout", "1s",
        "events.spool.dir", spool.toString()));
    try (KafkaExporter exporter = KafkaExporter.createManual(config, new MutableClock(1_800_000_000_000L)).start()) {
      assertThat(Scrape.get(exporter.baseUrl() + "/ready").statusCode()).as("not ready before a cycle").isEqualTo(503);

      assertThat(exporter.collect()).isNull(); // collect() itself fails the test if the cycle overruns its bound
      assertThat(exporter.isReady()).isFalse();
      assertThat(Scrape.get(exporter.baseUrl() + "/ready").statusCode()).isEqualTo(503);
      assertThat(Scrape.get(exporter.baseUrl() + "/health").statusCode()).isEqualTo(200);
      String text = Scrape.metrics(exporter.baseUrl());
      assertThat(Scrape.require(text, "tributary_kafka_exporter_cycles_total", Map.of("outcome", "failure"))).isEqualTo(1);
      assertThat(Scrape.require(text, "tributary_kafka_exporter_admin_errors_total", Map.of("call", "describe_cluster")))
          .isEqualTo(1);
      assertThat(Scrape.require(text, "tributary_kafka_exporter_cluster_reachable", Map.of())).isZero();
      assertThat(Scrape.value(text, "tributary_kafka_brokers", Map.of())).as("no stale cluster metrics").isEmpty();
      assertThat(Scrape.value(text, "tributary_kafka_exporter_last_cycle_duration_seconds", Map.of()).getAsDouble())
          .as("a failed cycle is bounded by admin.timeout plus the grace (2 s here), not the client's 60 s default")
          .isLessThan(10.0);

      // Kafka down does not hold the webhook: the alert is queued in the client and the request answered.
      String payload = Files.readString(Path.of("src/test/resources/alertmanager-webhook.json"));
      assertThat(Scrape.post(exporter.webhookUrl(), payload).statusCode()).isEqualTo(200);
      try (var files = Files.list(spool)) {
        assertThat(files.count()).as("the alerts are spooled on disk while Kafka is down").isPositive();
      }
      KafkaExporterTest.promtoolAccepts(Scrape.metrics(exporter.baseUrl()));

      // The cluster comes up at that address: the next cycle reaches it, the queued alerts arrive.
      try (KafkaBroker broker = KafkaBroker.builder().port(port).start()) {
        // The admin client backs off its reconnects, so the first cycle after the start may still miss.
        await().atMost(Duration.ofSeconds(60)).until(() -> exporter.collect() != null);
        assertThat(Scrape.get(exporter.baseUrl() + "/ready").statusCode()).isEqualTo(200);
        assertThat(Scrape.require(Scrape.metrics(exporter.baseUrl()), "tributary_kafka_brokers", Map.of())).isEqualTo(1);
        assertThat(broker.reader().records("alerts.events", 2, Duration.ofSeconds(30)))
            .extracting(r -> r.key()).containsExactly("6f1e0b3a9d2c4e11", "0a9b8c7d6e5f4a3b");
      }
    }
  }

  @Test
  void scheduledCyclesGoOnAfterFailures() throws Exception {
    SidecarConfig config = SidecarConfig.of(KafkaExporterKeys.all(), Map.of(
        "bootstrap.servers", "127.0.0.1:" + FreePorts.find(),
        "http.port", "0",
        "webhook.port", "0",
        "interval", "100ms",
        "admin.timeout", "300ms",
        "shutdown.timeout", "1s"));
    try (KafkaExporter exporter = KafkaExporter.create(config).start()) {
      await().atMost(Duration.ofSeconds(30)).until(() -> Scrape.require(Scrape.metrics(exporter.baseUrl()),
          "tributary_kafka_exporter_cycles_total", Map.of("outcome", "failure")) >= 3);
      assertThat(exporter.isReady()).isFalse();
    }
  }
}
