package dev.tributary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tributary.testkit.KafkaBrokerExtension;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Bad input never throws into the caller: it is rejected and counted, or sanitised, as documented. */
class BadInputTest {
  @RegisterExtension
  static final KafkaBrokerExtension KAFKA = KafkaBrokerExtension.create();

  private Tributary client;

  @BeforeEach
  void start() {
    client = Tributary.builder()
        .bootstrapServers(KAFKA.broker().bootstrapServers())
        .serviceName("bad-input")
        .instanceId("bad-1")
        .maxSeriesPerMetric(100)
        .maxSeries(150)
        .maxMessageChars(1_000)
        .maxStackTraceChars(2_000)
        .metricsStep(Duration.ofHours(1))
        .build();
  }

  @AfterEach
  void stop() {
    client.close();
  }

  @Test
  void invalidMetricInputIsRejectedAndCountedNeverThrown() {
    assertThatCode(() -> {
      client.counter(null).build().increment();
      client.counter("").labelNames("a").build().labels("x").increment();
      Counter requests = client.counter("requests_total").labelNames("method").build();
      requests.labels("GET").increment(Double.NaN);
      requests.labels("GET").increment(-1);
      requests.labels("GET").increment(Double.POSITIVE_INFINITY);
      requests.labels("GET", "extra").increment();
      requests.labels().increment();
      client.gauge("requests_total").build().set(1); // same name, other kind
      client.counter("requests_total").labelNames("path").build().increment(); // same name, other labels
      client.histogram("latency").buckets(1, 1).build().observe(1);
      client.histogram("sizes").build().observe(Double.NaN);
      client.counter("dup_labels").labelNames("a", "a").build().increment();
      client.sendMetric(null, "x", 1, Map.of());
      client.sendMetric(MetricType.COUNTER, "things_total", -5, Map.of());
    }).doesNotThrowAnyException();

    // null and empty names, NaN/negative/infinite increments (3), wrong label counts (2), kind and label
    // conflicts (2), bad buckets, NaN observation, duplicate label names, null type, negative sendMetric
    assertThat(client.stats().stream(StreamKind.METRICS).rejected()).isEqualTo(14);
  }

  @Test
  void repeatedSendMetricCallsRecordIntoOneSeriesPerLabelSetWhateverTheMapType() throws Exception {
    Map<String, String> hash = new HashMap<>(Map.of("method", "GET", "code", "200"));
    Map<String, String> sorted = new java.util.TreeMap<>(hash);
    for (int i = 0; i < 1_000; i++) {
      assertThat(client.sendMetric(MetricType.COUNTER, "quick_total", 1, i % 2 == 0 ? hash : sorted)).isTrue();
      assertThat(client.sendMetric(MetricType.COUNTER, "quick_total", 2, Map.of("code", "500", "method", "GET"))).isTrue();
      assertThat(client.sendMetric(MetricType.GAUGE, "quick_depth", i, null)).isTrue();
    }
    // Rejections are counted on every call, on the first as on later ones.
    assertThat(client.sendMetric(MetricType.COUNTER, "quick_total", -1, hash)).isFalse();
    assertThat(client.sendMetric(MetricType.GAUGE, "quick_total", 1, hash)).isFalse(); // other kind
    assertThat(client.sendMetric(MetricType.GAUGE, "quick_total", 1, hash)).isFalse();
    assertThat(client.sendMetric(MetricType.COUNTER, "quick_total", 1, Map.of("method", "GET"))).isFalse(); // other labels
    assertThat(client.sendMetric(MetricType.HISTOGRAM, "quick_depth", Double.NaN, null)).isFalse(); // other kind
    assertThat(client.stats().stream(StreamKind.METRICS).rejected()).isEqualTo(5);
    client.close();

    com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
    List<JsonNode> samples = new java.util.ArrayList<>();
    for (var r : KAFKA.broker().reader().recordsMatching("metrics.events",
        r -> r.value().contains("\"quick_"), 3, Duration.ofSeconds(30))) {
      samples.add(json.readTree(r.value()));
    }
    assertThat(samples).extracting(n -> n.path("metric").path("name").asText() + n.path("labels") + "="
        + n.path("metric").path("value").asDouble())
        .containsExactlyInAnyOrder(
            "quick_total{\"code\":\"200\",\"method\":\"GET\"}=1000.0",
            "quick_total{\"code\":\"500\",\"method\":\"GET\"}=2000.0",
            "quick_depth=999.0"); // no labels: the member is omitted
  }

