package dev.tributary.exporter.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.sidecar.SidecarConfig;
import dev.tributary.testkit.FreePorts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** No broker at the address: cycles fail within the admin timeout, /ready says so, the webhook still answers. */
class UnreachableClusterTest {

  @Test
  void unreachableClusterFailsCyclesWithinTheTimeoutAndTheWebhookStillAnswers() throws Exception {
    SidecarConfig config = SidecarConfig.of(KafkaExporterKeys.all(), Map.of(
        "bootstrap.servers", "127.0.0.1:" + FreePorts.find(),
        "http.port", "0",
        "webhook.port", "0",
        "admin.timeout", "1s",
        "shutdown.timeout", "1s"));
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
          .as("a failed cycle is bounded by admin.timeout plus the grace").isLessThan(5.0);

      // Kafka down does not hold the webhook: the alert is queued in the client and the request answered.
      String payload = Files.readString(Path.of("src/test/resources/alertmanager-webhook.json"));
      assertThat(Scrape.post(exporter.webhookUrl(), payload).statusCode()).isEqualTo(200);
      KafkaExporterTest.promtoolAccepts(Scrape.metrics(exporter.baseUrl()));
    }
  }
}
