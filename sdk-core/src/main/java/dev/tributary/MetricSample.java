package dev.tributary;

import dev.tributary.wire.MetricEnvelope;
import java.util.Map;
import java.util.Objects;

/**
 * The cumulative state of one series, as a {@link MetricCollector} reports it. The client adds the
 * timestamp, the sender and the sequence number to make a {@link MetricEnvelope}.
 *
 * @param name a valid Prometheus metric name
 * @param kind counter, gauge, histogram or summary
 * @param help description, or {@code null}
 * @param unit base unit ({@code seconds}, {@code bytes}), or {@code null}
 * @param startTimestamp when the series started counting, epoch milliseconds
 * @param labels the series' labels (valid Prometheus label names)
 * @param value the value of a counter or gauge ({@code NaN} otherwise)
 * @param histogram histogram state, for {@link MetricEnvelope.MetricKind#HISTOGRAM}
 * @param summary summary state, for {@link MetricEnvelope.MetricKind#SUMMARY}
 */
public record MetricSample(
    String name,
    MetricEnvelope.MetricKind kind,
    String help,
    String unit,
    long startTimestamp,
    Map<String, String> labels,
    double value,
    MetricEnvelope.Histogram histogram,
    MetricEnvelope.Summary summary) {

  public MetricSample {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(kind, "kind");
    labels = labels == null ? Map.of() : labels;
  }

  /** A counter sample. */
  public static MetricSample counter(String name, String help, String unit, long start, Map<String, String> labels, double value) {
    return new MetricSample(name, MetricEnvelope.MetricKind.COUNTER, help, unit, start, labels, value, null, null);
  }

  /** A gauge sample. */
  public static MetricSample gauge(String name, String help, String unit, long start, Map<String, String> labels, double value) {
    return new MetricSample(name, MetricEnvelope.MetricKind.GAUGE, help, unit, start, labels, value, null, null);
  }

  /** A histogram sample. */
  public static MetricSample histogram(String name, String help, String unit, long start, Map<String, String> labels,
      MetricEnvelope.Histogram histogram) {
    return new MetricSample(name, MetricEnvelope.MetricKind.HISTOGRAM, help, unit, start, labels, Double.NaN,
        Objects.requireNonNull(histogram, "histogram"), null);
  }

  /** A summary sample. */
  public static MetricSample summary(String name, String help, String unit, long start, Map<String, String> labels,
      MetricEnvelope.Summary summary) {
    return new MetricSample(name, MetricEnvelope.MetricKind.SUMMARY, help, unit, start, labels, Double.NaN, null,
        Objects.requireNonNull(summary, "summary"));
  }
}
