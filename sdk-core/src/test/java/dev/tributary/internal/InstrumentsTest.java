package dev.tributary.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.Counter;
import dev.tributary.Histogram;
import dev.tributary.MetricSample;
import dev.tributary.wire.MetricEnvelope;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class InstrumentsTest {
  private final MetricRegistry registry = new MetricRegistry(100, 100, Clock.fixed(Instant.ofEpochMilli(42), ZoneOffset.UTC));

  @Test
  void histogramBucketsAreInclusiveUpperBoundsAndCumulative() {
    Histogram h = new InstrumentBuilders.HistogramBuilder(registry, "h").buckets(1, 2, 5).build();
    for (double v : new double[] {-3, 0.5, 1, 1.5, 2, 4.999, 5, 5.0001, Double.POSITIVE_INFINITY}) {
      h.observe(v);
    }
    MetricEnvelope.Histogram data = only().histogram();
    assertThat(data.buckets()).extracting(MetricEnvelope.Bucket::cumulativeCount).containsExactly(3L, 5L, 7L);
    assertThat(data.count()).isEqualTo(9);
    assertThat(data.sum()).isEqualTo(Double.POSITIVE_INFINITY);
  }

  @Test
  void concurrentIncrementsAreNeverLost() throws Exception {
    Counter.Series series = new InstrumentBuilders.CounterBuilder(registry, "c_total").labelNames("k").build().labels("v");
    int threads = 4;
    int perThread = 250_000;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch go = new CountDownLatch(1);
    for (int t = 0; t < threads; t++) {
      pool.submit(() -> {
        go.await();
        for (int i = 0; i < perThread; i++) {
          series.increment();
        }
        return null;
      });
    }
    go.countDown();
    pool.shutdown();
    assertThat(pool.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
    MetricSample sample = only();
    assertThat(sample.value()).isEqualTo((double) threads * perThread);
    assertThat(sample.labels()).containsEntry("k", "v");
    assertThat(sample.startTimestamp()).isEqualTo(42);
  }

  @Test
  void theSameDescriptionReturnsTheSameInstrumentAndSeries() {
    Counter a = new InstrumentBuilders.CounterBuilder(registry, "same_total").labelNames("x").build();
    Counter b = new InstrumentBuilders.CounterBuilder(registry, "same_total").labelNames("x").build();
    assertThat(a).isSameAs(b);
    assertThat(a.labels("1")).isSameAs(b.labels("1"));
    a.labels((String) null).increment();
    List<MetricSample> samples = new ArrayList<>();
    registry.collect(samples::add);
    assertThat(samples).extracting(sample -> sample.labels().get("x")).containsExactlyInAnyOrder("1", "");
  }

  @Test
  void aThrowingGaugeCallbackSkipsOnlyItself() {
    new InstrumentBuilders.GaugeBuilder(registry, "broken").buildWithCallback(() -> {
      throw new IllegalStateException("nope");
    });
    new InstrumentBuilders.GaugeBuilder(registry, "fine").buildWithCallback(() -> 3.0);
    MetricSample s = only();
    assertThat(s.name()).isEqualTo("fine");
    assertThat(s.value()).isEqualTo(3.0);
  }

  private MetricSample only() {
    List<MetricSample> samples = new ArrayList<>();
    registry.collect(samples::add);
    assertThat(samples).hasSize(1);
    return samples.get(0);
  }
}
