package dev.tributary.micrometer;

import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.distribution.Histogram;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import io.micrometer.core.instrument.distribution.NoopHistogram;
import io.micrometer.core.instrument.distribution.TimeWindowFixedBoundaryHistogram;
import io.micrometer.core.instrument.distribution.TimeWindowPercentileHistogram;
import java.time.Duration;

/**
 * The histogram of a timer or distribution summary: bucket counts that are cumulative for the
 * whole life of the meter (what a Prometheus histogram is, and what makes a replayed envelope
 * harmless), next to client-side percentiles over a sliding window of
 * {@link DistributionStatisticConfig#getExpiry() expiry} (what a Prometheus summary's quantiles
 * are).
 *
 * <p>Micrometer's default histogram keeps both in one time-window ring, so its bucket counts
 * would roll over and go down every expiry; here the buckets live in a fixed-boundary histogram
 * whose single window never expires.
 */
final class CumulativeBucketHistogram implements Histogram {
  /** Longer than any process lives: the bucket window never rotates. */
  private static final Duration NEVER = Duration.ofDays(365L * 100);

  private final Histogram percentiles;
  private final Histogram buckets;

  private CumulativeBucketHistogram(Histogram percentiles, Histogram buckets) {
    this.percentiles = percentiles;
    this.buckets = buckets;
  }

  /** The histogram {@code config} asks for: none, percentiles only, buckets only, or both. */
  static Histogram create(Clock clock, DistributionStatisticConfig config, boolean supportsAggregablePercentiles) {
    Histogram percentiles = config.isPublishingPercentiles()
        ? new TimeWindowPercentileHistogram(clock, DistributionStatisticConfig.builder()
            .percentilesHistogram(false)
            .serviceLevelObjectives()
            .build()
            .merge(config), supportsAggregablePercentiles)
        : NoopHistogram.INSTANCE;
    if (!config.isPublishingHistogram()) {
      return percentiles;
    }
    Histogram buckets = new TimeWindowFixedBoundaryHistogram(clock, DistributionStatisticConfig.builder()
        .expiry(NEVER)
        .bufferLength(1)
        .build()
        .merge(config), supportsAggregablePercentiles, true);
    return new CumulativeBucketHistogram(percentiles, buckets);
  }

  @Override
  public void recordLong(long value) {
    percentiles.recordLong(value);
    buckets.recordLong(value);
  }

  @Override
  public void recordDouble(double value) {
    percentiles.recordDouble(value);
    buckets.recordDouble(value);
  }

  @Override
  public HistogramSnapshot takeSnapshot(long count, double total, double max) {
    HistogramSnapshot withPercentiles = percentiles.takeSnapshot(count, total, max);
    HistogramSnapshot withBuckets = buckets.takeSnapshot(count, total, max);
    return new HistogramSnapshot(count, total, max, withPercentiles.percentileValues(), withBuckets.histogramCounts(),
        withBuckets::outputSummary);
  }

  @Override
  public void close() {
    percentiles.close();
    buckets.close();
  }
}
