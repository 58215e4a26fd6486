package dev.tributary.sidecar.prometheus;

import static dev.tributary.sidecar.prometheus.SidecarHarness.scrape;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tributary.Counter;
import dev.tributary.HealthCheck;
import dev.tributary.Tributary;
import dev.tributary.testkit.KafkaBrokerExtension;
import dev.tributary.testkit.MutableClock;
import dev.tributary.wire.EnvelopeCodec;
import dev.tributary.wire.HealthEnvelope;
import dev.tributary.wire.MetricEnvelope;
import dev.tributary.wire.WireHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class PrometheusSidecarTest {
  @RegisterExtension
  static final KafkaBrokerExtension KAFKA = KafkaBrokerExtension.create();

  static final EnvelopeCodec CODEC = EnvelopeCodec.create();
  static final String OPENMETRICS = "application/openmetrics-text;version=1.0.0";

  @Test
  void sdkSeriesAndHeartbeatsAreServedAndPassPromtool() throws Exception {
    SidecarHarness.createTopics(KAFKA.broker(), "sdk", 3);
    try (PrometheusSidecar sidecar = SidecarHarness.start(SidecarHarness.config(KAFKA.broker(), "sdk"), Clock.systemUTC())) {
      await().atMost(Duration.ofSeconds(30)).until(sidecar::isReady);
      assertThat(SidecarHarness.status(sidecar.baseUrl(), "/health")).isEqualTo(200);
      assertThat(SidecarHarness.status(sidecar.baseUrl(), "/ready")).isEqualTo(200);
      // Before anything happened, every reason of the sidecar's own counters is there at 0.
      assertThat(scrape(sidecar.baseUrl(), null)).contains(
          "tributary_prometheus_series_evicted_total{reason=\"stale\"} 0.0\n",
          "tributary_prometheus_series_evicted_total{reason=\"down\"} 0.0\n",
          "tributary_prometheus_series_evicted_total{reason=\"revoked\"} 0.0\n",
          "tributary_prometheus_series_refused_total{reason=\"max_series\"} 0.0\n",
          "tributary_prometheus_series_refused_total{reason=\"max_series_per_metric\"} 0.0\n",
          "tributary_prometheus_samples_ignored_total{reason=\"duplicate\"} 0.0\n",
          "tributary_prometheus_samples_ignored_total{reason=\"stale\"} 0.0\n",
          "tributary_prometheus_samples_ignored_total{reason=\"after_down\"} 0.0\n");

      Tributary app = SidecarHarness.client(KAFKA.broker(), "sdk", "pay-1");
      try {
        Counter orders = app.counter("orders").help("Orders taken").labelNames("method").build();
        orders.labels("card").increment(3);
        app.gauge("queue_depth").help("Queued payments").build().set(7);
        app.histogram("latency_seconds").help("Latency").unit("seconds").buckets(0.1, 1).build().observe(0.05);
        app.registerHealthCheck("db", () -> HealthCheck.Result.degraded("slow"));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(scrape(sidecar.baseUrl(), null))
            .contains("orders_total{instance=\"pay-1\",method=\"card\",service=\"payments\"} 3.0\n")
            .contains("queue_depth{instance=\"pay-1\",service=\"payments\"} 7.0\n")
            .contains("latency_seconds_bucket{instance=\"pay-1\",service=\"payments\",le=\"0.1\"} 1\n")
            .contains("tributary_up{instance=\"pay-1\",service=\"payments\"} 1.0\n")
            .contains("tributary_health_check_status{check=\"db\",instance=\"pay-1\",service=\"payments\",status=\"DEGRADED\"} 1.0\n"));

        String text = scrape(sidecar.baseUrl(), null);
        assertThat(text).contains("tributary_sidecar_records_consumed_total{topic=\"sdk.metrics.events\"}",
            "tributary_prometheus_series ", "tributary_sidecar_consumer_lag_records{partition=\"0\",topic=\"sdk.health.events\"}");
        assertThat(SidecarHarness.promtoolCheck(text)).isEqualTo(Map.entry(0, ""));
        String om = scrape(sidecar.baseUrl(), OPENMETRICS);
        assertThat(om).contains("# TYPE orders counter\n", "orders_total{instance=\"pay-1\",method=\"card\",service=\"payments\"} 3.0\n")
            .endsWith("# EOF\n");

        // Every step repeats the previous one's records but for the numbers: read by comparing
        // bytes, and new values come through that way.
        orders.labels("card").increment(2);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
          String later = scrape(sidecar.baseUrl(), null);
          assertThat(later).contains("orders_total{instance=\"pay-1\",method=\"card\",service=\"payments\"} 5.0\n");
          assertThat(SidecarHarness.sample(later, "tributary_prometheus_records_repeated_total")).isGreaterThan(3);
        });
      } finally {
        app.close(); // final step and a final DOWN heartbeat
      }
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(scrape(sidecar.baseUrl(), null))
          .contains("tributary_up{instance=\"pay-1\",service=\"payments\"} 0.0\n"));
    }
  }

  @Test
  void badRecordsAreDeadLetteredByReasonAndTheSidecarGoesOn() throws Exception {
    SidecarHarness.createTopics(KAFKA.broker(), "bad", 1);
    long now = System.currentTimeMillis();
    String topic = "bad.metrics.events";
    MetricEnvelope good = Envelopes.counter("shop-1", "orders", now, 5, Map.of());
    List<byte[]> values = List.of(
        "{oops".getBytes(StandardCharsets.UTF_8),
        new String(CODEC.encode(good), StandardCharsets.UTF_8).replace("\"1.0\"", "\"2.0\"").getBytes(StandardCharsets.UTF_8),
        CODEC.encode(Envelopes.counter("shop-1", "orders.count", now, 1, Map.of())),
        CODEC.encode(Envelopes.counter("shop-1", "refunds", now, Double.NaN, Map.of())),
        CODEC.encode(Envelopes.heartbeat("shop-1", now, HealthEnvelope.Status.UP, 10_000)),
        CODEC.encode(good),
        CODEC.encode(Envelopes.counter("shop-1", "orders", now - 1000, 4, Map.of())));
    produce(topic, values);
    try (PrometheusSidecar sidecar = SidecarHarness.start(SidecarHarness.config(KAFKA.broker(), "bad"), Clock.systemUTC())) {
      List<ConsumerRecord<String, String>> dead = KAFKA.broker().reader().records(topic + ".dlq", 6, Duration.ofSeconds(30));
      assertThat(dead).extracting(r -> header(r, WireHeaders.DLQ_REASON)).containsExactly(
          "malformed_json", "unsupported_version", "invalid_name", "invalid_value", "unexpected_type", "out_of_order");
      assertThat(dead).extracting(r -> header(r, WireHeaders.DLQ_ORIGIN)).containsExactly(
          topic + "-0@0", topic + "-0@1", topic + "-0@2", topic + "-0@3", topic + "-0@4", topic + "-0@6");
      assertThat(header(dead.get(5), WireHeaders.DLQ_ERROR)).isEqualTo(
          "sample of orders{instance=\"shop-1\",service=\"shop\"} at " + (now - 1000) + " is older than the one held (" + now + ")");
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(scrape(sidecar.baseUrl(), null))
          .contains("orders_total{instance=\"shop-1\",service=\"shop\"} 5.0\n")
          .contains("tributary_sidecar_records_failed_total{reason=\"malformed_json\",topic=\"bad.metrics.events\"} 1.0\n")
          .contains("tributary_sidecar_records_dead_lettered_total{reason=\"out_of_order\",topic=\"bad.metrics.events\"} 1.0\n"));
      assertThat(sidecar.isAlive()).isTrue();
    }
  }

  @Test
  void expiryFollowsTheInjectedClock() throws Exception {
    SidecarHarness.createTopics(KAFKA.broker(), "exp", 1);
    long now = System.currentTimeMillis();
    MutableClock clock = new MutableClock(now);
    Map<String, String> config = SidecarHarness.config(KAFKA.broker(), "exp");
    config.put("down.grace", "30s");
    config.put("staleness.timeout", "2m");
    produce("exp.metrics.events", List.of(
        CODEC.encode(Envelopes.counter("stopped", "orders", now, 1, Map.of())),
        CODEC.encode(Envelopes.counter("silent", "orders", now, 2, Map.of())),
        CODEC.encode(Envelopes.counter("alive", "orders", now, 3, Map.of()))));
    produce("exp.health.events", List.of(
        CODEC.encode(Envelopes.heartbeat("stopped", now + 1, HealthEnvelope.Status.DOWN, 0)),
        CODEC.encode(Envelopes.heartbeat("silent", now, HealthEnvelope.Status.UP, 10_000))));
    try (PrometheusSidecar sidecar = SidecarHarness.start(config, clock)) {
      await().atMost(Duration.ofSeconds(30)).until(() -> sidecar.seriesCount() == 3);
      assertThat(scrape(sidecar.baseUrl(), null)).contains(
          "tributary_up{instance=\"stopped\",service=\"shop\"} 0.0\n", "tributary_up{instance=\"silent\",service=\"shop\"} 1.0\n");

      clock.advance(Duration.ofSeconds(31)); // silent missed 3 heartbeats; stopped's grace is over
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(scrape(sidecar.baseUrl(), null))
          .doesNotContain("instance=\"stopped\"")
          .contains("tributary_up{instance=\"silent\",service=\"shop\"} 0.0\n")
          .contains("orders_total{instance=\"silent\",service=\"shop\"} 2.0\n")
          .contains("tributary_prometheus_series_evicted_total{reason=\"down\"} 1.0\n"));

      produce("exp.metrics.events", List.of(CODEC.encode(Envelopes.counter("alive", "orders", now + 100_000, 4, Map.of()))));
      clock.advance(Duration.ofSeconds(100)); // 131 s: past the 2 min staleness for silent, not for alive
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(scrape(sidecar.baseUrl(), null))
          .doesNotContain("instance=\"silent\"")
          .contains("orders_total{instance=\"alive\",service=\"shop\"} 4.0\n")
          .contains("tributary_prometheus_series_evicted_total{reason=\"stale\"} 1.0\n")
          .contains("tributary_prometheus_series_evicted_total{reason=\"down\"} 1.0\n")
          .contains("tributary_prometheus_series_evicted_total{reason=\"revoked\"} 0.0\n"));
    }
  }

  static String header(ConsumerRecord<?, ?> r, String name) {
    return new String(r.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
  }

  static void produce(String topic, List<byte[]> values) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.broker().bootstrapServers());
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
      for (byte[] v : values) {
        producer.send(new ProducerRecord<>(topic, "shop/x".getBytes(StandardCharsets.UTF_8), v));
      }
      producer.flush();
    }
  }

  static String lines(String text, String prefix) {
    return text.lines().filter(l -> l.startsWith(prefix)).collect(Collectors.joining("\n"));
  }
}
