package dev.tributary;

import java.util.List;

/**
 * Observations counted into explicit buckets, published every step as cumulative bucket counts,
 * count and sum (a Prometheus histogram). NaN observations are rejected and counted.
 */
public interface Histogram {

  /** Prometheus client libraries' default bounds, suited to latencies in seconds. */
  List<Double> DEFAULT_BUCKETS = List.of(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0);

  /** The series for these label values; see {@link Counter#labels(String...)}. */
  Series labels(String... labelValues);

  /** Observes a value in the series without labels. */
  default void observe(double value) {
    labels().observe(value);
  }

  /** One labelled series of a histogram. */
  interface Series {
    void observe(double value);
  }

  /** Describes a histogram. */
  interface Builder {
    Builder help(String help);

    Builder unit(String unit);

    Builder labelNames(String... labelNames);

    /** Finite upper bounds, strictly increasing; default {@link #DEFAULT_BUCKETS}. */
    Builder buckets(double... upperBounds);

    Histogram build();
  }
}
