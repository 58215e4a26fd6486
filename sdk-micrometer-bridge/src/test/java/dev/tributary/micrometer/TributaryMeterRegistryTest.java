package dev.tributary.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.tributary.Tributary;
import dev.tributary.testkit.KafkaBrokerExtension;
import dev.tributary.wire.MetricEnvelope;
import dev.tributary.wire.MetricEnvelope.Bucket;
import dev.tributary.wire.MetricEnvelope.MetricKind;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.LongTaskTimer;
import io.micrometer.core.instrument.Measurement;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.Statistic;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every meter type through a real broker: what the registry publishes is read back from the topic,
 * decoded with the SDK's codec, and compared exactly (names, kinds, units, labels, start times,
 * values).
 */
class TributaryMeterRegistryTest {
  @RegisterExtension
  static final KafkaBrokerExtension KAFKA = KafkaBrokerExtension.create();

  private static final long T0 = 1795425330123L; // 2026-11-23T09:15:30.123Z
  /** Longer than any test: the only publication is the final one on close. */
  private static final Duration NO_STEP = Duration.ofHours(1);

  private static MockClock clockAt(long wallTime) {
    MockClock clock = new MockClock();
    clock.add(wallTime - clock.wallTime(), TimeUnit.MILLISECONDS);
    return clock;
  }

  private static Tributary client(String topic, Duration step) {
    return Tributary.builder()
        .bootstrapServers(KAFKA.broker().bootstrapServers())
        .serviceName("checkout")
        .instanceId("checkout-1")
        .metricsTopic(topic)
        .metricsStep(step)
        .healthInterval(Duration.ofHours(1))
        .build();
  }

