package dev.tributary.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/operations/alertmanager.yml: amtool accepts it, alerts reach the receivers it promises, and a
 * real Alertmanager (Debian prometheus-alertmanager) inhibits what it says it inhibits.
 */
class AlertmanagerConfigTest {
  private static final Path CONFIG = OperationsKit.operations().resolve("alertmanager.yml");
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @Test
  void amtoolAcceptsTheConfiguration() {
    Tool.Result result = Tool.run(OperationsKit.operations(), "amtool", "check-config", CONFIG.toString());
    assertThat(result.ok()).as("amtool check-config:%n%s", result.output()).isTrue();
  }

  @Test
  void criticalAlertsPageAndEveryAlertIsPublished() {
    assertThat(receivers("severity=critical", "alertname=ServiceDown", "service=payment-service"))
        .isEqualTo("alert-publisher,oncall-pager,team-channel");
    assertThat(receivers("severity=warning", "alertname=PaymentConsumerLagHigh", "service=payment-service"))
        .isEqualTo("alert-publisher,team-channel");
    assertThat(receivers("severity=warning", "alertname=KafkaUnderReplicatedPartitions", "job=tributary-kafka-exporter"))
        .isEqualTo("alert-publisher,team-channel");
  }

  @Test
  void aRealAlertmanagerInhibitsTheConsequencesOfServiceDownAndOfElasticsearchUnreachable(@TempDir Path dir)
      throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Process am = new ProcessBuilder("prometheus-alertmanager", "--config.file=" + CONFIG,
        "--storage.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port, "--cluster.listen-address=")
        .redirectErrorStream(true).redirectOutput(dir.resolve("alertmanager.log").toFile()).start();
    try {
      String base = "http://127.0.0.1:" + port;
      await().atMost(WAIT).ignoreExceptions().until(() -> get(base + "/-/ready").statusCode() == 200);
      String alerts = """
          [{"labels": {"alertname": "ServiceDown", "severity": "critical", "service": "payment-service", "instance": "pay-1"}},
           {"labels": {"alertname": "PaymentConsumerLagHigh", "severity": "warning", "service": "payment-service", "instance": "pay-2"}},
           {"labels": {"alertname": "PaymentConsumerLagHigh", "severity": "warning", "service": "checkout", "instance": "c-1"}},
           {"labels": {"alertname": "TributaryElasticsearchUnreachable", "severity": "critical", "job": "tributary-elasticsearch-sidecar", "instance": "es-1"}},
           {"labels": {"alertname": "TributarySidecarLagHigh", "severity": "warning", "job": "tributary-elasticsearch-sidecar", "topic": "logs.events"}},
           {"labels": {"alertname": "TributarySidecarLagHigh", "severity": "warning", "job": "tributary-prometheus-sidecar", "topic": "metrics.events"}}]
          """;
      HttpResponse<String> posted = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/v2/alerts"))
          .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(alerts)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(posted.statusCode()).as(posted.body()).isEqualTo(200);

      Map<String, String> expected = Map.of(
          "ServiceDown payment-service", "active",
          "PaymentConsumerLagHigh payment-service", "suppressed",     // its service is down
          "PaymentConsumerLagHigh checkout", "active",                // another service
          "TributaryElasticsearchUnreachable tributary-elasticsearch-sidecar", "active",
          "TributarySidecarLagHigh tributary-elasticsearch-sidecar", "suppressed", // Elasticsearch is down
          "TributarySidecarLagHigh tributary-prometheus-sidecar", "active");
      await().atMost(WAIT).untilAsserted(() -> assertThat(states(base)).isEqualTo(expected));
    } finally {
      am.destroy();
      if (!am.waitFor(10, TimeUnit.SECONDS)) {
        am.destroyForcibly();
      }
    }
  }

  /** "alertname service-or-job" to the alert's state (active, suppressed). */
  private static Map<String, String> states(String base) throws IOException, InterruptedException {
    Map<String, String> states = new HashMap<>();
    for (JsonNode alert : OperationsKit.JSON.readTree(get(base + "/api/v2/alerts").body())) {
      JsonNode labels = alert.path("labels");
      String owner = labels.has("service") ? labels.path("service").asText() : labels.path("job").asText();
      states.put(labels.path("alertname").asText() + " " + owner, alert.path("status").path("state").asText());
    }
    return states;
  }

  private static HttpResponse<String> get(String url) throws IOException, InterruptedException {
    return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String receivers(String... labels) {
    List<String> cmd = new ArrayList<>(List.of("amtool", "config", "routes", "test", "--config.file=" + CONFIG));
    cmd.addAll(List.of(labels));
    Tool.Result result = Tool.run(OperationsKit.operations(), cmd.toArray(String[]::new));
    assertThat(result.ok()).as("amtool config routes test:%n%s", result.output()).isTrue();
    // the receivers on one line; amtool also warns that --config.file overrides --alertmanager.url
    return result.output().lines().filter(l -> !l.startsWith("Warning")).reduce("", String::concat).trim();
  }
}