  @Test
  void invalidNamesAreSanitisedIntoValidPrometheusNames() throws Exception {
    client.counter("http.requests-total").labelNames("http.method", "__reserved", "9lives").build()
        .labels("GET", "x", "y").increment();
    client.close();
    JsonNode metric = metric("http_requests_total");
    assertThat(metric.path("labels").fieldNames()).toIterable().containsExactly("http_method", "_reserved", "_9lives");
    assertThat(metric.path("metric").path("value").asDouble()).isEqualTo(1.0);
  }

  @Test
  void labelExplosionIsCappedPerMetricAndInTotalAndCounted() {
    Counter perUser = client.counter("per_user_total").labelNames("user").build();
    for (int i = 0; i < 1_000; i++) {
      perUser.labels("user-" + i).increment();
    }
    Counter other = client.counter("per_session_total").labelNames("session").build();
    for (int i = 0; i < 100; i++) {
      other.labels("s-" + i).increment();
    }
    TributaryStats stats = client.stats();
    assertThat(stats.seriesActive()).isEqualTo(150);
    // 900 refused by the per-metric limit, 50 by the total limit.
    assertThat(stats.seriesRefused()).isEqualTo(950);
  }

  @Test
  void hugeMessagesAndStackTracesAreTruncatedWithAMarkerAndCounted() throws Exception {
    String huge = "x".repeat(100_000);
    RuntimeException deep = new RuntimeException("outer " + huge, new IllegalStateException("inner"));
    assertThat(client.sendLog(LogLevel.ERROR, huge, Map.of(), deep)).isTrue();
    client.flush(Duration.ofSeconds(30));
    JsonNode log = KAFKA.broker().reader().envelopes("logs.events", 1, Duration.ofSeconds(30)).stream()
        .filter(n -> n.path("service").path("node").path("name").asText().equals("bad-1"))
        .findFirst().orElseThrow();
    assertThat(log.path("message").asText()).hasSize(1_000).endsWith("... [truncated from 100000 chars]");
    assertThat(log.path("error").path("stack_trace").asText()).hasSize(2_000).endsWith("chars]");
    assertThat(log.path("error").path("message").asText()).hasSize(1_000);
    assertThat(client.stats().stream(StreamKind.LOGS).truncated()).isEqualTo(2);
  }

  @Test
  void nullAndInvalidLogAndEventInputIsRejectedAndCounted() {
    Map<String, Object> selfReferencing = new HashMap<>();
    selfReferencing.put("self", selfReferencing);
    assertThatCode(() -> {
      assertThat(client.sendLog((LogEntry) null)).isFalse();
      assertThat(client.sendLog(null, null)).isTrue(); // sanitised: INFO and an empty message
      assertThat(client.sendLog(LogLevel.INFO, "cyclic", selfReferencing)).isTrue(); // written to a depth limit
      assertThat(client.sendEvent(null, "x", null, null)).isFalse();
      assertThat(client.sendEvent("bad domain!", "x", null, null)).isFalse();
      assertThat(client.sendEvent("ok", null, null, null)).isFalse();
      assertThat(client.sendEvent("ok", "x", null, Map.of("list", List.of(1, 2)))).isTrue();
    }).doesNotThrowAnyException();
    assertThat(client.stats().stream(StreamKind.LOGS).rejected()).isEqualTo(1);
    assertThat(client.stats().stream(StreamKind.EVENTS).rejected()).isEqualTo(3);
    assertThat(client.flush(Duration.ofSeconds(30)).isComplete()).isTrue();
    assertThat(client.stats().stream(StreamKind.LOGS).sent()).isEqualTo(2);
  }

  @Test
  void aRecordLargerThanTheLimitIsRejectedAtEncodingAndCounted() {
    Tributary small = Tributary.builder()
        .bootstrapServers(KAFKA.broker().bootstrapServers())
        .serviceName("bad-input")
        .instanceId("bad-2")
        .maxRecordBytes(4_096)
        .build();
    try {
      assertThat(small.sendLog(LogLevel.INFO, "fields too big", Map.of("blob", "y".repeat(10_000)))).isTrue();
      assertThat(small.sendLog(LogLevel.INFO, "fine")).isTrue();
      DeliveryReport flushed = small.flush(Duration.ofSeconds(30));
      // The oversized record was never delivered, and the report says so.
      assertThat(flushed.undelivered(StreamKind.LOGS)).isEqualTo(1);
      TributaryStats.StreamStats logs = small.stats().stream(StreamKind.LOGS);
      assertThat(logs.rejected()).isEqualTo(1);
      assertThat(logs.sent()).isEqualTo(1);
    } finally {
      small.close();
    }
  }

  private JsonNode metric(String name) {
    return KAFKA.broker().reader().envelopes("metrics.events", 1, Duration.ofSeconds(30)).stream()
        .filter(n -> n.path("metric").path("name").asText().equals(name))
        .reduce((a, b) -> b).orElseThrow(() -> new AssertionError("no sample of " + name));
  }
}