  @Test
  void everyMeterTypeIsPublishedWithExactNamesKindsLabelsAndValues() {
    String topic = "metrics.every-type";
    MockClock clock = clockAt(T0);
    Tributary client = client(topic, NO_STEP);
    TributaryMeterRegistry registry = TributaryMeterRegistry.builder(TributaryConfig.sharing(client)).clock(clock).build();
    registry.config().commonTags("region", "eu");

    Counter payments = Counter.builder("payments").description("Payments processed").tag("status", "ok")
        .register(registry);
    AtomicInteger depth = registry.gauge("queue.depth", new AtomicInteger());
    Gauge.builder("cache.size", () -> 2048).baseUnit("bytes").register(registry);
    Timer processing = Timer.builder("payment.processing").register(registry);
    Timer requests = Timer.builder("http.requests").tag("uri", "/pay")
        .serviceLevelObjectives(Duration.ofMillis(100), Duration.ofMillis(500))
        .publishPercentiles(0.5)
        .register(registry);
    Timer queries = Timer.builder("db.query").publishPercentiles(0.5, 0.99).register(registry);
    DistributionSummary payload = DistributionSummary.builder("payload.size").baseUnit("bytes")
        .serviceLevelObjectives(100, 1000).register(registry);
    DistributionSummary response = DistributionSummary.builder("response.size").publishPercentileHistogram()
        .minimumExpectedValue(1.0).maximumExpectedValue(1000.0).register(registry);
    LongTaskTimer batch = LongTaskTimer.builder("batch.run").register(registry);
    AtomicLong evictions = new AtomicLong(42);
    FunctionCounter.builder("cache.evictions", evictions, AtomicLong::get).register(registry);
    FunctionTimer.builder("pool.wait", evictions, e -> 4, e -> 2000, TimeUnit.MILLISECONDS).register(registry);
    TimeGauge.builder("process.age", () -> 90_000, TimeUnit.MILLISECONDS).register(registry);
    Meter.builder("custom.thing", Meter.Type.OTHER, List.of(new Measurement(() -> 5, Statistic.VALUE),
        new Measurement(() -> 2, Statistic.COUNT))).register(registry);

    batch.start();
    clock.add(Duration.ofSeconds(5));
    payments.increment(3);
    depth.set(7);
    processing.record(Duration.ofMillis(100));
    processing.record(Duration.ofMillis(300));
    requests.record(Duration.ofMillis(50));
    requests.record(Duration.ofMillis(200));
    requests.record(Duration.ofMillis(700));
    for (int ms = 10; ms <= 100; ms += 10) {
      queries.record(Duration.ofMillis(ms));
    }
    payload.record(50);
    payload.record(500);
    payload.record(5000);
    response.record(10);

    registry.close();
    client.close();
    Published published = Published.drain(KAFKA.broker(), topic);

    Map<String, String> eu = Map.of("region", "eu");
    assertThat(published.all()).allSatisfy(e -> {
      assertThat(e.startTimestamp()).as("start of %s", e.name()).isEqualTo(T0);
      assertThat(e.source().service()).isEqualTo("checkout");
      assertThat(e.source().instance()).isEqualTo("checkout-1");
      assertThat(e.labels()).containsEntry("region", "eu");
    });
    assertCounter(published.only("payments_total", Map.of("region", "eu", "status", "ok")), "Payments processed", null, 3);
    assertGauge(published.only("queue_depth", eu), null, 7);
    assertGauge(published.only("cache_size_bytes", eu), "bytes", 2048);

    MetricEnvelope processingSummary = published.only("payment_processing_seconds", eu);
    assertThat(processingSummary.kind()).isEqualTo(MetricKind.SUMMARY);
    assertThat(processingSummary.unit()).isEqualTo("seconds");
    assertThat(processingSummary.summary()).isEqualTo(new MetricEnvelope.Summary(List.of(), 2, 0.4));
    assertGauge(published.only("payment_processing_seconds_max", eu), null, 0.3);

    Map<String, String> pay = Map.of("region", "eu", "uri", "/pay");
    MetricEnvelope requestsHistogram = published.only("http_requests_seconds", pay);
    assertThat(requestsHistogram.kind()).isEqualTo(MetricKind.HISTOGRAM);
    assertThat(requestsHistogram.unit()).isEqualTo("seconds");
    assertThat(requestsHistogram.histogram()).isEqualTo(new MetricEnvelope.Histogram(
        List.of(new Bucket(0.1, 1), new Bucket(0.5, 2)), 3, 0.95));
    assertGauge(published.only("http_requests_seconds_max", pay), null, 0.7);
    MetricEnvelope median = published.only("http_requests_seconds_percentile",
        Map.of("region", "eu", "uri", "/pay", "quantile", "0.5"));
    assertThat(median.kind()).isEqualTo(MetricKind.GAUGE);
    assertThat(median.value()).isCloseTo(0.2, within(0.002));

    MetricEnvelope queriesSummary = published.only("db_query_seconds", eu);
    assertThat(queriesSummary.kind()).isEqualTo(MetricKind.SUMMARY);
    assertThat(queriesSummary.summary().count()).isEqualTo(10);
    assertThat(queriesSummary.summary().sum()).isCloseTo(0.55, within(1e-12));
    assertThat(queriesSummary.summary().quantiles()).extracting(MetricEnvelope.Quantile::quantile)
        .containsExactly(0.5, 0.99);
    assertThat(queriesSummary.summary().quantiles().get(0).value()).isCloseTo(0.05, within(0.001));
    assertThat(queriesSummary.summary().quantiles().get(1).value()).isCloseTo(0.1, within(0.001));

    MetricEnvelope payloadHistogram = published.only("payload_size_bytes", eu);
    assertThat(payloadHistogram.kind()).isEqualTo(MetricKind.HISTOGRAM);
    assertThat(payloadHistogram.unit()).isEqualTo("bytes");
    assertThat(payloadHistogram.histogram()).isEqualTo(new MetricEnvelope.Histogram(
        List.of(new Bucket(100, 1), new Bucket(1000, 2)), 3, 5550));
    assertGauge(published.only("payload_size_bytes_max", eu), null, 5000);

    MetricEnvelope.Histogram responseHistogram = published.only("response_size", eu).histogram();
    assertThat(responseHistogram.count()).isEqualTo(1);
    assertThat(responseHistogram.sum()).isEqualTo(10);
    assertThat(responseHistogram.buckets()).hasSizeGreaterThan(10).allSatisfy(
        b -> assertThat(b.cumulativeCount()).isEqualTo(b.upperBound() >= 10 ? 1 : 0));
    assertThat(responseHistogram.buckets()).extracting(Bucket::upperBound).isSorted().doesNotHaveDuplicates();

    assertGauge(published.only("batch_run_seconds_active_count", eu), null, 1);
    assertGauge(published.only("batch_run_seconds_duration_sum", eu), null, 5);
    assertGauge(published.only("batch_run_seconds_max", eu), null, 5);
    assertCounter(published.only("cache_evictions_total", eu), null, null, 42);
    MetricEnvelope poolWait = published.only("pool_wait_seconds", eu);
    assertThat(poolWait.kind()).isEqualTo(MetricKind.SUMMARY);
    assertThat(poolWait.summary()).isEqualTo(new MetricEnvelope.Summary(List.of(), 4, 2.0));
    assertGauge(published.only("process_age_seconds", eu), "seconds", 90);
    assertGauge(published.only("custom_thing", eu), null, 5);
    assertGauge(published.only("custom_thing_count", eu), null, 2);

    assertThat(published.bySeries()).hasSize(22);
  }

  private static void assertCounter(MetricEnvelope e, String help, String unit, double value) {
    assertThat(e.kind()).as("kind of %s", e.name()).isEqualTo(MetricKind.COUNTER);
    assertThat(e.help()).as("help of %s", e.name()).isEqualTo(help);
    assertThat(e.unit()).as("unit of %s", e.name()).isEqualTo(unit);
    assertThat(e.value()).as("value of %s", e.name()).isEqualTo(value);
  }

  private static void assertGauge(MetricEnvelope e, String unit, double value) {
    assertThat(e.kind()).as("kind of %s", e.name()).isEqualTo(MetricKind.GAUGE);
    assertThat(e.unit()).as("unit of %s", e.name()).isEqualTo(unit);
    assertThat(e.value()).as("value of %s", e.name()).isEqualTo(value);
  }
}
