package dev.tributary.internal;

import dev.tributary.MetricSample;
import dev.tributary.wire.MetricEnvelope;
import java.util.Map;

/**
 * Checks a collector's sample before it is published, so the client never sends an envelope that
 * readers (its own codec, the sidecars) would reject: valid names, histogram bounds increasing and
 * not NaN with cumulative counts that never go down, non-negative counts, sums that are numbers,
 * quantiles in [0, 1].
 */
final class SampleValidation {
  private SampleValidation() {}

  static boolean isValid(MetricSample s) {
    if (s == null || !s.name().equals(Names.sanitizeMetricName(s.name()))) {
      return false;
    }
    for (Map.Entry<String, String> label : s.labels().entrySet()) {
      if (!label.getKey().equals(Names.sanitizeLabelName(label.getKey())) || label.getValue() == null) {
        return false;
      }
    }
    return switch (s.kind()) {
      case COUNTER -> s.value() >= 0; // also false for NaN
      case GAUGE -> true;
      case HISTOGRAM -> isValid(s.histogram());
      case SUMMARY -> isValid(s.summary());
    };
  }

  private static boolean isValid(MetricEnvelope.Histogram h) {
    if (h.count() < 0 || Double.isNaN(h.sum())) {
      return false;
    }
    double previousBound = Double.NEGATIVE_INFINITY;
    long previousCount = 0;
    for (MetricEnvelope.Bucket b : h.buckets()) {
      if (!(b.upperBound() > previousBound) || b.cumulativeCount() < previousCount) {
        return false;
      }
      previousBound = b.upperBound();
      previousCount = b.cumulativeCount();
    }
    return previousCount <= h.count();
  }

  private static boolean isValid(MetricEnvelope.Summary s) {
    if (s.count() < 0 || Double.isNaN(s.sum())) {
      return false;
    }
    for (MetricEnvelope.Quantile q : s.quantiles()) {
      if (!(q.quantile() >= 0 && q.quantile() <= 1)) {
        return false;
      }
    }
    return true;
  }
}
