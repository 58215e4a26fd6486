package dev.tributary.sidecar.prometheus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tributary.Counter;
import dev.tributary.Tributary;
import dev.tributary.testkit.KafkaBrokerExtension;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** A real Prometheus (Debian package, as CI installs it) scrapes the sidecar and answers PromQL. */
class RealPrometheusTest {
  @RegisterExtension
  static final KafkaBrokerExtension KAFKA = KafkaBrokerExtension.create();

  static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void prometheusScrapesTheSidecarAndRateSurvivesAnInstanceRestart(@TempDir Path dir) throws Exception {
    SidecarHarness.createTopics(KAFKA.broker(), "prom", 3);
    try (PrometheusSidecar sidecar = SidecarHarness.start(SidecarHarness.config(KAFKA.broker(), "prom"), Clock.systemUTC())) {
      Path config = dir.resolve("prometheus.yml");
      Files.writeString(config, """
          global:
            scrape_interval: 1s
            evaluation_interval: 1s
          scrape_configs:
            - job_name: tributary
              honor_labels: true
              static_configs:
                - targets: ['%s']
          """.formatted(sidecar.baseUrl().substring("http://".length())));
      try (PrometheusServer prometheus = PrometheusServer.start(dir, config)) {
        String api = prometheus.api;
        Tributary run1 = SidecarHarness.client(KAFKA.broker(), "prom", "pay-1");
        Counter orders1 = run1.counter("orders").help("Orders taken").build();
        orders1.increment(1);
        awaitValue(api, "orders_total{instance=\"pay-1\"}", 1);
        orders1.increment(9);
        awaitValue(api, "orders_total{instance=\"pay-1\"}", 10);
        awaitValue(api, "tributary_up{instance=\"pay-1\",service=\"payments\"}", 1);
        run1.close();

        Tributary run2 = SidecarHarness.client(KAFKA.broker(), "prom", "pay-1"); // a new run id: the counter starts again
        try {
          Counter orders2 = run2.counter("orders").help("Orders taken").build();
          orders2.increment(1);
          awaitValue(api, "orders_total{instance=\"pay-1\"}", 1);
          orders2.increment(4);
          awaitValue(api, "orders_total{instance=\"pay-1\"}", 5);

          assertThat(query(api, "resets(orders_total{instance=\"pay-1\"}[10m])")).isEqualTo(1);
          double increase = query(api, "increase(orders_total{instance=\"pay-1\"}[10m])");
          assertThat(increase).as("9 + 1 + 4 counted through the reset, plus PromQL's extrapolation").isBetween(14.0, 17.0);
          assertThat(query(api, "sum by (service) (rate(orders_total[10m]))")).isPositive();
          assertThat(query(api, "up{job=\"tributary\"}")).isEqualTo(1);
          assertThat(query(api, "count(orders_total{job=\"tributary\",instance=\"pay-1\",service=\"payments\"})")).isEqualTo(1);
        } finally {
          run2.close();
        }
      }
    }
  }

  static void awaitValue(String api, String promql, double expected) {
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
        .untilAsserted(() -> assertThat(query(api, promql)).isEqualTo(expected));
  }

  /** The value of an instant query with exactly one result, or NaN if there is none. */
  static double query(String api, String promql) throws Exception {
    HttpResponse<String> r = SidecarHarness.HTTP.send(HttpRequest.newBuilder(URI.create(
        api + "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8))).build(),
        HttpResponse.BodyHandlers.ofString());
    JsonNode result = JSON.readTree(r.body()).path("data").path("result");
    if (result.size() != 1) {
      return Double.NaN;
    }
    return Double.parseDouble(result.get(0).path("value").get(1).asText());
  }
}
