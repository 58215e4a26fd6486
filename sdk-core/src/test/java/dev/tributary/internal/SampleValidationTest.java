package dev.tributary.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.MetricSample;
import dev.tributary.wire.MetricEnvelope;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A collector cannot make the client publish an envelope that readers would reject. */
class SampleValidationTest {

  @Test
  void acceptsWellFormedSamplesOfEveryKind() {
    assertThat(SampleValidation.isValid(MetricSample.counter("c_total", null, null, 0, Map.of("a", "b"), 3))).isTrue();
    assertThat(SampleValidation.isValid(MetricSample.gauge("g", null, null, 0, Map.of(), Double.NaN))).isTrue();
    assertThat(SampleValidation.isValid(histogram(List.of(bucket(1, 2), bucket(2, 5)), 6, 1.5))).isTrue();
    assertThat(SampleValidation.isValid(summary(0.99, 3, 1.0))).isTrue();
  }

  @Test
  void rejectsWhatTheCodecOrThePrometheusModelWouldRefuse() {
    assertThat(SampleValidation.isValid(MetricSample.counter("bad name", null, null, 0, Map.of(), 1))).isFalse();
    assertThat(SampleValidation.isValid(MetricSample.counter("c", null, null, 0, Map.of("bad-label", "x"), 1))).isFalse();
    assertThat(SampleValidation.isValid(MetricSample.counter("c", null, null, 0, Map.of(), -1))).isFalse();
    assertThat(SampleValidation.isValid(MetricSample.counter("c", null, null, 0, Map.of(), Double.NaN))).isFalse();
    assertThat(SampleValidation.isValid(histogram(List.of(bucket(1, 2)), 2, Double.NaN))).isFalse();
    assertThat(SampleValidation.isValid(histogram(List.of(bucket(Double.NaN, 2)), 2, 1))).isFalse();
    assertThat(SampleValidation.isValid(histogram(List.of(bucket(2, 2), bucket(1, 3)), 3, 1))).isFalse();
    assertThat(SampleValidation.isValid(histogram(List.of(bucket(1, 5), bucket(2, 3)), 5, 1))).isFalse();
    assertThat(SampleValidation.isValid(histogram(List.of(bucket(1, 5)), 4, 1))).isFalse();
    assertThat(SampleValidation.isValid(summary(1.5, 3, 1))).isFalse();
    assertThat(SampleValidation.isValid(summary(Double.NaN, 3, 1))).isFalse();
    assertThat(SampleValidation.isValid(summary(0.5, -1, 1))).isFalse();
  }

  private static MetricEnvelope.Bucket bucket(double le, long count) {
    return new MetricEnvelope.Bucket(le, count);
  }

  private static MetricSample histogram(List<MetricEnvelope.Bucket> buckets, long count, double sum) {
    return MetricSample.histogram("h_seconds", null, "seconds", 0, Map.of(), new MetricEnvelope.Histogram(buckets, count, sum));
  }

  private static MetricSample summary(double quantile, long count, double sum) {
    return MetricSample.summary("s_seconds", null, "seconds", 0, Map.of(),
        new MetricEnvelope.Summary(List.of(new MetricEnvelope.Quantile(quantile, 0.1)), count, sum));
  }
}
