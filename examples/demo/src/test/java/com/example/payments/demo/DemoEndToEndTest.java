package com.example.payments.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.example.payments.load.LoadGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.tributary.testkit.PromQl;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The demo, headless, with load: what the payment service sends reaches the Prometheus sidecar, a
 * real Prometheus and a real Elasticsearch, with the correlation ids the API returned; and every
 * metric that the operations kit's alert rules and dashboards query exists on the live endpoints.
 */
class DemoEndToEndTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  static final Duration WAIT = Duration.ofSeconds(90);
  static final Path ROOT = Path.of(System.getProperty("demo.root", "../..")).toAbsolutePath().normalize();

  /** The series the payment service must expose (examples/payment-service/METRICS.md). */
  static final List<String> PAYMENT_SERIES = List.of("payment_api_requests_total", "payments_processed_total",
      "payment_amount_count", "payment_amount_sum", "payment_amount_max", "payment_batch_size_bucket",
      "payment_batch_size_count", "payment_batch_size_sum", "payment_processing_seconds_bucket",
      "payment_processing_seconds_count", "payment_processing_seconds_sum", "payment_end_to_end_seconds_bucket",
      "payment_end_to_end_seconds_count", "payment_end_to_end_seconds_sum", "payment_processor_consumer_lag",
      "payment_processor_rebalances_total", "payment_validation_failures_total");

  /**
   * Labelled counters that the sidecars create on the first event (a dead letter, a sequence gap, a
   * refused series, a bulk retry...): a healthy demo never exposes them, since the sidecars do not
   * initialise their label values with 0. For these the test checks that the sidecars' docs name
   * them, which catches a misspelt name, though not a renamed one.
   */
  static final Set<String> ABSENT_UNTIL_EVENT = Set.of("tributary_elasticsearch_retries_total",
      "tributary_prometheus_samples_ignored_total", "tributary_prometheus_series_evicted_total",
      "tributary_prometheus_series_refused_total", "tributary_sidecar_dead_letter_errors_total",
      "tributary_sidecar_records_dead_lettered_total", "tributary_sidecar_records_failed_total",
      "tributary_sidecar_sequence_duplicates_total", "tributary_sidecar_sequence_gaps_total");

  static Demo demo;
  static Path workDir;
  static LoadGenerator load;
  static CompletableFuture<LoadGenerator.Report> loadRun;
  /** correlation id returned by the API -> payment ids it accepted under it */
  static final Map<String, List<String>> OWN = new TreeMap<>();

  @BeforeAll
  static void startDemo() throws Exception {
    workDir = Files.createTempDirectory("tributary-demo-test-");
    demo = Demo.builder().root(ROOT).workDir(workDir)
        .elasticsearchHome(Path.of(System.getProperty("demo.elasticsearch.home",
            ROOT.resolve("examples/demo/target/search-dists/elasticsearch-" + Demo.DEFAULT_ELASTICSEARCH_VERSION).toString())))
        .metricsStep(Duration.ofSeconds(2)).scrapeInterval(Duration.ofSeconds(1)).out(System.err).start();
    load = LoadGenerator.builder(demo.paymentServiceUrl()).rate(20).errorRatio(0.2).duration(Duration.ofMinutes(10))
        .seed(8).progress(System.err, Duration.ofSeconds(10)).build();
    loadRun = CompletableFuture.supplyAsync(load::run);
    // a few requests of our own: with our correlation ids, and one the service generates
    for (String cid : new String[] {"e2e-1", "e2e-2", null}) {
      HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(demo.paymentServiceUrl() + "/payments/batch"))
          .header("Content-Type", "application/json").timeout(Duration.ofSeconds(20))
          .POST(HttpRequest.BodyPublishers.ofString("""
              {"payments": [{"amount": 12.5, "currency": "EUR", "merchant_id": "m-e2e", "card_number": "4111111111111111"},
                            {"amount": 99, "currency": "USD", "merchant_id": "m-e2e"}]}"""));
      if (cid != null) {
        r.header("X-Correlation-ID", cid);
      }
      HttpResponse<String> response = HTTP.send(r.build(), HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
      String returned = response.headers().firstValue("X-Correlation-ID").orElseThrow();
      if (cid != null) {
        assertThat(returned).isEqualTo(cid);
      }
      List<String> ids = new ArrayList<>();
      JSON.readTree(response.body()).path("payment_ids").forEach(n -> ids.add(n.asText()));
      OWN.put(returned, ids);
    }
  }

  @AfterAll
  static void stopDemo() {
    if (load != null) {
      load.stop();
      loadRun.join();
    }
    if (demo != null) {
      demo.close();
    }
    deleteRecursively(workDir);
  }

  static void deleteRecursively(Path dir) {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      System.err.println("cannot delete " + dir + ": " + e);
    }
  }

  @Test
  void theSidecarExposesThePaymentMetricsAndPrometheusQueriesThem() throws Exception {
    await().atMost(WAIT).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
      Set<String> names = sampleNames(get(demo.prometheusSidecarUrl() + "/metrics"), "payment-service");
      assertThat(names).containsAll(PAYMENT_SERIES);
    });
    String prometheus = demo.prometheusUrl().orElseThrow(() -> new AssertionError("prometheus is not installed"));
    await().atMost(WAIT).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
      assertThat(query(prometheus, "sum(payments_processed_total{service=\"payment-service\",instance=\"payment-1\"})"))
          .isGreaterThanOrEqualTo(4);
      assertThat(query(prometheus, "sum(rate(payment_api_requests_total{service=\"payment-service\"}[30s]))"))
          .as("requests per second (the load generator sends 20)").isBetween(1.0, 100.0);
    });
    double p95 = query(prometheus,
        "histogram_quantile(0.95, sum by (le) (rate(payment_processing_seconds_bucket{service=\"payment-service\"}[1m])))");
    assertThat(p95).as("p95 processing time in seconds (simulated provider: 2-25 ms)").isBetween(0.001, 5.0);
    assertThat(query(prometheus, "sum(payment_validation_failures_total{service=\"payment-service\"})")).isPositive();
    assertThat(query(prometheus, "tributary_up{service=\"payment-service\",instance=\"payment-1\"}")).isEqualTo(1);
  }

  @Test
  void elasticsearchHoldsTheLogsWithTheReturnedCorrelationIdsAndTheEvents() {
    String es = demo.elasticsearchUrl().orElseThrow();
    for (Map.Entry<String, List<String>> own : OWN.entrySet()) {
      String cid = own.getKey();
      await().atMost(WAIT).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
        JsonNode hits = search(es, "logs-payment-service-*", Map.of("term", Map.of("correlation.id", cid)), 50);
        Set<String> loggers = new TreeSet<>();
        hits.forEach(h -> loggers.add(h.at("/_source/log/logger").asText()));
        assertThat(loggers).as("loggers of the lines with correlation id " + cid)
            .contains("com.example.payments.PaymentApi", "com.example.payments.PaymentProcessor");
        String all = hits.toString();
        assertThat(all).doesNotContain("4111111111111111").contains("****1111");
      });
      for (String paymentId : own.getValue()) {
        await().atMost(WAIT).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
          JsonNode hits = search(es, "events-payment-*", Map.of("term", Map.of("event.entity_id", paymentId)), 10);
          Set<String> names = new TreeSet<>();
          hits.forEach(h -> {
            names.add(h.at("/_source/event/name").asText());
            assertThat(h.at("/_source/correlation/id").asText()).isEqualTo(cid);
          });
          assertThat(names).contains("payment.received").containsAnyOf("payment.completed", "payment.declined",
              "payment.failed");
        });
      }
    }
    // and the load generator's traffic: a returned id the service generated itself is searchable too
    LoadGenerator.Response generated = load.report().responses().stream()
        .filter(r -> r.status() == 200 && r.sentCorrelationId() == null).findFirst().orElseThrow();
    await().atMost(WAIT).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> assertThat(
        search(es, "logs-payment-service-*", Map.of("term", Map.of("correlation.id", generated.correlationId())), 10))
        .isNotEmpty());
  }

  @Test
  void everyMetricOfTheAlertRulesAndDashboardsExistsOnTheLiveEndpoints() throws Exception {
    Path ops = ROOT.resolve("docs/operations");
    Map<String, Set<String>> used = new TreeMap<>();   // metric name -> files using it
    Set<String> recorded = new TreeSet<>();
    for (Path file : files(ops.resolve("alerts"), ".rules.yml")) {
      for (JsonNode group : YAML.readTree(file.toFile()).path("groups")) {
        for (JsonNode rule : group.path("rules")) {
          if (rule.hasNonNull("record")) {
            recorded.add(rule.get("record").asText());
          }
          PromQl.metricNames(rule.path("expr").asText()).forEach(n -> used.computeIfAbsent(n, k -> new TreeSet<>())
              .add(ops.relativize(file).toString()));
        }
      }
    }
    for (Path file : files(ops.resolve("dashboards"), ".json")) {
      List<String> exprs = new ArrayList<>();
      collectQueries(JSON.readTree(file.toFile()), exprs);
      for (String expr : exprs) {
        PromQl.metricNames(expr).forEach(n -> used.computeIfAbsent(n, k -> new TreeSet<>())
            .add(ops.relativize(file).toString()));
      }
    }
    System.err.println("operations kit: " + used.size() + " metric names in " + ops);
    String prometheus = demo.prometheusUrl().orElseThrow(() -> new AssertionError("prometheus is not installed"));
    await().atMost(WAIT).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
      Set<String> live = new TreeSet<>(sampleNames(get(demo.prometheusSidecarUrl() + "/metrics"), null));
      live.addAll(sampleNames(get(demo.elasticsearchSidecarUrl().orElseThrow() + "/metrics"), null));
      JSON.readTree(get(prometheus + "/api/v1/label/__name__/values")).path("data").forEach(n -> live.add(n.asText()));
      Set<String> families = new TreeSet<>();
      live.forEach(n -> families.add(PromQl.family(n)));
      Map<String, Set<String>> missing = new TreeMap<>();
      used.forEach((name, where) -> {
        if (!live.contains(name) && !recorded.contains(name) && !families.contains(name) && !name.equals("ALERTS")
            && !name.equals("ALERTS_FOR_STATE") && !ABSENT_UNTIL_EVENT.contains(name)) {
          missing.put(name, where);
        }
      });
      assertThat(missing).as("metric names used by the operations kit but absent from the live endpoints").isEmpty();
    });
    String sidecarDocs = Files.readString(ROOT.resolve("docs/sidecar-core.md"))
        + Files.readString(ROOT.resolve("docs/sidecar-prometheus.md"))
        + Files.readString(ROOT.resolve("docs/sidecar-elasticsearch.md"));
    for (String name : used.keySet()) {
      if (ABSENT_UNTIL_EVENT.contains(name)) {
        assertThat(sidecarDocs).as("a sidecar doc names " + name).contains(name);
      }
    }
  }

  // --- helpers ---------------------------------------------------------------------------------

  static List<Path> files(Path dir, String suffix) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().endsWith(suffix))
          .filter(p -> !p.getFileName().toString().startsWith("kafka")).sorted().toList();
    }
  }

  /** Every {@code expr} of a Grafana dashboard, and the queries of its template variables. */
  static void collectQueries(JsonNode node, List<String> out) {
    if (node.isObject()) {
      node.fields().forEachRemaining(e -> {
        if (e.getKey().equals("expr") && e.getValue().isTextual()) {
          out.add(e.getValue().asText());
        } else if (e.getKey().equals("query") && e.getValue().isTextual() && e.getValue().asText().contains("(")) {
          out.add(e.getValue().asText());
        } else {
          collectQueries(e.getValue(), out);
        }
      });
    } else if (node.isArray()) {
      node.forEach(n -> collectQueries(n, out));
    }
  }

  /** Sample names of an exposition (of one service, if given); comment lines skipped. */
  static Set<String> sampleNames(String exposition, String service) {
    Set<String> names = new TreeSet<>();
    for (String line : exposition.split("\n")) {
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      if (service != null && !line.contains("service=\"" + service + "\"")) {
        continue;
      }
      int end = 0;
      while (end < line.length() && line.charAt(end) != '{' && line.charAt(end) != ' ') {
        end++;
      }
      names.add(line.substring(0, end));
    }
    return names;
  }

  static String get(String url) throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(url).isEqualTo(200);
    return r.body();
  }

  /** The value of an instant query with exactly one result, or NaN. */
  static double query(String prometheus, String promql) throws Exception {
    JsonNode result = JSON.readTree(get(prometheus + "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)))
        .path("data").path("result");
    return result.size() == 1 ? Double.parseDouble(result.get(0).path("value").get(1).asText()) : Double.NaN;
  }

  static JsonNode search(String es, String index, Map<String, Object> query, int size) throws Exception {
    String body = JSON.writeValueAsString(Map.of("size", size, "query", query));
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(es + "/" + index + "/_search"))
        .header("Content-Type", "application/json").timeout(Duration.ofSeconds(10))
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body()).path("hits").path("hits");
  }
}
