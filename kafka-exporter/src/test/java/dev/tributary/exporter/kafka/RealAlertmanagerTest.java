package dev.tributary.exporter.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tributary.sidecar.SidecarConfig;
import dev.tributary.testkit.FreePorts;
import dev.tributary.testkit.KafkaBrokerExtension;
import dev.tributary.testkit.MutableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Debian {@code prometheus-alertmanager} binary notifies the exporter's webhook: a firing and
 * then a resolved notification land in {@code alerts.events}, keyed by Alertmanager's own fingerprint.
 */
class RealAlertmanagerTest {
  @RegisterExtension
  static final KafkaBrokerExtension KAFKA = KafkaBrokerExtension.create();
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void alertmanagerNotificationsLandInAlertsEvents(@TempDir Path dir) throws Exception {
    SidecarConfig config = SidecarConfig.of(KafkaExporterKeys.all(), Map.of(
        "bootstrap.servers", KAFKA.broker().bootstrapServers(),
        "http.port", "0",
        "webhook.port", "0",
        "shutdown.timeout", "2s"));
    try (KafkaExporter exporter = KafkaExporter.createManual(config, new MutableClock(1_800_000_000_000L)).start()) {
      Files.writeString(dir.resolve("alertmanager.yml"), """
          route:
            receiver: publisher
            group_by: ['alertname']
            group_wait: 0s
            group_interval: 1s
            repeat_interval: 1h
          receivers:
            - name: publisher
              webhook_configs:
                - url: '%s'
                  send_resolved: true
          """.formatted(exporter.webhookUrl()));
      int port = FreePorts.find();
      String am = "http://127.0.0.1:" + port;
      Process alertmanager = new ProcessBuilder("prometheus-alertmanager",
          "--config.file=" + dir.resolve("alertmanager.yml"), "--storage.path=" + dir.resolve("data"),
          "--web.listen-address=127.0.0.1:" + port, "--cluster.listen-address=")
          .redirectErrorStream(true).redirectOutput(dir.resolve("alertmanager.log").toFile()).start();
      try {
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
            .until(() -> Scrape.get(am + "/-/ready").statusCode() == 200);
        String alert = """
            [{"labels":{"alertname":"KafkaOfflinePartitions","severity":"critical","topic":"orders"},
              "annotations":{"summary":"2 partitions of orders have no leader"},
              "startsAt":"%s"%s}]""";
        Instant start = Instant.now().minusSeconds(60);
        assertThat(Scrape.post(am + "/api/v2/alerts", alert.formatted(start, "")).statusCode()).isEqualTo(200);
        String fingerprint = JSON.readTree(Scrape.get(am + "/api/v2/alerts").body()).get(0).get("fingerprint").asText();

        ConsumerRecord<String, String> firing = event(fingerprint, "alert.firing");
        JsonNode f = JSON.readTree(firing.value());
        assertThat(f.at("/event/domain").asText()).isEqualTo("alerts");
        assertThat(f.at("/attributes/labels/topic").asText()).isEqualTo("orders");
        assertThat(f.at("/attributes/annotations/summary").asText()).isEqualTo("2 partitions of orders have no leader");
        assertThat(f.at("/attributes/receiver").asText()).isEqualTo("publisher");

        // Ended a second ago: Alertmanager sends the resolved notification at the next group interval.
        String ended = ",\"endsAt\":\"" + Instant.now().minusSeconds(1) + "\"";
        assertThat(Scrape.post(am + "/api/v2/alerts", alert.formatted(start, ended)).statusCode()).isEqualTo(200);
        JsonNode r = JSON.readTree(event(fingerprint, "alert.resolved").value());
        assertThat(r.at("/attributes/status").asText()).isEqualTo("resolved");
        assertThat(r.at("/attributes/fingerprint").asText()).isEqualTo(fingerprint);
      } finally {
        alertmanager.destroy();
        if (!alertmanager.waitFor(10, TimeUnit.SECONDS)) {
          alertmanager.destroyForcibly();
        }
      }
    }
  }

  private static ConsumerRecord<String, String> event(String key, String name) {
    List<ConsumerRecord<String, String>> records = KAFKA.broker().reader().recordsMatching("alerts.events",
        rec -> key.equals(rec.key()) && rec.value().contains("\"name\":\"" + name + "\""), 1, Duration.ofSeconds(30));
    return records.get(0);
  }
}
