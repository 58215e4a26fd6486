package dev.tributary.sidecar.prometheus;

import static dev.tributary.sidecar.prometheus.Envelopes.T0;
import static dev.tributary.sidecar.prometheus.Envelopes.counter;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.testkit.MutableClock;
import dev.tributary.wire.EnvelopeCodec;
import dev.tributary.wire.MetricEnvelope;
import dev.tributary.wire.MetricEnvelope.MetricKind;
import dev.tributary.wire.SeriesDecoder;
import dev.tributary.wire.SeriesTemplate;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SeriesStoreTest {
  final MutableClock clock = new MutableClock(T0 + 1_000);
  final SeriesStore store = new SeriesStore(5, 3, Duration.ofMinutes(5).toMillis(), Duration.ofMinutes(1).toMillis(), clock);

  String text() {
    return ExpositionFormats.init().getPrometheusTextFormatWriter().toDebugString(new MetricSnapshots(store.snapshots()));
  }

  String openMetrics() {
    return ExpositionFormats.init().getOpenMetricsTextFormatWriter().toDebugString(new MetricSnapshots(store.snapshots()));
  }

  @Test
  void allFourKindsAreWrittenPerInstanceWithServiceAndInstanceLabels() throws Exception {
    store.ingest(counter("shop-1", "orders_total", T0, 3, Map.of("instance", "eu", "method", "card")), 0);
    store.ingest(Envelopes.gauge("shop-1", "heap_bytes", T0, 1024), 0);
    store.ingest(Envelopes.histogram("shop-1", T0), 0);
    store.ingest(Envelopes.summary("shop-1", T0), 0);
    assertThat(text()).isEqualTo("""
        # HELP heap_bytes Sent through Tributary without help text
        # TYPE heap_bytes gauge
        heap_bytes{instance="shop-1",service="shop"} 1024.0
        # HELP latency_seconds Latency
        # TYPE latency_seconds histogram
        latency_seconds_bucket{instance="shop-1",route="/pay",service="shop",le="0.1"} 2
        latency_seconds_bucket{instance="shop-1",route="/pay",service="shop",le="1.0"} 5
        latency_seconds_bucket{instance="shop-1",route="/pay",service="shop",le="+Inf"} 6
        latency_seconds_count{instance="shop-1",route="/pay",service="shop"} 6
        latency_seconds_sum{instance="shop-1",route="/pay",service="shop"} 3.5
        # HELP orders_total Orders taken
        # TYPE orders_total counter
        orders_total{exported_instance="eu",instance="shop-1",method="card",service="shop"} 3.0
        # HELP payload_bytes Sent through Tributary without help text
        # TYPE payload_bytes summary
        payload_bytes{instance="shop-1",service="shop",quantile="0.5"} 100.0
        payload_bytes{instance="shop-1",service="shop",quantile="0.99"} 900.0
        payload_bytes_count{instance="shop-1",service="shop"} 10
        payload_bytes_sum{instance="shop-1",service="shop"} 2000.0
        """);
    assertThat(openMetrics()).contains("# UNIT heap_bytes bytes\n", "# UNIT latency_seconds seconds\n").endsWith("# EOF\n");
  }

  @Test
  void newestSampleWinsAndCountersAreNeverSummedAcrossInstances() throws Exception {
    store.ingest(counter("shop-1", "orders", T0, 3, Map.of()), 0);
    store.ingest(counter("shop-2", "orders", T0, 4, Map.of()), 1);
    assertThat(store.ingest(counter("shop-1", "orders", T0 + 10, 5, Map.of()), 0)).isEqualTo(SeriesStore.Outcome.ACCEPTED);
    assertThat(store.ingest(counter("shop-1", "orders", T0 + 10, 6, Map.of()), 0)).isEqualTo(SeriesStore.Outcome.DUPLICATE);
    assertThatThrownBy(() -> store.ingest(counter("shop-1", "orders", T0 + 5, 4, Map.of()), 0))
        .isInstanceOfSatisfying(SampleRejected.class, e -> assertThat(e.reason()).isEqualTo("out_of_order"));
    assertThat(text()).contains("orders_total{instance=\"shop-1\",service=\"shop\"} 5.0\n",
        "orders_total{instance=\"shop-2\",service=\"shop\"} 4.0\n");
    assertThat(store.size()).isEqualTo(2);
  }

  @Test
  void invalidRecordsAreRejectedWithAReason() {
    assertThat(reason(counter("shop-1", "orders.count", T0, 1, Map.of()))).isEqualTo("invalid_name");
    assertThat(reason(counter("shop-1", "orders", T0, 1, Map.of("__x", "1")))).isEqualTo("invalid_name");
    assertThat(reason(counter("shop-1", "tributary_up", T0, 1, Map.of()))).isEqualTo("invalid_name");
    assertThat(reason(Envelopes.gauge("shop-1", "sessions_total", T0, 1))).isEqualTo("invalid_name");
    assertThat(reason(counter("shop-1", "orders", T0, Double.NaN, Map.of()))).isEqualTo("invalid_value");
    assertThat(reason(counter("shop-1", "orders", T0, -1, Map.of()))).isEqualTo("invalid_value");
    MetricEnvelope decreasing = new MetricEnvelope(T0, Envelopes.source("shop-1"), "metrics", 1, "h", MetricKind.HISTOGRAM,
        null, null, T0, Map.of(), Double.NaN, new MetricEnvelope.Histogram(
            java.util.List.of(new MetricEnvelope.Bucket(1, 5), new MetricEnvelope.Bucket(2, 4)), 5, 1), null);
    assertThat(reason(decreasing)).isEqualTo("invalid_value");
    assertThat(store.size()).isZero();
  }

  @Test
  void sameNameWithAnotherKindIsATypeConflict() throws Exception {
    store.ingest(Envelopes.gauge("shop-1", "queue", T0, 1), 0);
    assertThat(reason(counter("shop-2", "queue", T0, 1, Map.of()))).isEqualTo("type_conflict");
  }

  String reason(MetricEnvelope e) {
    try {
      store.ingest(e, 0);
      return "accepted";
    } catch (SampleRejected r) {
      return r.reason();
    }
  }

  @Test
  void capsRefuseNewSeriesButKeepUpdatingExistingOnes() throws Exception {
    for (int i = 0; i < 3; i++) {
      assertThat(store.ingest(counter("shop-" + i, "orders", T0, 1, Map.of()), 0)).isEqualTo(SeriesStore.Outcome.ACCEPTED);
    }
    assertThat(store.ingest(counter("shop-9", "orders", T0, 1, Map.of()), 0))
        .isEqualTo(SeriesStore.Outcome.REFUSED_MAX_SERIES_PER_METRIC);
    store.ingest(counter("shop-0", "refunds", T0, 1, Map.of()), 0);
    store.ingest(counter("shop-1", "refunds", T0, 1, Map.of()), 0);
    assertThat(store.ingest(counter("shop-2", "refunds", T0, 1, Map.of()), 0)).isEqualTo(SeriesStore.Outcome.REFUSED_MAX_SERIES);
    assertThat(store.ingest(counter("shop-0", "orders", T0 + 1, 2, Map.of()), 0)).isEqualTo(SeriesStore.Outcome.ACCEPTED);
    assertThat(store.size()).isEqualTo(5);
  }

  @Test
  void seriesExpireAfterTheStalenessTimeout() throws Exception {
    store.ingest(counter("shop-1", "orders", T0, 1, Map.of()), 0);
    store.ingest(counter("shop-2", "orders", T0 + 60_000, 1, Map.of()), 0);
    clock.advance(Duration.ofMinutes(5).minusSeconds(1)); // shop-1's sample is now exactly 5 minutes old
    assertThat(store.expire()).containsExactly(0, 0);
    clock.advance(Duration.ofSeconds(1));
    assertThat(store.expire()).containsExactly(1, 0);
    assertThat(text()).doesNotContain("shop-1").contains("shop-2");
    assertThat(store.ingest(counter("shop-3", "orders", T0, 1, Map.of()), 0)).isEqualTo(SeriesStore.Outcome.STALE);
  }

  @Test
  void instanceThatSaidDownLosesItsSeriesAfterTheGracePeriod() throws Exception {
    store.ingest(counter("shop-1", "orders", T0, 7, Map.of()), 0);
    store.ingest(counter("shop-2", "orders", T0, 1, Map.of()), 0);
    store.markDown("shop/shop-1", T0 + 500, 0);
    clock.advance(Duration.ofSeconds(59));
    assertThat(store.expire()).containsExactly(0, 0);
    assertThat(text()).contains("shop-1");
    clock.advance(Duration.ofSeconds(1));
    assertThat(store.expire()).containsExactly(0, 1);
    assertThat(text()).doesNotContain("shop-1").contains("shop-2");
    // a replayed old sample of the stopped run stays out; a new run's sample comes in
    assertThat(store.ingest(counter("shop-1", "orders", T0 + 400, 7, Map.of()), 0)).isEqualTo(SeriesStore.Outcome.AFTER_DOWN);
    assertThat(store.ingest(counter("shop-1", "orders", T0 + 60_000, 1, Map.of()), 0)).isEqualTo(SeriesStore.Outcome.ACCEPTED);
  }

  @Test
  void upAgainBeforeTheGraceEndsKeepsTheSeries() throws Exception {
    store.ingest(counter("shop-1", "orders", T0, 7, Map.of()), 0);
    store.markDown("shop/shop-1", T0 + 500, 0);
    store.markUp("shop/shop-1", T0 + 900);
    clock.advance(Duration.ofMinutes(2));
    store.expire();
    assertThat(store.size()).isEqualTo(1);
  }

  @Test
  void revokedPartitionsAreDropped() throws Exception {
    store.ingest(counter("shop-1", "orders", T0, 1, Map.of()), 0);
    store.ingest(counter("shop-2", "orders", T0, 1, Map.of()), 2);
    assertThat(store.dropPartitions(Set.of(2))).isEqualTo(1);
    assertThat(text()).contains("shop-1").doesNotContain("shop-2");
  }

  /** A series is found again by its sample's objects; one removed is new when the same objects come again. */
  @Test
  void aRemovedSeriesSentAgainWithTheSameObjectsIsANewSeries() throws Exception {
    Map<String, String> labels = Map.of("route", "/pay");
    String instance = new String("shop-1");
    store.ingest(counter(instance, "orders", T0, 1, labels), 0);
    assertThat(store.ingest(counter(instance, "orders", T0 + 1, 2, labels), 0)).isEqualTo(SeriesStore.Outcome.ACCEPTED);
    assertThat(store.ingest(counter(instance, "orders", T0 + 1, 3, labels), 0)).isEqualTo(SeriesStore.Outcome.DUPLICATE);
    assertThat(store.dropPartitions(Set.of(0))).isEqualTo(1);
    assertThat(store.size()).isZero();
    assertThat(store.ingest(counter(instance, "orders", T0 + 2, 4, labels), 0)).isEqualTo(SeriesStore.Outcome.ACCEPTED);
    assertThat(store.size()).isEqualTo(1);
    clock.advance(Duration.ofMinutes(6));
    assertThat(store.expire()).containsExactly(1, 0);
    assertThat(store.ingest(counter(instance, "orders", T0 + 300_000, 5, labels), 0)).isEqualTo(SeriesStore.Outcome.ACCEPTED);
    assertThat(store.size()).isEqualTo(1);
    assertThat(text()).contains("orders_total{instance=\"shop-1\",route=\"/pay\",service=\"shop\"} 5.0\n");
    assertThat(reason(new MetricEnvelope(T0 + 300_001, Envelopes.source(instance), "metrics", 9, "orders",
        MetricKind.GAUGE, null, null, T0, labels, 1, null, null))).isEqualTo("type_conflict");
  }

  /** Scrapes hand the series over in label order, kept between scrapes while no series comes or goes. */
  @Test
  void eachScrapeShowsTheSeriesHeldThenWithTheirNewestSamples() throws Exception {
    store.ingest(counter("shop-3", "orders", T0, 3, Map.of()), 0);
    store.ingest(counter("shop-1", "orders", T0, 1, Map.of()), 0);
    assertThat(text()).containsSubsequence("instance=\"shop-1\",service=\"shop\"} 1.0", "instance=\"shop-3\",service=\"shop\"} 3.0");

    store.ingest(counter("shop-1", "orders", T0 + 10, 11, Map.of()), 0); // a newer sample, same series
    store.ingest(counter("shop-2", "orders", T0 + 10, 2, Map.of()), 2); // a new series
    assertThat(text()).containsSubsequence("shop-1\",service=\"shop\"} 11.0", "shop-2\",service=\"shop\"} 2.0",
        "shop-3\",service=\"shop\"} 3.0");

    assertThat(store.dropPartitions(Set.of(2))).isEqualTo(1); // a series gone
    assertThat(text()).contains("shop-1\",service=\"shop\"} 11.0", "shop-3").doesNotContain("shop-2");
    store.ingest(counter("shop-2", "orders", T0 + 20, 4, Map.of()), 0); // and back: added and removed once each
    assertThat(text()).containsSubsequence("shop-1\",service=\"shop\"} 11.0", "shop-2\",service=\"shop\"} 4.0",
        "shop-3\",service=\"shop\"} 3.0");
  }

  /**
   * A sample read through its series' template finds the series the template names; a series
   * removed meanwhile (dropped partition, expiry) is not written to but held anew.
   */
  @Test
  void aTemplatesSeriesIsUsedWhileHeldAndHeldAnewAfterItWasRemoved() throws Exception {
    EnvelopeCodec codec = EnvelopeCodec.create();
    SeriesDecoder decoder = new SeriesDecoder(codec.newDecoder(), 100);
    byte[] key = "shop/shop-1".getBytes(StandardCharsets.UTF_8);
    Object[] attached = new Object[4];
    for (int step = 0; step < 4; step++) {
      long ts = T0 + 10 * step;
      for (String name : new String[] {"payments", "orders"}) {
        MetricEnvelope sent = new MetricEnvelope(ts, Envelopes.source("shop-1"), "metrics", 100L * step + name.length(), name,
            MetricKind.COUNTER, "Taken", null, T0 - 60_000, Map.of(), 10.0 + step, null, null);
        MetricEnvelope read = (MetricEnvelope) decoder.decode(key, codec.encode(sent));
        assertThat(read).isEqualTo(sent);
        assertThat(store.ingest(read, 0, clock.millis(), decoder.template())).isEqualTo(SeriesStore.Outcome.ACCEPTED);
        assertThat(decoder.template().attachment()).isInstanceOf(SeriesStore.Series.class);
      }
      attached[step] = decoder.template().attachment(); // orders'
      assertThat(store.size()).isEqualTo(2);
      assertThat(text()).contains("orders_total{instance=\"shop-1\",service=\"shop\"} " + (10.0 + step));
      if (step == 1) {
        assertThat(store.dropPartitions(Set.of(0))).isEqualTo(2);
        assertThat(text()).doesNotContain("orders_total{");
      }
    }
    assertThat(attached[1]).isSameAs(attached[0]);
    assertThat(attached[2]).as("held anew after the drop").isNotSameAs(attached[1]);
    assertThat(attached[3]).isSameAs(attached[2]);
    assertThat(decoder.repeats()).isEqualTo(1 + 2 + 2);
  }

  @Test
  void labelOrderDoesNotMakeANewSeriesAndAReplacementKeepsTheHeldLabels() throws Exception {
    Map<String, String> ab = new java.util.LinkedHashMap<>();
    ab.put("method", "card");
    ab.put("currency", "EUR");
    Map<String, String> ba = new java.util.LinkedHashMap<>();
    ba.put("currency", "EUR");
    ba.put("method", "card");
    store.ingest(counter("shop-1", "orders_total", T0, 1, ab), 0);
    io.prometheus.metrics.model.snapshots.Labels first = store.snapshots().get(0).getDataPoints().get(0).getLabels();

    assertThat(store.ingest(counter("shop-1", "orders", T0 + 10, 2, ba), 0)).isEqualTo(SeriesStore.Outcome.ACCEPTED);

    assertThat(store.size()).isEqualTo(1);
    assertThat((Object) store.snapshots().get(0).getDataPoints().get(0).getLabels()).isSameAs(first);
    assertThat(text()).contains("orders_total{currency=\"EUR\",instance=\"shop-1\",method=\"card\",service=\"shop\"} 2.0");
  }

  @Test
  void aUserLabelClashingWithItsExportedNameIsRefusedEveryTime() throws Exception {
    Map<String, String> both = Map.of("service", "x", "exported_service", "x");
    for (int i = 0; i < 2; i++) {
      long ts = T0 + i;
      assertThatThrownBy(() -> store.ingest(counter("shop-1", "orders", ts, 1, both), 0))
          .isInstanceOfSatisfying(SampleRejected.class, e -> assertThat(e.reason()).isEqualTo(SampleRejected.INVALID_NAME));
    }
    store.ingest(counter("shop-1", "orders", T0, 1, Map.of("service", "x")), 0);
    assertThat(store.ingest(counter("shop-1", "orders", T0 + 5, 2, Map.of("exported_service", "x")), 0))
        .as("the same exposed series").isEqualTo(SeriesStore.Outcome.ACCEPTED);
    assertThat(store.size()).isEqualTo(1);
  }

  @Test
  void seriesOfDifferentInstancesOrLabelValuesStayApart() throws Exception {
    store.ingest(counter("shop-1", "orders", T0, 1, Map.of("m", "a")), 0);
    store.ingest(counter("shop-2", "orders", T0, 2, Map.of("m", "a")), 0);
    store.ingest(counter("shop-1", "orders", T0, 3, Map.of("m", "b")), 0);
    store.ingest(counter("shop-1", "orders", T0 + 1, 4, Map.of("m", "a")), 0);
    assertThat(store.size()).isEqualTo(3);
    assertThat(text()).contains("orders_total{instance=\"shop-1\",m=\"a\",service=\"shop\"} 4.0",
        "orders_total{instance=\"shop-2\",m=\"a\",service=\"shop\"} 2.0",
        "orders_total{instance=\"shop-1\",m=\"b\",service=\"shop\"} 3.0");
  }
}
