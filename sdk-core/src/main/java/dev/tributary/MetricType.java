package dev.tributary;

/** The instrument kinds that {@link Tributary#sendMetric} can record into. */
public enum MetricType {
  /** Incremented by the value; the value must be finite and not negative. */
  COUNTER,
  /** Set to the value. */
  GAUGE,
  /** Observes the value, with the default buckets ({@link Histogram#DEFAULT_BUCKETS}). */
  HISTOGRAM
}
