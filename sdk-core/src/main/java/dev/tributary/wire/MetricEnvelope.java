package dev.tributary.wire;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The cumulative state of one metric series at {@link #timestamp()}.
 *
 * <p>Values are cumulative since {@link #startTimestamp()} (counters, histogram and summary counts
 * and sums never go down within a run), so a redelivered or replayed envelope is harmless: the
 * newest sample by timestamp wins.
 *
 * @param timestamp {@code @timestamp}: when the value was collected, epoch milliseconds
 * @param source sender
 * @param stream sequence scope (normally {@code metrics})
 * @param seq per-run, per-stream sequence number
 * @param name {@code metric.name}, a valid Prometheus metric name
 * @param kind {@code metric.type}
 * @param help {@code metric.help}, or {@code null}
 * @param unit {@code metric.unit} (base unit such as {@code seconds}, {@code bytes}), or {@code null}
 * @param startTimestamp {@code metric.start}: when the series started counting, epoch milliseconds
 * @param labels {@code labels}: the series' labels; never {@code null}
 * @param value {@code metric.value} for counters and gauges ({@code NaN} for other kinds)
 * @param histogram the histogram state for {@link MetricKind#HISTOGRAM}, else {@code null}
 * @param summary the summary state for {@link MetricKind#SUMMARY}, else {@code null}
 */
public record MetricEnvelope(
    long timestamp,
    Source source,
    String stream,
    long seq,
    String name,
    MetricKind kind,
    String help,
    String unit,
    long startTimestamp,
    Map<String, String> labels,
    double value,
    Histogram histogram,
    Summary summary)
    implements Envelope {

  public MetricEnvelope {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(stream, "stream");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(kind, "kind");
    labels = labels == null ? Map.of() : labels;
    if (kind == MetricKind.HISTOGRAM && histogram == null) {
      throw new IllegalArgumentException("a histogram metric needs histogram data");
    }
    if (kind == MetricKind.SUMMARY && summary == null) {
      throw new IllegalArgumentException("a summary metric needs summary data");
    }
  }

  @Override
  public EnvelopeType type() {
    return EnvelopeType.METRIC;
  }

  /** The metric kinds of wire format v1 ({@code metric.type}). */
  public enum MetricKind {
    COUNTER("counter"),
    GAUGE("gauge"),
    HISTOGRAM("histogram"),
    SUMMARY("summary");

    /** {@code values()} copies its array on every call; decoding looks a kind up per record. */
    private static final MetricKind[] KINDS = values();

    private final String wireName;

    MetricKind(String wireName) {
      this.wireName = wireName;
    }

    /** The name used on the wire. */
    public String wireName() {
      return wireName;
    }

    /**
     * The kind for a wire name.
     *
     * @throws IllegalArgumentException if unknown
     */
    public static MetricKind fromWireName(String name) {
      for (MetricKind kind : KINDS) {
        if (kind.wireName.equals(name)) {
          return kind;
        }
      }
      throw new IllegalArgumentException("unknown metric type: " + name);
    }
  }

  /**
   * Histogram state with explicit buckets.
   *
   * @param buckets finite upper bounds in increasing order with cumulative counts; the implicit
   *     {@code +Inf} bucket's count is {@link #count()}
   * @param count total number of observations
   * @param sum sum of all observations
   */
  public record Histogram(List<Bucket> buckets, long count, double sum) {
    public Histogram {
      buckets = List.copyOf(buckets);
    }
  }

  /**
   * One histogram bucket: observations less than or equal to {@code upperBound}, cumulative.
   */
  public record Bucket(double upperBound, long cumulativeCount) {}

  /**
   * Summary state: client-side quantiles plus count and sum.
   *
   * @param quantiles quantile estimates, in increasing quantile order
   * @param count total number of observations
   * @param sum sum of all observations
   */
  public record Summary(List<Quantile> quantiles, long count, double sum) {
    public Summary {
      quantiles = List.copyOf(quantiles);
    }
  }

  /** One quantile estimate, e.g. {@code quantile=0.99}; {@code value} may be {@code NaN}. */
  public record Quantile(double quantile, double value) {}
}
